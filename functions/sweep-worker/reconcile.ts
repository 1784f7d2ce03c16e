/**
 * What one account's sweep reads live and what it writes to the finding store, decided from the
 * credential report, the account's open findings and IAM's live answers. Pure: the I/O is in
 * sweep-batch.ts. The report only nominates users to read; every finding opened or resolved here rests
 * on a live read, because the report can be hours old (and users created since are missing from it).
 */
import type { Finding as StoredFinding } from '../core/finding-store';
import { evaluateExemptions } from '../core/exemptions';
import type { UserReport } from '../core/iam-facts';
import { judgeRoot, judgeUser, type RootFacts } from '../core/judge';
import type { Exemption } from '../contract/exemption';
import {
  ACCOUNT_SUBJECT,
  ROOT_SUBJECT,
  findingSortKey,
  type FindingKind,
  type FindingRef,
  type FindingSeverity,
  type ResolutionReason,
} from '../contract/findings';
import type { CredentialReport, ReportUser } from './credential-report';
import type { ForwardingStatus } from './forwarding';

const HOUR_MS = 3_600_000;

/** A user whose MFA is read live. */
export interface UserToRead {
  readonly userName: string;
  /** The user's row in the report; absent for a user with an open finding created after the report. */
  readonly row?: ReportUser;
}

/** What to read live in one account. */
export interface ReadPlan {
  readonly users: readonly UserToRead[];
  /** Read the root user's summary (the report says no MFA, an open root finding, or no root row). */
  readonly readRoot: boolean;
  /** Users still inside their grace period, left to the event path (lower-case names). */
  readonly inGracePeriod: ReadonlySet<string>;
}

/** Inputs of {@link planReads}. */
export interface PlanInput {
  readonly report: CredentialReport;
  /** The account's OPEN findings. */
  readonly open: readonly StoredFinding[];
  readonly now: Date;
  readonly gracePeriodHours: number;
}

/**
 * Choose the users to read live: report rows without MFA (the candidates) and users with an open
 * finding the report does not confirm, except users created within the grace period (their check is
 * the event path's scheduled re-check). Pure.
 */
export function planReads(input: PlanInput): ReadPlan {
  const graceStart = input.now.getTime() - input.gracePeriodHours * HOUR_MS;
  const inGracePeriod = new Set(
    input.gracePeriodHours > 0
      ? input.report.users
          .filter((u) => u.createdAt.getTime() > graceStart)
          .map((u) => u.userName.toLowerCase())
      : [],
  );
  const rows = new Map(input.report.users.map((u) => [u.userName.toLowerCase(), u]));
  const users = new Map<string, UserToRead>();
  for (const row of input.report.users) {
    const key = row.userName.toLowerCase();
    if (!row.mfaActive && !inGracePeriod.has(key)) users.set(key, { userName: row.userName, row });
  }
  for (const finding of input.open) {
    if (finding.kind !== 'USER_NO_MFA') continue;
    const key = finding.subject.toLowerCase();
    if (users.has(key) || inGracePeriod.has(key)) continue;
    const row = rows.get(key);
    users.set(key, { userName: row?.userName ?? finding.subject, ...(row === undefined ? {} : { row }) });
  }
  const readRoot =
    input.report.root === undefined ||
    !input.report.root.mfaActive ||
    input.open.some((f) => f.kind === 'ROOT_NO_MFA');
  return { users: [...users.values()], readRoot, inGracePeriod };
}

/** Facts of a finding the report adds (console password, last use). */
interface Context {
  readonly consolePassword?: boolean;
  readonly lastUsed?: Date;
}

/** One change to make (or not) in the finding store. */
export type StoreOperation =
  /** A problem confirmed live: record it (opened, reopened, escalated or unchanged). */
  | ({
      readonly op: 'observe';
      readonly ref: FindingRef;
      readonly severity: FindingSeverity;
      /** The alert finding (`NO_MFA_CONSOLE`, `ROOT_NO_MFA`, `RULE_DISABLED`...). */
      readonly detail: string;
    } & Context)
  /** An open finding found fixed live. */
  | ({ readonly op: 'resolve'; readonly finding: StoredFinding; readonly reason: ResolutionReason } & Context)
  /** An open finding this sweep could not confirm either way (grace period, unreadable rule): untouched. */
  | { readonly op: 'keep'; readonly finding: StoredFinding };

/** What one account's live reads found. */
export interface Observations {
  readonly accountId: string;
  readonly now: Date;
  readonly exemptions: readonly Exemption[];
  readonly trustExemptionTags: boolean;
  readonly open: readonly StoredFinding[];
  readonly users: readonly { readonly target: UserToRead; readonly facts: UserReport }[];
  /** Absent when the plan did not read root. */
  readonly root?: RootFacts;
  /** The root user's last use, from the report's root row. */
  readonly rootLastUsed?: Date;
  /** Absent when the forward rule could not be read (AccessDenied...): nothing is opened or resolved. */
  readonly forwarding?: ForwardingStatus;
}

/** The finding store's reference of a stored finding. */
export function refOf(finding: StoredFinding): FindingRef {
  return finding.kind === 'USER_NO_MFA'
    ? { accountId: finding.accountId, kind: finding.kind, userName: finding.subject }
    : { accountId: finding.accountId, kind: finding.kind };
}

function keyOf(kind: FindingKind, subject: string): string {
  return findingSortKey(kind, subject);
}

/** The operations decided so far, and the open findings no operation has claimed yet. */
class Ledger {
  readonly operations: StoreOperation[] = [];
  private readonly open: Map<string, StoredFinding>;

  constructor(open: readonly StoredFinding[]) {
    this.open = new Map(open.map((f) => [keyOf(f.kind, f.subject), f]));
  }

  /** Resolve the finding of this kind and subject, when one is open. */
  resolveIfOpen(kind: FindingKind, subject: string, reason: ResolutionReason, context: Context): void {
    const finding = this.open.get(keyOf(kind, subject));
    if (finding === undefined) return;
    this.open.delete(keyOf(kind, subject));
    this.operations.push({ op: 'resolve', finding, reason, ...context });
  }

  /** Record a problem confirmed live. */
  observe(
    ref: FindingRef,
    severity: FindingSeverity,
    detail: string,
    subject: string,
    context: Context,
  ): void {
    this.open.delete(keyOf(ref.kind, subject));
    this.operations.push({ op: 'observe', ref, severity, detail, ...context });
  }

  /** Every operation, then a `keep` for each open finding nothing claimed. */
  close(): StoreOperation[] {
    return [
      ...this.operations,
      ...[...this.open.values()].map((finding) => ({ op: 'keep' as const, finding })),
    ];
  }
}

function decideUsers(obs: Observations, ledger: Ledger): void {
  for (const { target, facts } of obs.users) {
    const row = target.row;
    const context: Context = {
      ...(facts.exists ? { consolePassword: facts.hasConsolePassword } : {}),
      ...(row?.lastUsed === undefined ? {} : { lastUsed: row.lastUsed }),
    };
    const exemption = evaluateExemptions(
      {
        accountId: obs.accountId,
        userName: target.userName,
        ...(row === undefined ? {} : { path: row.path }),
        tags: facts.tags,
      },
      obs.exemptions,
      obs.now,
      { trustTags: obs.trustExemptionTags },
    );
    const verdict = judgeUser(facts, exemption);
    switch (verdict.action) {
      case 'skip':
        ledger.resolveIfOpen('USER_NO_MFA', target.userName, facts.exists ? 'exempted' : 'deleted', context);
        break;
      case 'notice':
        ledger.resolveIfOpen('USER_NO_MFA', target.userName, 'exempted', context);
        break;
      case 'no-alert':
        ledger.resolveIfOpen('USER_NO_MFA', target.userName, 'mfa-enabled', context);
        break;
      case 'alert':
        ledger.observe(
          { accountId: obs.accountId, kind: 'USER_NO_MFA', userName: target.userName },
          verdict.severity,
          verdict.finding,
          target.userName,
          context,
        );
        break;
    }
  }
}

function decideRoot(obs: Observations, ledger: Ledger): void {
  if (obs.root === undefined) return;
  const verdict = judgeRoot(obs.root);
  if (verdict.action === 'alert') {
    ledger.observe(
      { accountId: obs.accountId, kind: 'ROOT_NO_MFA' },
      verdict.severity,
      verdict.finding,
      ROOT_SUBJECT,
      {
        consolePassword: true,
        ...(obs.rootLastUsed === undefined ? {} : { lastUsed: obs.rootLastUsed }),
      },
    );
  } else {
    ledger.resolveIfOpen(
      'ROOT_NO_MFA',
      ROOT_SUBJECT,
      obs.root.mfaEnabled ? 'mfa-enabled' : 'console-removed',
      {},
    );
  }
}

function decideForwarding(obs: Observations, ledger: Ledger): void {
  if (obs.forwarding?.status === 'broken') {
    ledger.observe(
      { accountId: obs.accountId, kind: 'FORWARDING_BROKEN' },
      'HIGH',
      obs.forwarding.problem,
      ACCOUNT_SUBJECT,
      {},
    );
  } else if (obs.forwarding?.status === 'ok') {
    ledger.resolveIfOpen('FORWARDING_BROKEN', ACCOUNT_SUBJECT, 'forwarding-restored', {});
  }
}

/**
 * Turn one account's observations into store operations: observe every problem confirmed live,
 * resolve every open finding found fixed live (with the reason), keep the rest. The check role was
 * assumed to get here, so an open ACCOUNT_NOT_COVERED is resolved (`role-reachable`). Pure.
 */
export function decideAccount(obs: Observations): StoreOperation[] {
  const ledger = new Ledger(obs.open);
  decideUsers(obs, ledger);
  decideRoot(obs, ledger);
  decideForwarding(obs, ledger);
  ledger.resolveIfOpen('ACCOUNT_NOT_COVERED', ACCOUNT_SUBJECT, 'role-reachable', {});
  return ledger.close();
}
