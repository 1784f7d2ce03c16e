/**
 * The rollout status of each account: the StackSet instance of the member template, read with
 * CloudFormation `ListStackInstances` through the read-only role `org-mfa-watch-rollout-reader` in the
 * account that administers the StackSet (the management account, `CallAs: SELF`, or the delegated
 * StackSets administrator, `CallAs: DELEGATED_ADMIN`). docs/adr/0017-rollout-status-and-alert-storms.md.
 */
import {
  CloudFormationClient,
  paginateListStackInstances,
  type StackInstanceSummary,
} from '@aws-sdk/client-cloudformation';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { describeError, errorName } from '../core/errors';
import type { RolloutState } from '../contract/sweep';

/** The fields of a `StackInstanceSummary` the judgement reads. */
export type InstanceFields = Pick<StackInstanceSummary, 'Status' | 'StatusReason' | 'StackInstanceStatus'>;

/** DetailedStatus values of an operation that has not finished: the instance may still land. */
const IN_PROGRESS = new Set(['PENDING', 'RUNNING']);
/** DetailedStatus values of an operation that failed in the account (API reference, StackInstanceComprehensiveStatus). */
const FAILED = new Set(['FAILED', 'FAILED_IMPORT', 'INOPERABLE']);
/** Longest status reason kept (it travels in the item list and the alert). */
const MAX_REASON = 300;

function clip(text: string): string {
  const flat = text.replace(/\p{Cc}+/gu, ' ').trim();
  return flat.length <= MAX_REASON ? flat : `${flat.slice(0, MAX_REASON - 3)}...`;
}

function withReason(summary: InstanceFields, fallback: string): string {
  const reason = summary.StatusReason?.trim();
  return clip(reason === undefined || reason === '' ? fallback : `${fallback}: ${reason}`);
}

/**
 * Judge one account's StackSet instance (AWS CloudFormation API reference, StackInstanceSummary and
 * StackInstanceComprehensiveStatus):
 * - none: `pending` (the StackSet, or its instance for this account, does not exist yet);
 * - DetailedStatus PENDING or RUNNING: `pending`, still deploying;
 * - DetailedStatus FAILED, FAILED_IMPORT or INOPERABLE, or Status INOPERABLE: `failed`;
 * - DetailedStatus CANCELLED (the operation was stopped, or its failure tolerance was exceeded) or
 *   SKIPPED_SUSPENDED_ACCOUNT: `failed` unless the instance is still CURRENT (an earlier deployment
 *   stands); nothing will deploy it without an operator;
 * - Status OUTDATED with no operation running: `failed` (the reference: the stack failed, or its
 *   operation failed or was stopped);
 * - anything else (SUCCEEDED, CURRENT): `current`.
 * Pure.
 */
export function judgeInstance(summary: InstanceFields | undefined): RolloutState {
  if (summary === undefined) return { status: 'pending', reason: 'no StackSet instance yet' };
  const detailed = summary.StackInstanceStatus?.DetailedStatus;
  const status = summary.Status;
  if (detailed !== undefined && IN_PROGRESS.has(detailed)) return { status: 'pending', reason: detailed };
  if ((detailed !== undefined && FAILED.has(detailed)) || status === 'INOPERABLE') {
    return { status: 'failed', reason: withReason(summary, detailed ?? status ?? 'INOPERABLE') };
  }
  if (detailed === 'CANCELLED' || detailed === 'SKIPPED_SUSPENDED_ACCOUNT') {
    return status === 'CURRENT'
      ? { status: 'current' }
      : { status: 'failed', reason: withReason(summary, detailed) };
  }
  if (status === 'OUTDATED') return { status: 'failed', reason: withReason(summary, 'OUTDATED') };
  return { status: 'current' };
}

/** Where the StackSet is and how to read it. */
export interface RolloutSource {
  /** `arn:<partition>:iam::<rollout account>:role/org-mfa-watch-rollout-reader`. */
  readonly readerRoleArn: string;
  readonly stackSetName: string;
  readonly callAs: 'SELF' | 'DELEGATED_ADMIN';
  /** The StackSet's region (us-east-1), also the only region of its instances. */
  readonly region: string;
}

/** What {@link readRollout} learned. */
export type RolloutReading =
  /** Instance per account (accounts without an instance are absent). */
  | { readonly instances: ReadonlyMap<string, InstanceFields> }
  /** The StackSet does not exist yet: every account's instance is still to come. */
  | { readonly noStackSet: true }
  /** The instances could not be read: rollout status unknown. */
  | { readonly problem: string };

/** ListStackInstances' largest page (API reference: MaxResults 1-100). */
const PAGE_SIZE = 100;

/**
 * Read every instance of the StackSet in its region through the reader role. Never throws: a failure
 * (AccessDenied on the role or the call, throttling after the SDK's retries, no role yet) is returned
 * as a problem, so the sweep goes on with rollout status unknown.
 */
export async function readRollout(
  sts: STSClient,
  source: RolloutSource,
  clientFor: (credentials: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
  }) => CloudFormationClient,
): Promise<RolloutReading> {
  let step = 'sts:AssumeRole';
  try {
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({ RoleArn: source.readerRoleArn, RoleSessionName: 'org-mfa-watch-planner' }),
    );
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined) {
      return { problem: `${step}: returned no complete credentials` };
    }
    const client = clientFor({
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    });
    step = 'cloudformation:ListStackInstances';
    const instances = new Map<string, InstanceFields>();
    for await (const page of paginateListStackInstances(
      { client, pageSize: PAGE_SIZE },
      { StackSetName: source.stackSetName, StackInstanceRegion: source.region, CallAs: source.callAs },
    )) {
      for (const summary of page.Summaries ?? []) {
        if (summary.Account !== undefined) instances.set(summary.Account, summary);
      }
    }
    return { instances };
  } catch (error) {
    if (errorName(error) === 'StackSetNotFoundException') return { noStackSet: true };
    return { problem: `${step}: ${describeError(error)}` };
  }
}

/** The rollout state of one account from a reading. Pure. */
export function rolloutOf(reading: RolloutReading, accountId: string): RolloutState {
  if ('problem' in reading) return { status: 'unknown' };
  if ('noStackSet' in reading) return { status: 'pending', reason: 'the StackSet is not deployed yet' };
  return judgeInstance(reading.instances.get(accountId));
}
