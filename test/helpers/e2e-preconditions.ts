import type { AppConfig } from '../../stacks/config';
import { NAMES } from '../../stacks/names';

/** What the end-to-end test learns about its environment before it creates anything. */
export interface E2eFacts {
  /** Account of the credentials (sts:GetCallerIdentity). */
  readonly account: string;
  /** Region the SDK clients use (AWS_REGION). */
  readonly region: string;
  /** True when the member check role exists in that account (its member resources are deployed). */
  readonly checkRoleExists: boolean;
}

/**
 * Why the end-to-end test cannot work here, one line each; empty when every precondition holds.
 * Documented in docs/deployment.md ("Verify end to end"). Pure.
 */
export function e2eProblems(config: AppConfig, facts: E2eFacts): string[] {
  const problems: string[] = [];
  if (facts.account !== config.securityAccountId) {
    problems.push(
      `the credentials are of account ${facts.account}: use credentials of the security account ${config.securityAccountId}`,
    );
  }
  if (facts.region !== config.homeRegion) {
    problems.push(
      `the region is ${facts.region}: set AWS_REGION to homeRegion ${config.homeRegion}, where the alert topic is`,
    );
  }
  if (facts.account === config.securityAccountId && !facts.checkRoleExists) {
    problems.push(
      `role ${NAMES.memberCheckRole} does not exist in the security account: put the account inside a targeted OU (rollout.organizationalUnitIds) and let its StackSet instance deploy, so that its us-east-1 rule forwards its IAM events`,
    );
  }
  if (config.gracePeriodHours > 0 && !config.notifyOnCreate) {
    problems.push(
      `gracePeriodHours is ${config.gracePeriodHours} and notifyOnCreate is false: no message arrives within the test's 8 minutes; deploy the sandbox with gracePeriodHours 0 or notifyOnCreate true`,
    );
  }
  return problems;
}
