import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../bin/app';
import { ConfigError, parseConfig } from '../../stacks/config';
import { NAMES, STACK_IDS } from '../../stacks/names';
import { rawTestConfig, testConfig, testAppProps } from '../helpers/app';

/** The stack `id` of the app. */
function stackOf(app: App, id: string): Stack {
  const child = app.node.findChild(id);
  if (!(child instanceof Stack)) throw new Error(`${id} is not a stack`);
  return child;
}

// sweep.enabled pauses the sweep's triggers without removing them; sweep.alertStormThreshold reaches
// the worker; the planner knows where the StackSet is administered (docs/configuration.md, "Sweep").

function central(sweep: Record<string, unknown>, rollout?: Record<string, unknown>): Template {
  const app = new App(testAppProps());
  buildApp(app, testConfig({ sweep, ...(rollout === undefined ? {} : { rollout }) }));
  return Template.fromStack(stackOf(app, STACK_IDS.central));
}

describe('sweep.enabled', () => {
  it.each([
    [true, 'ENABLED'],
    [false, 'DISABLED'],
  ] as const)('%s: the daily schedule and both joining-account rules are deployed %s', (enabled, state) => {
    const template = central({ enabled });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { State: state });
    for (const name of [NAMES.sweepJoinedCreatedRule, NAMES.sweepJoinedInvitedRule]) {
      template.hasResourceProperties('AWS::Events::Rule', { Name: name, State: state });
    }
    // Paused, not removed: the state machine and its functions stay.
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  });

  it('defaults to true and refuses anything but a boolean', () => {
    expect(testConfig().sweep.enabled).toBe(true);
    expect(() => parseConfig({ ...rawTestConfig(), sweep: { enabled: 'no' } })).toThrow(
      'sweep.enabled: expected true or false',
    );
  });
});

describe('sweep.alertStormThreshold', () => {
  it('defaults to 10 and reaches the worker', () => {
    expect(testConfig().sweep.alertStormThreshold).toBe(10);
    central({ alertStormThreshold: 25 }).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ALERT_STORM_THRESHOLD: '25' }) },
    });
  });

  it.each([
    [0, 'sweep.alertStormThreshold: expected at least 1 accounts'],
    [1001, 'sweep.alertStormThreshold: expected at most 1000 accounts'],
    [2.5, 'sweep.alertStormThreshold: expected a whole number of accounts'],
  ])('refuses %j', (value, message) => {
    let problems: readonly string[] = [];
    try {
      parseConfig({ ...rawTestConfig(), sweep: { alertStormThreshold: value } });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems.join('\n')).toContain(message);
  });
});

describe('the planner reads the StackSet where it is administered', () => {
  it.each([
    [{ deployFrom: 'management', organizationalUnitIds: ['ou-ab12-34cd56ef'] }, '111111111111', 'SELF'],
    [
      { deployFrom: 'delegated-admin', organizationalUnitIds: ['ou-ab12-34cd56ef'] },
      '222222222222',
      'DELEGATED_ADMIN',
    ],
    [
      {
        deployFrom: 'delegated-admin',
        delegatedAdminAccountId: '444444444444',
        organizationalUnitIds: ['ou-ab12-34cd56ef'],
      },
      '444444444444',
      'DELEGATED_ADMIN',
    ],
  ])('%j: reader role in %s, CallAs %s', (rollout, account, callAs) => {
    central({}, rollout).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ROLLOUT_READER_ROLE_ARN: Match.objectLike({
            'Fn::Join': ['', Match.arrayWith([`:iam::${account}:role/${NAMES.rolloutReaderRole}`])],
          }),
          STACK_SET_NAME: NAMES.stackSet,
          STACK_SET_CALL_AS: callAs,
          STACK_SET_REGION: 'us-east-1',
        }),
      },
    });
  });
});
