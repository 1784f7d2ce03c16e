/**
 * The canary's one call (docs/adr/0021-canary.md): with the check role's session in an account, tag
 * the check role itself with the canary key and the sweep id. IAM records it in us-east-1, like a
 * CreateUser, and the member rule forwards it to the checker. The IAM client is passed in, built on the
 * check role's credentials (the grant allows only this role and this key).
 */
import { TagRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { CANARY_TAG_KEY, CANARY_VALUE_PATTERN, type SentCanary } from '../contract/canary';
import { describeError } from '../core/errors';
import type { SweepRuntime } from './sweep-runtime';

/**
 * Send the canary of sweep `sweepId` in `accountId`. Never throws for AWS's answer: a denied or failed
 * call comes back as `failure` with AWS's error (`AccessDenied: ...` names an SCP or a changed role), so
 * the comparison can name the reason instead of reporting a silent gap. A sweep id no tag value can
 * hold fails the same way, without a call.
 */
export async function sendCanary(
  iam: IAMClient,
  input: { readonly accountId: string; readonly sweepId: string; readonly checkRoleName: string },
  now: () => Date,
): Promise<SentCanary> {
  const { accountId, sweepId } = input;
  if (!CANARY_VALUE_PATTERN.test(sweepId)) {
    return {
      accountId,
      sweepId,
      failure: `the sweep id ${JSON.stringify(sweepId)} cannot be an IAM tag value (1-80 letters, digits, _.=+-@)`,
    };
  }
  try {
    await iam.send(
      new TagRoleCommand({ RoleName: input.checkRoleName, Tags: [{ Key: CANARY_TAG_KEY, Value: sweepId }] }),
    );
    return { accountId, sweepId, sentAt: now().toISOString() };
  } catch (error) {
    return { accountId, sweepId, failure: describeError(error) };
  }
}

/**
 * The worker's canary step in one account (one hook in account-sweep.ts): with the canary on and a sweep
 * id to carry, send it once with the check role's IAM client and return it for the account's result. A
 * failed call never fails the account: it is logged, and its reason travels in the result.
 */
export async function canaryStep(
  rt: Pick<SweepRuntime, 'settings' | 'logger' | 'now'>,
  accountId: string,
  iam: IAMClient,
  sweepId: string | undefined,
): Promise<{ canary?: SentCanary }> {
  if (!rt.settings.canaryEnabled || sweepId === undefined) return {};
  const canary = await sendCanary(
    iam,
    { accountId, sweepId, checkRoleName: rt.settings.checkRoleName },
    rt.now,
  );
  if ('failure' in canary) {
    rt.logger.warn('Canary not sent: the tag call failed', { accountId, reason: canary.failure });
  }
  return { canary };
}
