/** What the sweep worker needs for opt-in enforcement (ADR 0022), created once per container. */
import type { AccountSessions } from '../core/credentials';
import type { EnforcementEnv } from '../core/enforcement-env';
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
}
