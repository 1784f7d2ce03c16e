/**
 * Attaching and detaching the quarantine policy in a member account (docs/adr/0022-enforcement-quarantine.md),
 * with the IAM client of an `org-mfa-watch-enforce` session. Idempotent: the user's attached policies are
 * read first, so a repeated sweep neither attaches twice nor fails on a policy already gone. Every AWS
 * refusal becomes a reported outcome: one user's failure never fails the account's sweep.
 */
import {
  AttachUserPolicyCommand,
  DetachUserPolicyCommand,
  ListAttachedUserPoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { QUARANTINE_POLICY_NAME } from '../contract/enforcement';
import { describeError, errorName, isAccessDenied, isThrottling } from '../core/errors';

/** The user and the account's quarantine policy. */
export interface EnforceTarget {
  readonly userName: string;
  /** ARN of the quarantine policy in the user's account ({@link quarantinePolicyArnOf}). */
  readonly policyArn: string;
}

/** What an attach came to. Only `attached` is a new quarantine (record it, notify). */
export type AttachOutcome =
  | { readonly outcome: 'attached' | 'already-attached' }
  | {
      readonly outcome: 'user-gone' | 'policy-missing' | 'policy-limit' | 'denied' | 'throttled' | 'failed';
      readonly error: string;
    };

/** What a detach came to. `detached`, `not-attached` and `user-gone` all mean the user is free. */
export type DetachOutcome =
  | { readonly outcome: 'detached' | 'not-attached' | 'user-gone' }
  | { readonly outcome: 'denied' | 'throttled' | 'failed'; readonly error: string };

/** ARN of the quarantine policy of `accountId` (IAM ARNs have no region). */
export function quarantinePolicyArnOf(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:policy/${QUARANTINE_POLICY_NAME}`;
}

const isNoSuchEntity = (error: unknown): boolean => {
  const name = errorName(error);
  return name === 'NoSuchEntityException' || name === 'NoSuchEntity';
};
// IAM's AttachUserPolicy answers LimitExceeded when the user already has the most managed policies
// allowed (IAM User Guide, "IAM and AWS STS quotas": managed policies per user): not throttling here.
const isLimitExceeded = (error: unknown): boolean => {
  const name = errorName(error);
  return name === 'LimitExceededException' || name === 'LimitExceeded';
};

type Failure = { readonly outcome: 'denied' | 'throttled' | 'failed'; readonly error: string };
function failure(error: unknown): Failure {
  const text = describeError(error);
  if (isAccessDenied(error)) return { outcome: 'denied', error: text };
  if (isThrottling(error)) return { outcome: 'throttled', error: text };
  return { outcome: 'failed', error: text };
}

/** Whether the policy is attached to the user (all pages), or `user-gone`. */
async function isAttached(iam: IAMClient, target: EnforceTarget): Promise<boolean | 'user-gone'> {
  let marker: string | undefined;
  try {
    do {
      const page = await iam.send(
        new ListAttachedUserPoliciesCommand({
          UserName: target.userName,
          ...(marker === undefined ? {} : { Marker: marker }),
        }),
      );
      if ((page.AttachedPolicies ?? []).some((p) => p.PolicyArn === target.policyArn)) return true;
      marker = page.IsTruncated === true ? page.Marker : undefined;
    } while (marker !== undefined);
  } catch (error) {
    if (isNoSuchEntity(error)) return 'user-gone';
    throw error;
  }
  return false;
}

/** Attach the quarantine policy to the user, unless it already is. Never throws. */
export async function attachQuarantine(iam: IAMClient, target: EnforceTarget): Promise<AttachOutcome> {
  let attached: boolean | 'user-gone';
  try {
    attached = await isAttached(iam, target);
  } catch (error) {
    return failure(error);
  }
  if (attached === 'user-gone') return { outcome: 'user-gone', error: `no user ${target.userName}` };
  if (attached) return { outcome: 'already-attached' };
  try {
    await iam.send(new AttachUserPolicyCommand({ UserName: target.userName, PolicyArn: target.policyArn }));
    return { outcome: 'attached' };
  } catch (error) {
    // The user was listed a moment ago: NoSuchEntity now is the policy (enforcement not yet deployed in
    // this account) or a user deleted in between; either way nothing is attached.
    if (isNoSuchEntity(error)) return { outcome: 'policy-missing', error: describeError(error) };
    if (isLimitExceeded(error)) return { outcome: 'policy-limit', error: describeError(error) };
    return failure(error);
  }
}

/** Detach the quarantine policy from the user, if attached. Never throws. */
export async function detachQuarantine(iam: IAMClient, target: EnforceTarget): Promise<DetachOutcome> {
  let attached: boolean | 'user-gone';
  try {
    attached = await isAttached(iam, target);
  } catch (error) {
    return failure(error);
  }
  if (attached === 'user-gone') return { outcome: 'user-gone' };
  if (!attached) return { outcome: 'not-attached' };
  try {
    await iam.send(new DetachUserPolicyCommand({ UserName: target.userName, PolicyArn: target.policyArn }));
    return { outcome: 'detached' };
  } catch (error) {
    // Detached (or the user deleted) between the read and the call: the user is free either way.
    if (isNoSuchEntity(error)) return { outcome: 'not-attached' };
    return failure(error);
  }
}
