/**
 * The one notification path (docs/adr/0020-one-notification-path.md). A finding transition, or a notice
 * without a finding, becomes messages here and nowhere else, in one order with one failure policy:
 *
 * 1. the email (the alert topic): the product's promise. If it fails, nothing after it runs and its
 *    error is thrown: the finding stays unnotified, so the next attempt (the checker's redrive, the
 *    next sweep) sends everything once.
 * 2. `markNotified`: the idempotency record, written at once after the email so that no later step
 *    (a slow chat publish, a Security Hub import from inside the member account) can leave a sent
 *    email unrecorded and cause a second one. Best effort: a failed write is logged.
 * 3. chat (after the email, best effort, ADR 0011).
 * 4. Security Hub (best effort: a failure is logged).
 * 5. metrics (`Alerts`, counted only for what was sent).
 *
 * Which of these a notice gets is one table, {@link channelsFor}: a new notice kind is a new row.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { AlertFinding, AlertSeverity } from '../contract/metrics';
import type { FindingRef } from '../contract/findings';
import { CHECKER_TIMEOUT_SECONDS } from '../contract/timing';
import { publishChat } from './chat';
import type { ChatNotification } from './chat-schema';
import { describeError } from './errors';
import type { Finding as StoredFinding, FindingStore } from './finding-store';
import type { CheckerMetrics } from './metrics';
import { publishAlert, type PublishableMessage } from './publish';
import { isSuppressed } from './suppression';

/**
 * What a notice announces:
 * - `alert`: a finding opened, reopened, escalated, or open but never notified;
 * - `resolution`: an open finding was resolved;
 * - `notice`: a message without a finding transition (a user created, a trusted exemption tag, a check
 *   that failed);
 * - `enforcement`: the sweep attached or released a quarantine, or halted enforcement (ADR 0022): email and
 *   chat, naming the user, the reason and how to release; the finding's own state does not change.
 * - `manual-release`: a person released a quarantined user by hand (ADR 0022): the finding stays open,
 *   its quarantine changed (functions/sweep-worker/release-request.ts).
 */
export const NOTICE_KINDS = ['alert', 'resolution', 'notice', 'enforcement', 'manual-release'] as const;
/** One of {@link NOTICE_KINDS}. */
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Who saw the transition: the event checker (real time) or the daily sweep (it also has a digest). */
export type NoticeSource = 'event' | 'sweep';

/** The steps a notice gets; chat always follows a sent email. */
export interface Channels {
  /** An email (and then a chat message) is sent. */
  readonly email: boolean;
  /** The finding is recorded as notified, even without an email (the digest notifies it). */
  readonly markNotified: boolean;
  /** The finding's new state is imported into Security Hub (the system of record, every severity). */
  readonly securityHub: boolean;
}

/**
 * The channel table. A sweep's MEDIUM finding goes to the daily digest, not to an email of its own, but
 * is marked notified so the event path does not alert it later; an event's MEDIUM finding (a user just
 * created without a password and without MFA) is emailed: a person is acting now, and there is no digest
 * on the event path. A sweep's resolution is in the digest; an event's resolution is emailed. Pure.
 */
export function channelsFor(kind: NoticeKind, source: NoticeSource, severity: AlertSeverity): Channels {
  switch (kind) {
    case 'alert':
      return {
        email: !(source === 'sweep' && severity === 'MEDIUM'),
        markNotified: true,
        securityHub: true,
      };
    case 'resolution':
      return { email: source === 'event', markNotified: false, securityHub: true };
    case 'notice':
      return { email: true, markNotified: false, securityHub: false };
    // The quarantine is in the finding's Security Hub product fields: a notice that carries its finding
    // imports the new state (a halt has none, so nothing is imported).
    case 'enforcement':
      return { email: true, markNotified: false, securityHub: true };
    // Emailed (a person changed a user's access: the team hears of it), not marked notified (the
    // finding's own alert record is unchanged), imported so Security Hub shows the quarantine released.
    case 'manual-release':
      return { email: true, markNotified: false, securityHub: true };
  }
}

/**
 * An open finding whose alert never went out (the email failed after the finding was recorded) is
 * alerted when it is seen again, once no first attempt can still be running: after one checker timeout.
 */
export const UNNOTIFIED_AFTER_MS = CHECKER_TIMEOUT_SECONDS * 1000;

/**
 * True when an open finding seen again was never notified in its current open period, is not accepted
 * (suppressed), and no first attempt can still be running. Pure.
 */
export function neverNotified(finding: StoredFinding, now: Date): boolean {
  // ISO-8601 UTC strings order like the times they name.
  const notified = finding.lastNotified !== undefined && finding.lastNotified >= finding.openedAt;
  if (notified || isSuppressed(finding, now)) return false;
  return now.getTime() - Date.parse(finding.openedAt) > UNNOTIFIED_AFTER_MS;
}

/** The finding a notice is about, after its transition. */
export interface StoredTransition {
  readonly ref: FindingRef;
  readonly finding: StoredFinding;
  /** USER_NO_MFA: the user's IAM path, for the Security Hub resource. */
  readonly userPath?: string;
  /** Names the member-account session of the Security Hub import (the event id, the sweep id). */
  readonly sessionHint: string;
}

/** The messages of a notice, rendered only when its channels send them. */
export interface NoticeMessages {
  /** The email. */
  readonly email: () => PublishableMessage;
  /** The chat message (may load its formatting on first use). */
  readonly chat: () => ChatNotification | Promise<ChatNotification>;
}

/** A notice the channel table sends by email came without messages to send: a programming error. */
export class NoticeWithoutMessagesError extends Error {
  constructor(
    readonly kind: NoticeKind,
    readonly source: NoticeSource,
  ) {
    super(`A ${kind} notice from the ${source} is sent by email but has no messages to render`);
    this.name = 'NoticeWithoutMessagesError';
  }
}

/** One notice: what it is about and how to render it (rendered only when its channel is used). */
export interface Notice {
  readonly kind: NoticeKind;
  readonly source: NoticeSource;
  readonly severity: AlertSeverity;
  /**
   * The stored finding after the transition, for `markNotified` and Security Hub. Absent for a notice
   * without a finding, or when the finding store could not be reached (the email goes out anyway).
   */
  readonly stored?: StoredTransition;
  /** Required when {@link channelsFor} sends this notice by email. */
  readonly messages?: NoticeMessages;
  /** Counted as `Alerts` by Severity and Finding once the email is sent. Absent: not counted. */
  readonly counted?: { readonly severity: AlertSeverity; readonly finding: AlertFinding };
  /**
   * Asked before the email (the sweep's storm guard): false holds the email and chat, and leaves the
   * finding unnotified for the aggregated alert; Security Hub still gets it. Absent: always admitted.
   */
  readonly admit?: () => Promise<boolean>;
  /** Extra fields for the log lines. */
  readonly log?: Readonly<Record<string, unknown>>;
}

/** How a notice ended (an email that failed is a thrown error instead). */
export type NoticeOutcome =
  /** The email (and chat, when configured) went out. */
  | 'sent'
  /** No email by the channel table (a sweep's MEDIUM finding or resolution). */
  | 'no-email'
  /** The admit check held the email for an aggregated alert. */
  | 'held';

/** Everything the notification path needs; created once per container. */
export interface NotifierDeps {
  readonly sns: SNSClient;
  readonly alertTopicArn: string;
  /** The chat topic. Absent: email only. */
  readonly chatTopicArn?: string;
  /** Absent: nothing is recorded as notified. */
  readonly findings?: Pick<FindingStore, 'markNotified'>;
  /**
   * Imports one finding's state into Security Hub (functions/core/security-hub.ts never throws; should
   * it, the failure is logged). Absent: the export is off.
   */
  readonly exportFinding?: (stored: StoredTransition) => Promise<void>;
  readonly metrics?: Pick<CheckerMetrics, 'alertPublished'>;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly now: () => Date;
}

/** Sends one notice through the one path; see the module comment for the order and the failure policy. */
export type Notifier = (notice: Notice) => Promise<NoticeOutcome>;

/** Build the notification path. */
export function createNotifier(deps: NotifierDeps): Notifier {
  const { logger } = deps;

  async function markNotified(notice: Notice): Promise<void> {
    if (deps.findings === undefined || notice.stored === undefined) return;
    try {
      await deps.findings.markNotified({ ...notice.stored.ref, now: deps.now() });
    } catch (error) {
      logger.warn('Could not record the notification in the finding store', {
        ...notice.log,
        error: describeError(error),
      });
    }
  }

  async function postToChat(
    notice: Notice,
    messages: NoticeMessages,
    attributes: Readonly<Record<string, string>>,
  ): Promise<void> {
    if (deps.chatTopicArn === undefined) return;
    try {
      const messageId = await publishChat(deps.sns, deps.chatTopicArn, await messages.chat(), attributes);
      logger.info('Chat message published', { ...notice.log, messageId });
    } catch (error) {
      // Swallowed on purpose: the email went out, and failing now would send it again on a retry.
      logger.error('Could not publish the chat message; the email alert is not affected', {
        ...notice.log,
        error: describeError(error),
      });
    }
  }

  async function exportFinding(notice: Notice): Promise<void> {
    if (deps.exportFinding === undefined || notice.stored === undefined) return;
    try {
      await deps.exportFinding(notice.stored);
    } catch (error) {
      // The exporter is built never to throw; should one still fail, it must not undo the email.
      logger.error('Could not import the finding into Security Hub; the email alert is not affected', {
        ...notice.log,
        error: describeError(error),
      });
    }
  }

  return async function notify(notice) {
    const channels = channelsFor(notice.kind, notice.source, notice.severity);
    if (!channels.email) {
      if (channels.markNotified) await markNotified(notice);
      if (channels.securityHub) await exportFinding(notice);
      return 'no-email';
    }
    const { messages } = notice;
    if (messages === undefined) throw new NoticeWithoutMessagesError(notice.kind, notice.source);
    if (notice.admit !== undefined && !(await notice.admit())) {
      logger.info('Alert storm: alert held for the aggregated alert', { ...notice.log });
      if (channels.securityHub) await exportFinding(notice);
      return 'held';
    }
    const message = messages.email();
    // A failure here is thrown before anything else ran: the finding stays unnotified for the next try.
    const messageId = await publishAlert(deps.sns, deps.alertTopicArn, message);
    logger.info('Alert published', { ...notice.log, kind: notice.kind, messageId });
    if (channels.markNotified) await markNotified(notice);
    await postToChat(notice, messages, message.attributes);
    if (channels.securityHub) await exportFinding(notice);
    if (notice.counted !== undefined) {
      deps.metrics?.alertPublished(notice.counted.severity, notice.counted.finding);
    }
    return 'sent';
  };
}
