/**
 * Who runs the doctor and what their credentials can check: the caller, the SDK clients, the credential
 * scope of each check family, and the SKIP rows for the checks another account must run.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { type AppConfig, rolloutAccountId } from '../../stacks/config';
import { type CheckRow, notPass } from './report';

/** Who is running the doctor (from sts:GetCallerIdentity). */
export interface Caller {
  readonly accountId: string;
  readonly partition: string;
}

/** SDK clients the checks use; injected so tests can mock them. CloudTrail/CloudFormation are us-east-1. */
export interface DoctorClients {
  readonly organizations: OrganizationsClient;
  readonly cloudTrail: CloudTrailClient;
  readonly cloudFormation: CloudFormationClient;
  /** SNS client in the config's home region (where the alert topic lives). */
  readonly sns: SNSClient;
  /** An SSM client for the given region. */
  readonly ssmFor: (region: string) => SSMClient;
  /** Lambda client in the config's home region (where the checker runs). */
  readonly lambda: LambdaClient;
  /** CloudFormation client in the config's home region (the central stack's outputs). */
  readonly centralCloudFormation: CloudFormationClient;
}

/**
 * Whose credentials a check needs: `organization` = the management account or the delegated StackSets
 * administrator (Organizations reads, StackSet instances, the organization trail); `management` = the
 * management account (its member stack); `security` = the security account (topic, Lambda quota).
 */
export type CredentialScope = 'organization' | 'management' | 'security';

/** The accounts whose credentials can run the checks of a scope. */
export function scopeAccounts(scope: CredentialScope, config: AppConfig): string[] {
  switch (scope) {
    case 'organization':
      return [...new Set([config.managementAccountId, rolloutAccountId(config)])];
    case 'management':
      return [config.managementAccountId];
    case 'security':
      return [config.securityAccountId];
  }
}

/** "the security account 222222222222", as the operator reads it. */
export function scopeLabel(scope: CredentialScope, config: AppConfig): string {
  const admin = rolloutAccountId(config);
  switch (scope) {
    case 'organization':
      return admin === config.managementAccountId
        ? `the management account ${config.managementAccountId}`
        : `the management account ${config.managementAccountId} or the delegated StackSets administrator ${admin}`;
    case 'management':
      return `the management account ${config.managementAccountId}`;
    case 'security':
      return `the security account ${config.securityAccountId}`;
  }
}

/** SKIP rows for checks the caller's credentials cannot run, with the command that can. */
export function skipped(
  names: readonly string[],
  scope: CredentialScope,
  config: AppConfig,
  rerun: string,
): CheckRow[] {
  return names.map((n) =>
    notPass(
      n,
      'SKIP',
      `needs credentials of ${scopeLabel(scope, config)}`,
      `with those credentials: ${rerun}`,
    ),
  );
}
