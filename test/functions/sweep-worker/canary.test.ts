import { IAMClient, TagRoleCommand, UntagRoleCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { sendCanary } from '../../../functions/sweep-worker/canary';

// Issue 22: the worker's one canary call, on aws-sdk-client-mock (the exact command is asserted).
const iam = mockClient(IAMClient);
// mockClient replaces send on every IAMClient: this one stands for the client on the check role's session.
const client = new IAMClient({ region: 'us-east-1' });
const NOW = new Date('2026-12-07T06:04:00.000Z');
const input = {
  accountId: '333333333333',
  sweepId: 'sweep-2026-12-07',
  checkRoleName: 'org-mfa-watch-check',
};

beforeEach(() => {
  iam.reset();
});
afterAll(() => {
  iam.restore();
});

function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('sendCanary', () => {
  it('tags the check role itself with the canary key and the sweep id, and says when', async () => {
    iam.on(TagRoleCommand).resolves({});
    const sent = await sendCanary(client, input, () => NOW);
    expect(sent).toEqual({
      accountId: '333333333333',
      sweepId: 'sweep-2026-12-07',
      sentAt: NOW.toISOString(),
    });
    expect(iam.commandCalls(TagRoleCommand).map((c) => c.args[0].input)).toEqual([
      { RoleName: 'org-mfa-watch-check', Tags: [{ Key: 'org-mfa-watch:canary', Value: 'sweep-2026-12-07' }] },
    ]);
    expect(iam.commandCalls(UntagRoleCommand)).toHaveLength(0);
  });

  it.each([
    [
      'AccessDenied',
      'User: arn:aws:sts::333333333333:assumed-role/org-mfa-watch-check/s is not authorized to perform: iam:TagRole with an explicit deny in a service control policy',
    ],
    ['Throttling', 'Rate exceeded'],
    ['NoSuchEntityException', 'The role with name org-mfa-watch-check cannot be found.'],
  ])('returns a failed call (%s) with its reason, never a silent gap', async (name, message) => {
    iam.on(TagRoleCommand).rejects(awsError(name, message));
    expect(await sendCanary(client, input, () => NOW)).toEqual({
      accountId: '333333333333',
      sweepId: 'sweep-2026-12-07',
      failure: `${name}: ${message}`,
    });
  });

  it('makes no call for a sweep id no tag value can hold, and says why', async () => {
    const sent = await sendCanary(client, { ...input, sweepId: 'manual run (1)' }, () => NOW);
    expect('failure' in sent ? sent.failure : '').toMatch(/cannot be an IAM tag value/);
    expect(iam.calls()).toHaveLength(0);
  });
});
