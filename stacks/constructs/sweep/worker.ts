import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { CHECKER_ENV } from '../../../functions/contract/contract';
import { CANARY_ENV } from '../../../functions/contract/canary';
import { SWEEP_ENV } from '../../../functions/contract/sweep';
import { MEMBER_REGION, NAMES, memberCheckRoleArn } from '../../names';
import { grantPublish } from '../central-key';
import { consoleEnvironment } from '../checker-function';
import { acknowledgeWildcard, COMMON_ENV, lambdaRole, SWEEP_ENTRIES, sweepFunction } from './lambda';
import type { SweepProps } from './props';
import { enforcementEnvironment, enforcementOn, grantEnforcement } from './worker-enforcement';

/**
 * Seconds a worker invocation may run. A batch runs in an Express child workflow of the Distributed Map,
 * which ends after 5 minutes (Step Functions Developer Guide, "Standard vs Express workflows"); 240 s
 * leaves one minute for the task's retries on Lambda service errors.
 */
export const SWEEP_WORKER_TIMEOUT_SECONDS = 240;

/**
 * The worker `Worker` and its role: sweeps a batch of accounts through `org-mfa-watch-check` (only in
 * accounts of the organization), records findings in the store and publishes alerts (and chat).
 */
export function sweepWorker(scope: Construct, props: SweepProps, bucket: s3.Bucket): NodejsFunction {
  const role = lambdaRole(
    scope,
    'WorkerRole',
    NAMES.sweepWorkerRole,
    'sweep worker: assume org-mfa-watch-check in member accounts',
  );
  // Only the check role, only in accounts of the organization (like the checker).
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'AssumeMemberCheckRoleInOrganization',
      actions: ['sts:AssumeRole'],
      resources: [memberCheckRoleArn(Stack.of(scope), '*')],
      conditions: { StringEquals: { 'aws:ResourceOrgID': props.organizationId } },
    }),
  );
  props.findings.grantStoreAccess(role);
  if (enforcementOn(props.enforcement)) grantEnforcement(scope, role, props, bucket);
  grantPublish(props.topic, props.key, role);
  if (props.chatTopic !== undefined) grantPublish(props.chatTopic, props.key, role);
  const worker = sweepFunction(scope, 'Worker', {
    entry: SWEEP_ENTRIES.worker,
    role,
    description: 'org-mfa-watch sweep: checks IAM users and root of a batch of accounts',
    timeout: Duration.seconds(SWEEP_WORKER_TIMEOUT_SECONDS),
    memorySize: 1024,
    functionName: NAMES.sweepWorkerFunction,
    environment: workerEnvironment(scope, props, bucket),
  });
  acknowledgeWildcard(
    role,
    'Resource::arn:<AWS::Partition>:iam::*:role/org-mfa-watch-check',
    'Any account may host the check role; aws:ResourceOrgID limits sts:AssumeRole to accounts of the organization.',
  );
  return worker;
}

/** The worker's environment: the checker's settings, the store, the member resources it repairs. */
function workerEnvironment(scope: Construct, props: SweepProps, bucket: s3.Bucket): Record<string, string> {
  const { config } = props;
  return {
    [CHECKER_ENV.checkRoleName]: NAMES.memberCheckRole,
    [CHECKER_ENV.alertTopicArn]: props.topic.topicArn,
    [CHECKER_ENV.alertLocale]: props.locale,
    [CHECKER_ENV.alertTimeZone]: props.timeZone,
    [CHECKER_ENV.gracePeriodHours]: String(props.gracePeriodHours),
    [CHECKER_ENV.exemptions]: JSON.stringify(props.exemptions),
    [CHECKER_ENV.trustExemptionTags]: String(props.trustExemptionTags ?? false),
    ...props.findings.functionEnvironment(),
    ...consoleEnvironment(props.consoleAccess),
    [SWEEP_ENV.credentialReportMaxAgeHours]: String(config.credentialReportMaxAgeHours),
    [SWEEP_ENV.centralBusArn]: props.bus.eventBusArn,
    [SWEEP_ENV.forwardRuleName]: NAMES.memberForwardRule,
    [SWEEP_ENV.forwardRuleRegion]: MEMBER_REGION,
    [SWEEP_ENV.forwardDeadLetterQueueName]: NAMES.memberForwardDeadLetterQueue,
    [SWEEP_ENV.alertStormThreshold]: String(config.alertStormThreshold),
    [CANARY_ENV.enabled]: String(props.canary?.enabled ?? false),
    ...(props.chatTopic === undefined ? {} : { [CHECKER_ENV.chatTopicArn]: props.chatTopic.topicArn }),
    // The import is made with the member check role's credentials: nothing to grant the worker itself.
    ...(props.securityHubExport === true
      ? {
          [CHECKER_ENV.securityHubExport]: 'true',
          [CHECKER_ENV.securityHubRegion]: Stack.of(scope).region,
          [SWEEP_ENV.securityHubReimportAfterDays]: String(props.securityHubReimportAfterDays ?? 30),
        }
      : {}),
    ...enforcementEnvironment(props.enforcement, bucket),
    ...COMMON_ENV,
  };
}
