/** What the sweep worker needs for opt-in enforcement (ADR 0022), created once per container. */
import type { AccountSessions } from '../core/credentials';
import type { EnforcementEnv } from '../core/enforcement-env';
import type { FindingStore } from '../core/finding-store';
import type { StoredTransition } from '../core/notify';
import type { QuarantineStore } from '../core/quarantine-store';

/** Enforcement's settings, the enforce role's sessions and the quarantine records. */
export interface EnforcementDeps {
  /** From the environment (functions/core/enforcement-env.ts); mode `off`: nothing is done. */
  readonly settings: EnforcementEnv;
  /** IAM clients on `org-mfa-watch-enforce` sessions (never the read-only check role). */
  readonly sessions: Pick<AccountSessions, 'iamFor'>;
  readonly quarantine: Pick<QuarantineStore, 'listQuarantined' | 'markQuarantined' | 'markReleased' | 'get'>;
  /** Partition of the deployment, for the quarantine policy's ARN. */
  readonly partition: string;
  /**
   * Reads the finding after a quarantine transition, so its notice also imports the new state into
   * Security Hub (the quarantine is in the finding's product fields). Absent: the notice is sent without.
   */
  readonly findings?: Pick<FindingStore, 'getFinding'>;
}

/**
 * The finding of a user whose quarantine just changed, as the notification path's stored transition
 * (Security Hub shows every attach and detach, ADR 0022). Undefined when it cannot be read: the notice
 * still goes out, and the next sweep's re-import carries the state.
 */
export async function quarantineTransition(
  e: Pick<EnforcementDeps, 'findings'>,
  user: { readonly accountId: string; readonly userName: string },
  sessionHint: string,
): Promise<StoredTransition | undefined> {
  if (e.findings === undefined) return undefined;
  const ref = { accountId: user.accountId, kind: 'USER_NO_MFA', userName: user.userName } as const;
  try {
    const finding = await e.findings.getFinding(ref);
    return finding === undefined ? undefined : { ref, finding, sessionHint };
  } catch {
    return undefined;
  }
}
