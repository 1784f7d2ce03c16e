import {
  DescribeRuleCommand,
  ListTargetsByRuleCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { errorName } from '../core/errors';
import type { SweepForwardingFacts } from '../contract/sweep';

/** What the member account's forward rule looks like (default bus, us-east-1). */
export interface ForwardRule {
  /** `ENABLED`, `DISABLED` or `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` (EventBridge API reference, Rule). */
  readonly state: string;
  /** ARNs of the rule's targets; not read for a disabled rule (it forwards nothing either way). */
  readonly targetArns: readonly string[];
}

/**
 * Why forwarding is broken: the `detail` of a FORWARDING_BROKEN finding. `DELIVERIES_FAILING`: the rule
 * looks right, but events wait in its dead-letter queue (EventBridge could not deliver them).
 */
export type ForwardingProblem = 'RULE_MISSING' | 'RULE_DISABLED' | 'WRONG_TARGET' | 'DELIVERIES_FAILING';

/** The forward rule judged against the central bus. */
export type ForwardingStatus =
  | { readonly status: 'ok' }
  | {
      readonly status: 'broken';
      readonly problem: ForwardingProblem;
      /** DELIVERIES_FAILING: messages in the dead-letter queue. */
      readonly deadLetterMessages?: number;
      /** WRONG_TARGET: what the rule targets instead of the central bus (shown in the alert). */
      readonly targetArns?: readonly string[];
    };

function isNotFound(error: unknown): boolean {
  return errorName(error) === 'ResourceNotFoundException';
}

/**
 * Read the forward rule: DescribeRule, then (for an enabled rule) its targets, following NextToken
 * (a rule has at most five targets: one page). Undefined when the rule does not exist. Errors other
 * than "not found" propagate (AccessDenied, throttling) for the caller to judge.
 */
export async function readForwardRule(
  events: EventBridgeClient,
  ruleName: string,
): Promise<ForwardRule | undefined> {
  let state: string;
  try {
    const rule = await events.send(new DescribeRuleCommand({ Name: ruleName }));
    state = rule.State ?? 'DISABLED';
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  if (!isEnabled(state)) return { state, targetArns: [] };
  const targetArns: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await events.send(
        new ListTargetsByRuleCommand({ Rule: ruleName, ...(nextToken ? { NextToken: nextToken } : {}) }),
      );
      for (const target of page.Targets ?? []) if (target.Arn) targetArns.push(target.Arn);
      nextToken = page.NextToken;
    } while (nextToken);
  } catch (error) {
    // Deleted between the two reads.
    if (isNotFound(error)) return undefined;
    throw error;
  }
  return { state, targetArns };
}

function isEnabled(state: string): boolean {
  return state === 'ENABLED' || state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
}

/**
 * Judge the forward rule: it must exist, be enabled and have a target whose ARN is exactly the central
 * bus's (a look-alike bus in another account or region forwards nowhere we read), and its dead-letter
 * queue must be empty (`deadLetterMessages`; undefined when it could not be read). A broken rule is
 * named first: it explains the failed deliveries too. Pure.
 */
export function judgeForwarding(
  rule: ForwardRule | undefined,
  centralBusArn: string,
  deadLetterMessages?: number,
): ForwardingStatus {
  if (rule === undefined) return { status: 'broken', problem: 'RULE_MISSING' };
  if (!isEnabled(rule.state)) return { status: 'broken', problem: 'RULE_DISABLED' };
  if (!rule.targetArns.includes(centralBusArn)) {
    return { status: 'broken', problem: 'WRONG_TARGET', targetArns: rule.targetArns };
  }
  if (deadLetterMessages !== undefined && deadLetterMessages > 0) {
    return { status: 'broken', problem: 'DELIVERIES_FAILING', deadLetterMessages };
  }
  return { status: 'ok' };
}

/** The account's `reason` in the sweep report: an unverified rule, or the count of failed deliveries. Pure. */
export function forwardingReason(forwarding: ForwardingStatus | { readonly unverified: string }): {
  reason?: string;
} {
  if ('unverified' in forwarding) return { reason: forwarding.unverified };
  if (forwarding.status === 'broken' && forwarding.problem === 'DELIVERIES_FAILING')
    return {
      reason: `deliveries failing: ${forwarding.deadLetterMessages ?? 0} event(s) in the forward rule's dead-letter queue`,
    };
  return {};
}

/** The forward rule as the account's result carries it (shown by a REALTIME_PATH_BROKEN alert). Pure. */
export function forwardingFacts(forwarding: ForwardingStatus | { readonly unverified: string }): {
  forwarding: SweepForwardingFacts;
} {
  if ('unverified' in forwarding) return { forwarding: { rule: 'unverified' } };
  if (forwarding.status === 'ok') return { forwarding: { rule: 'ok' } };
  return {
    forwarding: {
      rule: forwarding.problem,
      ...(forwarding.deadLetterMessages === undefined
        ? {}
        : { deadLetterMessages: forwarding.deadLetterMessages }),
    },
  };
}
