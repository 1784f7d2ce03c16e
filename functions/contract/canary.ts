/**
 * The canary's contract (docs/adr/0021-canary.md): what the sweep worker writes in each member account
 * and what the member rule forwards and the checker recognises. Imported by `stacks/**` and
 * `functions/**`; it must stay free of any dependency.
 */

/** The IAM call the canary makes: `iam:TagRole` on the check role itself. */
export const CANARY_EVENT_NAME = 'TagRole';

/** The only tag key the check role may set (on itself), and the only one a canary event carries. */
export const CANARY_TAG_KEY = 'org-mfa-watch:canary';

/**
 * A canary's tag value: the sweep id. IAM tag values allow letters, numbers, spaces and `_.:/=+-@`, up
 * to 256 characters (IAM User Guide, "Tagging IAM resources", "Rules for tagging"); Step Functions
 * execution names (the sweep id) are 1 to 80 characters and exclude whitespace, `:` and `/`. A sweep id
 * made only of the characters both allow is a plausible canary value; anything else is not a canary.
 */
export const CANARY_VALUE_PATTERN = /^[\p{L}\p{N}_.=+\-@]{1,80}$/u;

/** Minutes the sweep waits for canaries after the map, when the configuration says nothing. */
export const CANARY_DEFAULT_WAIT_MINUTES = 15;

/** Bounds of `canary.waitMinutes`: at least a minute; at most an hour (a Lambda-free Wait state). */
export const CANARY_WAIT_MINUTES_RANGE = { min: 1, max: 60 } as const;

/** Consecutive sweeps whose canary did not arrive before `REALTIME_PATH_BROKEN` opens. */
export const CANARY_MISSES_TO_ALERT = 2;

/** What the worker did in one account: the tag call was sent, or it failed with a reason. */
export type SentCanary =
  | { readonly accountId: string; readonly sweepId: string; readonly sentAt: string }
  | { readonly accountId: string; readonly sweepId: string; readonly failure: string };

/** Environment variable of the sweep worker: `true` when it sends the canary (`canary.enabled`). */
export const CANARY_ENV = { enabled: 'CANARY_ENABLED' } as const;
