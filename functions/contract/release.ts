/**
 * A release by hand (docs/adr/0022-enforcement-quarantine.md, "Release by hand"): what
 * `npm run findings -- release` sends to the sweep worker (Lambda Invoke) and what the worker answers.
 * The operator cannot assume the enforce role (it trusts only the worker's role), so the worker detaches
 * the policy. Imported by functions/ and scripts/; free of any npm dependency.
 */

/** The invocation payload: `{ release: ReleaseRequest }` (a sweep batch never has a `release` key). */
export interface ReleaseInvocation {
  readonly release: ReleaseRequest;
}

/** Which quarantine to release, who asks and why. */
export interface ReleaseRequest {
  /** The USER_NO_MFA finding (`f-` + 20 hex), as `npm run findings` lists it. */
  readonly findingId: string;
  /** Its account and user, as the store holds them (the CLI reads them; the worker checks they match). */
  readonly accountId: string;
  readonly userName: string;
  /** Why (one line, 1-500 characters): recorded on the finding and quoted in the notice. */
  readonly reason: string;
  /** Who asks: the operator's ARN (sts:GetCallerIdentity). */
  readonly by: string;
}

/** Why a release was refused or failed. */
export const RELEASE_ERRORS = [
  /** The request is malformed (the message names the field). */
  'invalid-request',
  /** Enforcement is off in this deployment: nothing is quarantined, no enforce role exists. */
  'enforcement-off',
  /** No such USER_NO_MFA finding for that account and user (or its id differs). */
  'not-found',
  /** The finding's user is not quarantined. */
  'not-quarantined',
  /** The enforce role could not be assumed, or IAM refused the detach: the user is still quarantined. */
  'detach-failed',
  /** The finding store could not be read or written. */
  'store-unavailable',
] as const;

/** One of {@link RELEASE_ERRORS}. */
export type ReleaseError = (typeof RELEASE_ERRORS)[number];

/** The worker's answer to a release. */
export type ReleaseResponse =
  | {
      readonly ok: true;
      readonly findingId: string;
      readonly accountId: string;
      readonly userName: string;
      /** `detached`; `not-attached` or `user-gone` when IAM had nothing attached any more. */
      readonly outcome: 'detached' | 'not-attached' | 'user-gone';
      /** False when a concurrent release recorded it first (the policy is detached either way). */
      readonly recorded: boolean;
      /** ISO time of the release. */
      readonly at: string;
      readonly by: string;
      readonly reason: string;
      /** Hours the sweep waits before it may quarantine the user again. */
      readonly notBeforeHours: number;
    }
  | { readonly ok: false; readonly error: ReleaseError; readonly message: string };
