import { CHECKER_ENTRY } from '../../stacks/constructs/checker-function';
import { SWEEP_ENTRIES } from '../../stacks/constructs/sweep';
import type { Placement } from './sdk-operations';

// The reviewed part of test/stacks/permissions-from-code.test.ts: what the code scan cannot decide
// alone, each entry with its reason. The test fails on an entry that no longer applies.

/** The functions of the app, their entry points and the construct id of each in the central template. */
export const FUNCTIONS = [
  { name: 'checker', entry: CHECKER_ENTRY, functionId: 'CheckerFunction' },
  { name: 'sweep-planner', entry: SWEEP_ENTRIES.planner, functionId: 'SweepPlanner' },
  { name: 'sweep-worker', entry: SWEEP_ENTRIES.worker, functionId: 'SweepWorker' },
  { name: 'sweep-reporter', entry: SWEEP_ENTRIES.reporter, functionId: 'SweepReporter' },
] as const;
export type FunctionName = (typeof FUNCTIONS)[number]['name'];

/**
 * Operations a function's bundle contains but the function never sends (module granularity finds them),
 * with why. `file`: the only file that may construct it; if it appears elsewhere, this entry is void.
 */
export const BUNDLED_NOT_SENT: readonly { fn: FunctionName; action: string; file: string; reason: string }[] =
  [
    {
      fn: 'checker',
      action: 'dynamodb:Scan',
      file: 'functions/core/finding-list.ts',
      reason:
        'FindingStore.listFindings scans only when called without an account; the checker never lists findings (the role has no Scan on purpose: finding-table.ts).',
    },
    {
      fn: 'sweep-worker',
      action: 'dynamodb:Scan',
      file: 'functions/core/finding-list.ts',
      reason:
        'The worker lists the findings of one account (listFindings(accountId): a Query); only the reporter lists every account.',
    },
  ];

/**
 * Where a call is signed when the clients of its service are built both ways, or with credentials that
 * are not the check role's (the scan classifies those `unknown`). Each entry needs a reason; the test
 * fails on an entry the scan could classify alone.
 */
export const PLACEMENT_OVERRIDES: readonly {
  fn: FunctionName;
  action: string;
  placement: Placement;
  reason: string;
}[] = [
  {
    fn: 'sweep-planner',
    action: 'cloudformation:ListStackInstances',
    placement: 'rollout-reader',
    reason:
      "The planner's only CloudFormation client is built by the clientFor callback of readRollout (functions/sweep-planner/handler.ts) from the credentials readRollout gets with sts:AssumeRole of settings.rollout.readerRoleArn (ROLLOUT_READER_ROLE_ARN, functions/sweep-planner/rollout.ts).",
  },
  ...(['iam:AttachUserPolicy', 'iam:DetachUserPolicy', 'iam:ListAttachedUserPolicies'] as const).map(
    (action) => ({
      fn: 'sweep-worker' as const,
      action,
      placement: 'enforce-role' as const,
      reason:
        'functions/sweep-worker/enforce.ts sends it with the IAM client of an org-mfa-watch-enforce session (EnforcementDeps.sessions, built in functions/sweep-worker/enforcement-wiring.ts with ENFORCE_ROLE_NAME), never the check role; only when enforcement is on.',
    }),
  ),
];

const LOGS =
  'Lambda writes the function\'s logs with its execution role (Lambda Developer Guide, "Sending Lambda function logs to CloudWatch Logs"); the code sends no Logs API.';
const TABLE_KEY =
  "DynamoDB uses the table's customer-managed key (the central key, ADR 0019; granted only via DynamoDB) on the caller's behalf (kms:Decrypt is simulated with the item calls); the rest is the set CDK's grantReadWriteData gives (stacks/constructs/finding-table.ts KEY_ACTIONS). The code calls no KMS API.";
const SQS_GRANT =
  'Part of CDK grantSendMessages (and of the SqsDestination grant); the code sends SendMessage only.';

/**
 * Granted actions the code does not send, with why. `role` names whose policy grants it: a function,
 * or `check role` (the member check role, in the StackSet template and the management-account stack).
 */
export const GRANTED_NOT_SENT: readonly { role: string; action: string; resource: RegExp; reason: string }[] =
  [
    ...FUNCTIONS.flatMap((f) =>
      ['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({
        role: f.name,
        action,
        resource: /:logs:.*:log-group:/,
        reason: LOGS,
      })),
    ),
    ...(['checker', 'sweep-worker', 'sweep-reporter'] as const).flatMap((role) =>
      [
        'kms:DescribeKey',
        'kms:Encrypt',
        'kms:GenerateDataKey',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
      ].map((action) => ({ role, action, resource: /:key\/CentralKey/, reason: TABLE_KEY })),
    ),
    {
      role: 'checker',
      action: 'sqs:SendMessage',
      resource: /:CheckerFailureQueue/,
      reason:
        'The checker\'s on-failure destination: Lambda sends the failed event with the function\'s role (Lambda Developer Guide, "Retaining records of asynchronous invocations").',
    },
    ...['sqs:GetQueueAttributes', 'sqs:GetQueueUrl'].map((action) => ({
      role: 'checker',
      action,
      resource: /:Checker(FailureQueue|QuarantineQueue)/,
      reason: SQS_GRANT,
    })),
  ];
