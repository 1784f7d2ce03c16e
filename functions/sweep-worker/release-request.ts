/**
 * A release by hand, routed by the worker's handler (docs/adr/0022-enforcement-quarantine.md, "Release
 * by hand"): `npm run findings -- release` invokes the worker with `{ release: { ... } }` because only
 * the worker's role may assume the member enforce role. Checks the request (naming the field), reads the
 * finding, refuses one whose user is not quarantined, detaches the policy with the enforce role, records
 * who and why on the finding (the sweep then waits `afterHours` before quarantining the user again) and
 * sends the notice. Expected refusals and AWS failures are answers, never thrown errors.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { ReleaseRequest, ReleaseResponse } from '../contract/release';
import { describeError } from '../core/errors';
import type { QuarantineMark } from '../core/finding-quarantine';
import type { Finding, FindingStore } from '../core/finding-store';
import type { FormatSettings } from '../core/message-parts';
import { emailMessage } from '../core/message-parts';
import type { Notifier } from '../core/notify';
import { MAX_TRANSITION_REASON_LENGTH, type QuarantineStore } from '../core/quarantine-store';
import { detachQuarantine, quarantinePolicyArnOf } from './enforce';
import { RELEASE_NOTICE_FINDING, releaseChatNotice, releaseNoticeParts } from './release-message';

/** A release request that cannot be accepted: names the field and the expectation. */
export class InvalidReleaseRequestError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
  ) {
    super(`release.${field}: expected ${expected}`);
    this.name = 'InvalidReleaseRequestError';
  }
}

/** True when the invocation is a release (`{ release: ... }`), not a sweep batch. */
export function isReleaseInvocation(input: unknown): input is { readonly release: unknown } {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && 'release' in input;
}

const FIELDS: Record<keyof ReleaseRequest, [RegExp, string]> = {
  findingId: [
    /^f-[0-9a-f]{20}$/,
    'a finding id such as f-0123456789abcdef0123 (npm run findings lists them)',
  ],
  accountId: [/^\d{12}$/, 'a 12-digit account id'],
  userName: [/^[\w+=,.@-]{1,64}$/, 'an IAM user name (1-64 of letters, digits and +=,.@_-)'],
  reason: [
    new RegExp(`^[^\\r\\n]{1,${MAX_TRANSITION_REASON_LENGTH}}$`),
    `one line of 1-${MAX_TRANSITION_REASON_LENGTH} characters saying why`,
  ],
  by: [/^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S{1,512}$/, "the caller's IAM or STS ARN (sts:GetCallerIdentity)"],
};

/**
 * Check a release request. Pure.
 * @throws InvalidReleaseRequestError naming the first bad field
 */
export function parseReleaseRequest(raw: unknown): ReleaseRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidReleaseRequestError(
      '(request)',
      'an object { findingId, accountId, userName, reason, by }',
    );
  }
  const record = raw as Record<string, unknown>;
  const unknownField = Object.keys(record).find((key) => !(key in FIELDS));
  if (unknownField !== undefined) throw new InvalidReleaseRequestError(unknownField, 'no such field');
  const value = (field: keyof ReleaseRequest): string => {
    const [pattern, expected] = FIELDS[field];
    const v = record[field];
    const text = typeof v === 'string' ? v.trim() : undefined;
    if (text === undefined || !pattern.test(text)) {
      throw new InvalidReleaseRequestError(field, `${expected}, got ${JSON.stringify(v ?? null)}`);
    }
    return text;
  };
  return {
    findingId: value('findingId'),
    accountId: value('accountId'),
    userName: value('userName'),
    reason: value('reason'),
    by: value('by'),
  };
}

/** What a release needs; built once per container by the handler. */
export interface ReleaseDeps {
  readonly findings: Pick<FindingStore, 'getFinding'>;
  readonly quarantines: Pick<QuarantineStore, 'markReleased'>;
  /** The enforce role's IAM client in an account, and the hours before a new quarantine. Absent: off. */
  readonly enforce?: {
    readonly iamFor: (accountId: string, hint: string) => Promise<IAMClient>;
    readonly afterHours: number;
  };
  readonly partition: string;
  readonly format: FormatSettings;
  readonly notify: Notifier;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly now: () => Date;
}

type Refusal = Extract<ReleaseResponse, { ok: false }>;
const refuse = (error: Refusal['error'], message: string): Refusal => ({ ok: false, error, message });

/** The quarantined finding the request names, with its attach record; or why not. */
async function findingOf(
  request: ReleaseRequest,
  deps: ReleaseDeps,
): Promise<{ finding: Finding; quarantined: QuarantineMark } | Refusal> {
  let finding: Finding | undefined;
  try {
    finding = await deps.findings.getFinding({
      accountId: request.accountId,
      kind: 'USER_NO_MFA',
      userName: request.userName,
    });
  } catch (error) {
    return refuse('store-unavailable', `could not read the finding: ${describeError(error)}`);
  }
  if (finding === undefined || finding.findingId !== request.findingId) {
    return refuse(
      'not-found',
      `no USER_NO_MFA finding ${request.findingId} of user ${request.userName} in ${request.accountId}`,
    );
  }
  const quarantined = finding.quarantine?.quarantined;
  if (quarantined === undefined) {
    const last = finding.quarantine?.released;
    return refuse(
      'not-quarantined',
      `user ${finding.subject} in ${finding.accountId} is not quarantined${last === undefined ? '' : ` (released ${last.at} by ${last.by}: ${last.reason})`}: nothing to release`,
    );
  }
  return { finding, quarantined };
}

/** Handle one release invocation; never throws for a bad request or an AWS refusal. */
export async function releaseByHand(raw: unknown, deps: ReleaseDeps): Promise<ReleaseResponse> {
  let request: ReleaseRequest;
  try {
    request = parseReleaseRequest(raw);
  } catch (error) {
    if (error instanceof InvalidReleaseRequestError) return refuse('invalid-request', error.message);
    throw error;
  }
  const { enforce, logger } = deps;
  const log = { findingId: request.findingId, accountId: request.accountId, by: request.by };
  if (enforce === undefined) {
    return refuse(
      'enforcement-off',
      'enforcement is off in this deployment (enforcement.mode): nobody is quarantined, nothing to release',
    );
  }
  const found = await findingOf(request, deps);
  if ('ok' in found) return found;
  const { finding, quarantined } = found;
  let detached;
  try {
    const iam = await enforce.iamFor(request.accountId, `release-${request.findingId}`);
    detached = await detachQuarantine(iam, {
      userName: finding.subject,
      policyArn: quarantinePolicyArnOf(deps.partition, request.accountId),
    });
  } catch (error) {
    detached = { outcome: 'failed' as const, error: describeError(error) };
  }
  if ('error' in detached) {
    logger.error('Release by hand: the quarantine policy could not be detached', {
      ...log,
      error: detached.error,
    });
    return refuse(
      'detach-failed',
      `could not detach the quarantine policy (${detached.outcome}): ${detached.error}; the user is still quarantined`,
    );
  }
  const now = deps.now();
  let write;
  try {
    write = await deps.quarantines.markReleased(
      { accountId: request.accountId, userName: finding.subject },
      { by: request.by, reason: request.reason, now },
    );
  } catch (error) {
    return refuse(
      'store-unavailable',
      `the policy is detached but the release could not be recorded: ${describeError(error)}`,
    );
  }
  logger.info('Release by hand', { ...log, outcome: detached.outcome, write });
  if (write === 'recorded') await notifyRelease(request, finding, quarantined, now, deps);
  return {
    ok: true,
    findingId: request.findingId,
    accountId: request.accountId,
    userName: finding.subject,
    outcome: detached.outcome,
    recorded: write === 'recorded',
    at: now.toISOString(),
    by: request.by,
    reason: request.reason,
    notBeforeHours: enforce.afterHours,
  };
}

/** The notice: email, chat, and the finding's new state to Security Hub. A failure is logged only. */
async function notifyRelease(
  request: ReleaseRequest,
  before: Finding,
  quarantined: QuarantineMark,
  now: Date,
  deps: ReleaseDeps,
): Promise<void> {
  const input = {
    findingId: request.findingId,
    accountId: request.accountId,
    ...(before.accountAlias === undefined ? {} : { accountAlias: before.accountAlias }),
    userName: before.subject,
    by: request.by,
    reason: request.reason,
    at: now,
    quarantined,
    afterHours: deps.enforce?.afterHours ?? 0,
  };
  try {
    const after = await deps.findings.getFinding({
      accountId: request.accountId,
      kind: 'USER_NO_MFA',
      userName: before.subject,
    });
    await deps.notify({
      kind: 'manual-release',
      source: 'sweep',
      severity: 'INFO',
      ...(after === undefined
        ? {}
        : {
            stored: {
              ref: { accountId: after.accountId, kind: 'USER_NO_MFA', userName: after.subject },
              finding: after,
              sessionHint: `release-${request.findingId}`,
            },
          }),
      messages: {
        email: () => emailMessage(releaseNoticeParts(input, deps.format)),
        chat: () => releaseChatNotice(input, deps.format),
      },
      log: { findingId: request.findingId, finding: RELEASE_NOTICE_FINDING },
    });
  } catch (error) {
    // The release is done and recorded: a failed notice must not report it as failed.
    deps.logger.error('Release by hand: the notice could not be sent', {
      findingId: request.findingId,
      error: describeError(error),
    });
  }
}
