import { Logger } from '@aws-lambda-powertools/logger';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import type { SweepPlan } from '../contract/sweep';
import { SDK_CLIENT_CONFIG as clientConfig } from '../contract/timing';
import { loadPlannerSettings } from './env';
import { createPlanner } from './plan';
import { readRollout } from './rollout';

// Init once per container: a bad deployment fails here, naming the variable.
const logger = new Logger({ serviceName: 'org-mfa-watch' });
const settings = loadPlannerSettings(process.env);
const sts = new STSClient(clientConfig);
const plan = createPlanner({
  settings,
  // The StackSet lives in its own region (us-east-1), wherever the sweep runs.
  readRollout: () =>
    readRollout(
      sts,
      settings.rollout,
      (credentials) =>
        new CloudFormationClient({ ...clientConfig, region: settings.rollout.region, credentials }),
    ),
  // Organizations has one endpoint per partition (us-east-1 in aws); the SDK resolves it from the region.
  organizations: new OrganizationsClient(clientConfig),
  s3: new S3Client(clientConfig),
  logger,
  now: () => new Date(),
});

/** Entry point: the state machine's planner task, `{ sweepId, input }` → {@link SweepPlan}. */
export async function handler(event: unknown, context: Context): Promise<SweepPlan> {
  logger.addContext(context);
  try {
    return await plan(event);
  } catch (error) {
    logger.error('sweep planning failed', { error });
    throw error;
  }
}
