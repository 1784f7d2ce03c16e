/** The sweep's reads of the forward rule and its dead-letter queue inside a member account. */
import type { RoleCredentials } from '../core/credentials';
import { describeError, isAccessDenied, isThrottling } from '../core/errors';
import type { SweepAccountItem } from '../contract/sweep';
import { deadLetterQueueUrl, readDeadLetterDepth } from './dead-letter';
import { judgeForwarding, readForwardRule, type ForwardingStatus } from './forwarding';
import { StepError, type SweepRuntime } from './sweep-runtime';

/**
 * Read the forward rule. AccessDenied (or any failure other than throttling) means the check role
 * cannot read it, typically a role from before the sweep existed or one edited by hand: that is not
 * evidence that forwarding is broken, so the rule is reported as unverified (in the account's
 * reason) and no FORWARDING_BROKEN finding is opened or resolved. An old role would otherwise raise
 * a HIGH finding in every account until the StackSet update lands.
 */
export async function forwardingOf(
  rt: SweepRuntime,
  item: SweepAccountItem,
  credentials: RoleCredentials,
): Promise<ForwardingStatus | { readonly unverified: string }> {
  let rule: Awaited<ReturnType<typeof readForwardRule>>;
  try {
    rule = await readForwardRule(rt.eventBridgeFor(credentials), rt.settings.forwardRuleName);
  } catch (error) {
    if (isThrottling(error)) throw new StepError('events:DescribeRule', error, true);
    const reason = `forward rule not verified (${isAccessDenied(error) ? 'the check role may not read it: ' : ''}${describeError(error)})`;
    rt.logger.warn('Forward rule not readable', { accountId: item.accountId, error: describeError(error) });
    return { unverified: reason };
  }
  return judgeForwarding(rule, rt.settings.centralBusArn, await deadLetterDepthOf(rt, item, credentials));
}

/**
 * Messages in the forward rule's dead-letter queue. A queue the check role may not read (a role from
 * before this permission) or that does not exist yet is no evidence of failed deliveries: undefined.
 */
async function deadLetterDepthOf(
  rt: SweepRuntime,
  item: SweepAccountItem,
  credentials: RoleCredentials,
): Promise<number | undefined> {
  const { settings } = rt;
  const url = deadLetterQueueUrl(
    item.accountId,
    settings.forwardRuleRegion,
    settings.forwardDeadLetterQueueName,
  );
  try {
    return await readDeadLetterDepth(rt.sqsFor(credentials), url);
  } catch (error) {
    if (isThrottling(error)) throw new StepError('sqs:GetQueueAttributes', error, true);
    rt.logger.warn('Forward dead-letter queue not readable', {
      accountId: item.accountId,
      error: describeError(error),
    });
    return undefined;
  }
}
