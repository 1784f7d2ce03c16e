import { Logger } from '@aws-lambda-powertools/logger';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import type { SweepPlan } from '../shared/sweep';
import { SDK_CLIENT_CONFIG as clientConfig } from '../shared/timing';
import { loadPlannerSettings } from './env';
import { createPlanner } from './plan';

// Init once per container: a bad deployment fails here, naming the variable.
const logger = new Logger({ serviceName: 'org-mfa-watch' });
const plan = createPlanner({
  settings: loadPlannerSettings(process.env),
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
