/**
 * The messages of enforcement notices (docs/adr/0022-enforcement-quarantine.md): a user quarantined, a
 * quarantine released, enforcement halted by the cap. Each names the user, the reason and how to
 * release, and goes through the one notification path (functions/core/notify.ts, kind `enforcement`).
 * Pure: no AWS, no clock.
 */
import { QUARANTINE_POLICY_NAME } from '../contract/enforcement';
import { buildChatNotification } from './chat';
import type { ChatNotification } from './chat-schema';
import { asciiOnly, MAX_SUBJECT_LENGTH } from './message-text';
import type { Notice, StoredTransition } from './notify';
import type { PublishableMessage } from './publish';

/** The `eventName` attribute of every enforcement message (subscription filters can select them). */
export const ENFORCEMENT_EVENT_NAME = 'OrgMfaWatchEnforcement';

/** A user quarantined or released. */
export interface UserEnforcementNotice {
  readonly action: 'quarantined' | 'released';
  readonly accountId: string;
  readonly userName: string;
  readonly findingId: string;
  /** Why (the plan's or the release's sentence). */
  readonly reason: string;
  /** Who acted: `sweep:<id>` or a person's ARN. */
  readonly by: string;
  /** The finding after the transition: imported into Security Hub with the notice. */
  readonly stored?: StoredTransition;
}

/** Enforcement halted by the cap (`capSweep`). */
export interface HaltNotice {
  readonly sweepId: string;
  readonly count: number;
  readonly maxPerSweep: number;
  readonly accountIds: readonly string[];
  readonly why: string;
}

const RELEASE_HINT = (findingId: string) =>
  `To release by hand: npm run findings -- release ${findingId} --reason "..." (the next sweep then waits enforcement.afterHours before quarantining this user again).`;

function subject(text: string): string {
  return asciiOnly(text).slice(0, MAX_SUBJECT_LENGTH);
}

/** Email and chat of a quarantine or a release. Pure. */
export function userEnforcementMessages(n: UserEnforcementNotice): {
  email: PublishableMessage;
  chat: ChatNotification;
} {
  const quarantined = n.action === 'quarantined';
  const headline = quarantined
    ? `IAM user ${n.userName} in account ${n.accountId} quarantined: no MFA`
    : `IAM user ${n.userName} in account ${n.accountId} released from quarantine`;
  const lines = quarantined
    ? [
        `The policy ${QUARANTINE_POLICY_NAME} was attached to ${n.userName} in account ${n.accountId}.`,
        `Why: ${n.reason}.`,
        'What the user sees: every action is denied except enrolling an MFA device and changing their own password; after enrolling and signing in again with MFA, everything works at once.',
        RELEASE_HINT(n.findingId),
      ]
    : [
        `The policy ${QUARANTINE_POLICY_NAME} was detached from ${n.userName} in account ${n.accountId}.`,
        `Why: ${n.reason}.`,
      ];
  const body = [headline, '', ...lines, '', `Finding: ${n.findingId}`, `By: ${n.by}`].join('\n');
  const attributes = {
    severity: quarantined ? 'HIGH' : 'INFO',
    accountId: n.accountId,
    eventName: ENFORCEMENT_EVENT_NAME,
    finding: quarantined ? 'USER_QUARANTINED' : 'USER_RELEASED',
    findingId: n.findingId,
  };
  return {
    email: { subject: subject(`org-mfa-watch: ${headline}`), body, attributes },
    chat: buildChatNotification({
      id: `${n.findingId}:${n.action}:${n.by}`,
      title: headline,
      description: lines.join('\n'),
      ...(quarantined ? { nextSteps: [RELEASE_HINT(n.findingId)] } : {}),
      keywords: [n.action, n.accountId, n.userName],
      threadId: n.findingId,
      summary: headline,
      eventType: `org-mfa-watch-${n.action}`,
      additionalContext: attributes,
    }),
  };
}

/** Email and chat of a halted enforcement: one HIGH alert per sweep. Pure. */
export function haltMessages(n: HaltNotice): { email: PublishableMessage; chat: ChatNotification } {
  const headline = `Enforcement halted: ${n.count} users due for quarantine, more than ${n.maxPerSweep}`;
  const lines = [n.why, `Accounts: ${n.accountIds.join(', ')}`, `Sweep: ${n.sweepId}`];
  const attributes = {
    severity: 'HIGH',
    eventName: ENFORCEMENT_EVENT_NAME,
    finding: 'ENFORCEMENT_HALTED',
    sweepId: n.sweepId,
  };
  return {
    email: {
      subject: subject(`org-mfa-watch: ${headline}`),
      body: [headline, '', ...lines].join('\n'),
      attributes,
    },
    chat: buildChatNotification({
      id: `enforcement-halted:${n.sweepId}`,
      title: headline,
      description: lines.join('\n'),
      keywords: ['HIGH', 'enforcement-halted'],
      threadId: `enforcement-halted:${n.sweepId}`,
      summary: headline,
      eventType: 'org-mfa-watch-enforcement-halted',
      additionalContext: attributes,
    }),
  };
}

/** A user quarantine or release as a notice of the one path (source `sweep`). Pure. */
export function userEnforcementNotice(n: UserEnforcementNotice): Notice {
  const messages = userEnforcementMessages(n);
  return {
    kind: 'enforcement',
    source: 'sweep',
    severity: n.action === 'quarantined' ? 'HIGH' : 'INFO',
    ...(n.stored === undefined ? {} : { stored: n.stored }),
    messages: { email: () => messages.email, chat: () => messages.chat },
    log: { findingId: n.findingId, action: n.action },
  };
}

/** The halt as a HIGH notice of the one path. Pure. */
export function haltNotice(n: HaltNotice): Notice {
  const messages = haltMessages(n);
  return {
    kind: 'enforcement',
    source: 'sweep',
    severity: 'HIGH',
    messages: { email: () => messages.email, chat: () => messages.chat },
    log: { sweepId: n.sweepId, action: 'halted', count: n.count },
  };
}
