import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * A role only EventBridge Scheduler may assume, and only for schedules of the group `groupName` in this
 * account. Scheduler sets aws:SourceArn to the ARN of the schedule GROUP, never of a schedule: a condition
 * on schedule ARNs never matches and Scheduler cannot assume the role (EventBridge Scheduler User Guide,
 * "Cross-service confused deputy prevention").
 */
export function schedulerRole(
  scope: Construct,
  id: string,
  groupName: string,
  description: string,
): iam.Role {
  const stack = Stack.of(scope);
  return new iam.Role(scope, id, {
    description,
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: {
        StringEquals: {
          'aws:SourceAccount': stack.account,
          'aws:SourceArn': stack.formatArn({
            service: 'scheduler',
            resource: 'schedule-group',
            resourceName: groupName,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        },
      },
    }),
  });
}
