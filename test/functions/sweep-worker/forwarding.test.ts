import { describe, expect, it } from 'vitest';
import { judgeForwarding } from '../../../functions/sweep-worker/forwarding';

const BUS = 'arn:aws:events:us-east-1:222222222222:event-bus/org-mfa-watch';

// EventBridge API reference, DescribeRule: State is ENABLED, DISABLED or
// ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS; a disabled rule forwards nothing.
describe('judgeForwarding', () => {
  it.each([
    ['missing', undefined, { status: 'broken', problem: 'RULE_MISSING' }],
    ['disabled', { state: 'DISABLED', targetArns: [BUS] }, { status: 'broken', problem: 'RULE_DISABLED' }],
    [
      'enabled without targets',
      { state: 'ENABLED', targetArns: [] },
      { status: 'broken', problem: 'WRONG_TARGET', targetArns: [] },
    ],
    [
      'enabled, targeting a look-alike bus in another account',
      { state: 'ENABLED', targetArns: ['arn:aws:events:us-east-1:999999999999:event-bus/org-mfa-watch'] },
      // The actual targets travel with the problem: the alert shows them beside the expected bus.
      {
        status: 'broken',
        problem: 'WRONG_TARGET',
        targetArns: ['arn:aws:events:us-east-1:999999999999:event-bus/org-mfa-watch'],
      },
    ],
    [
      'enabled, targeting the central bus among others',
      { state: 'ENABLED', targetArns: ['arn:x', BUS] },
      { status: 'ok' },
    ],
    [
      'enabled for all CloudTrail management events',
      { state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', targetArns: [BUS] },
      { status: 'ok' },
    ],
  ] as const)('a rule that is %s', (_name, rule, expected) => {
    expect(judgeForwarding(rule, BUS)).toEqual(expected);
  });
});
