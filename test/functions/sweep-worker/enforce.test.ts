import {
  AttachUserPolicyCommand,
  DetachUserPolicyCommand,
  IAMClient,
  IAMServiceException,
  ListAttachedUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  attachQuarantine,
  detachQuarantine,
  quarantinePolicyArnOf,
} from '../../../functions/sweep-worker/enforce';

// Issue 23, items 4-6: attach and detach through the enforce role, idempotent (the user's attached
// policies are read first), every refusal a reported outcome, never a thrown error that would fail the
// account's sweep. Error names as the IAM API Reference lists them for AttachUserPolicy,
// DetachUserPolicy and ListAttachedUserPolicies (NoSuchEntity, LimitExceeded, ServiceFailure) and as
// STS/IAM answer a refused call (AccessDenied) or throttle (Throttling).

const iam = mockClient(IAMClient);
const client = new IAMClient({ region: 'us-east-1' });
const POLICY = quarantinePolicyArnOf('aws', '333333333333');
const TARGET = { userName: 'alice', policyArn: POLICY };
const OTHER = { PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' };
const QUARANTINE = { PolicyName: 'org-mfa-watch-quarantine', PolicyArn: POLICY };

const awsError = (name: string) =>
  new IAMServiceException({ name, $fault: 'client', $metadata: {}, message: `${name} from IAM` });

beforeEach(() => {
  iam.reset();
});

describe('quarantinePolicyArnOf', () => {
  it('names the policy in the account and partition', () => {
    expect(quarantinePolicyArnOf('aws-us-gov', '444444444444')).toBe(
      'arn:aws-us-gov:iam::444444444444:policy/org-mfa-watch-quarantine',
    );
  });
});

describe('attachQuarantine', () => {
  it('attaches the policy when the user does not have it', async () => {
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [OTHER], IsTruncated: false });
    iam.on(AttachUserPolicyCommand).resolves({});
    expect(await attachQuarantine(client, TARGET)).toEqual({ outcome: 'attached' });
    expect(iam.commandCalls(AttachUserPolicyCommand).map((c) => c.args[0].input)).toEqual([
      { UserName: 'alice', PolicyArn: POLICY },
    ]);
  });

  it('attaches nothing when the policy is already attached (found on a later page)', async () => {
    iam
      .on(ListAttachedUserPoliciesCommand)
      .resolvesOnce({ AttachedPolicies: [OTHER], IsTruncated: true, Marker: 'm1' })
      .resolvesOnce({ AttachedPolicies: [QUARANTINE], IsTruncated: false });
    expect(await attachQuarantine(client, TARGET)).toEqual({ outcome: 'already-attached' });
    expect(iam.commandCalls(ListAttachedUserPoliciesCommand)[1]?.args[0].input).toEqual({
      UserName: 'alice',
      Marker: 'm1',
    });
    expect(iam.commandCalls(AttachUserPolicyCommand)).toHaveLength(0);
  });

  it.each([
    ['AccessDenied', 'denied'],
    ['Throttling', 'throttled'],
    ['ServiceFailureException', 'failed'],
    ['LimitExceededException', 'policy-limit'],
    ['NoSuchEntityException', 'policy-missing'],
  ])('reports %s on the attach as %s, without throwing', async (name, outcome) => {
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
    iam.on(AttachUserPolicyCommand).rejects(awsError(name));
    expect(await attachQuarantine(client, TARGET)).toEqual({ outcome, error: `${name}: ${name} from IAM` });
  });

  it.each([
    ['AccessDenied', 'denied'],
    ['Throttling', 'throttled'],
    ['NoSuchEntityException', 'user-gone'],
  ])('reports %s on the read as %s and attaches nothing', async (name, outcome) => {
    iam.on(ListAttachedUserPoliciesCommand).rejects(awsError(name));
    expect(await attachQuarantine(client, TARGET)).toMatchObject({ outcome });
    expect(iam.commandCalls(AttachUserPolicyCommand)).toHaveLength(0);
  });
});

describe('detachQuarantine', () => {
  it('detaches the policy when attached', async () => {
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [OTHER, QUARANTINE] });
    iam.on(DetachUserPolicyCommand).resolves({});
    expect(await detachQuarantine(client, TARGET)).toEqual({ outcome: 'detached' });
    expect(iam.commandCalls(DetachUserPolicyCommand).map((c) => c.args[0].input)).toEqual([
      { UserName: 'alice', PolicyArn: POLICY },
    ]);
  });

  it('detaches nothing when the policy is not attached, or the user is gone', async () => {
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [OTHER] });
    expect(await detachQuarantine(client, TARGET)).toEqual({ outcome: 'not-attached' });
    iam.on(ListAttachedUserPoliciesCommand).rejects(awsError('NoSuchEntityException'));
    expect(await detachQuarantine(client, TARGET)).toEqual({ outcome: 'user-gone' });
    expect(iam.commandCalls(DetachUserPolicyCommand)).toHaveLength(0);
  });

  it.each([
    ['AccessDenied', { outcome: 'denied', error: 'AccessDenied: AccessDenied from IAM' }],
    ['Throttling', { outcome: 'throttled', error: 'Throttling: Throttling from IAM' }],
    [
      'ServiceFailureException',
      { outcome: 'failed', error: 'ServiceFailureException: ServiceFailureException from IAM' },
    ],
    // Detached by someone else between the read and the call: the user is free.
    ['NoSuchEntityException', { outcome: 'not-attached' }],
  ])('reports %s on the detach without throwing', async (name, expected) => {
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [QUARANTINE] });
    iam.on(DetachUserPolicyCommand).rejects(awsError(name));
    expect(await detachQuarantine(client, TARGET)).toEqual(expected);
  });
});
