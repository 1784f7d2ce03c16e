import * as z from 'zod/mini';
import {
  booleanVariable,
  OUTPUT_ENV_FIELDS,
  SHARED_ENV_FIELDS,
  outputSettings,
  parseEnvironment,
  pattern,
  sharedSettings,
  wholeNumber,
  type OutputSettings,
  type SharedSettings,
} from '../core/env';
import { CANARY_ENV } from '../contract/canary';
import { SWEEP_ENV } from '../contract/sweep';

/**
 * The sweep worker's deployment settings, parsed once at init: the checker's shared ones, its outputs
 * (chat topic, Security Hub export: the same variables, read the same way), and its own.
 */
export interface SweepWorkerSettings extends SharedSettings, OutputSettings {
  /** A credential report older than this is regenerated. */
  readonly credentialReportMaxAgeHours: number;
  /** The bus every member forward rule must target. */
  readonly centralBusArn: string;
  readonly forwardRuleName: string;
  /** Where the forward rule lives (us-east-1: IAM's events are published there only). */
  readonly forwardRuleRegion: string;
  /** The forward rule's dead-letter queue, beside the rule (its depth says whether deliveries fail). */
  readonly forwardDeadLetterQueueName: string;
  /** With the Security Hub export on: re-import an open finding not imported for this many days. */
  readonly securityHubReimportAfterDays: number;
  /** Accounts above which one sweep's new findings of one kind are alerted together (storm guard). */
  readonly alertStormThreshold: number;
  /** Send the canary in every swept account (`canary.enabled`; docs/adr/0021-canary.md). */
  readonly canaryEnabled: boolean;
}

/** Security Hub deletes a finding 90 days after its last update; a third of that leaves two more tries. */
export const DEFAULT_REIMPORT_AFTER_DAYS = 30;

/** The sweep worker is deployed with a missing or malformed environment variable. */
export class SweepConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`org-mfa-watch sweep worker is misconfigured: ${problems.join('; ')}`);
    this.name = 'SweepConfigurationError';
  }
}

const schema = z.object({
  ...SHARED_ENV_FIELDS,
  ...OUTPUT_ENV_FIELDS,
  [SWEEP_ENV.credentialReportMaxAgeHours]: wholeNumber(1, 24, 'hours'),
  [SWEEP_ENV.centralBusArn]: pattern(
    /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[\w.\-/]{1,256}$/,
    'expected an EventBridge event bus ARN',
  ),
  [SWEEP_ENV.forwardRuleName]: pattern(/^[.\-_A-Za-z0-9]{1,64}$/, 'expected an EventBridge rule name'),
  [SWEEP_ENV.forwardRuleRegion]: pattern(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS Region, e.g. us-east-1'),
  [SWEEP_ENV.forwardDeadLetterQueueName]: pattern(/^[\w-]{1,80}$/, 'expected an SQS queue name'),
  [SWEEP_ENV.securityHubReimportAfterDays]: z.optional(wholeNumber(1, 89, 'days')),
  [SWEEP_ENV.alertStormThreshold]: z.optional(wholeNumber(1, 1000, 'accounts')),
  [CANARY_ENV.enabled]: z.optional(booleanVariable),
});

/** `sweep.alertStormThreshold` when the variable is absent (a deployment from before the storm guard). */
export const DEFAULT_ALERT_STORM_THRESHOLD = 10;

/**
 * Read the sweep worker's settings from its environment. Pure over the given record.
 * @throws SweepConfigurationError naming every missing or malformed variable
 */
export function loadSweepSettings(env: Readonly<Record<string, string | undefined>>): SweepWorkerSettings {
  const v = parseEnvironment(schema, env, (problems) => new SweepConfigurationError(problems));
  return {
    ...sharedSettings(v),
    ...outputSettings(v, (problems) => new SweepConfigurationError(problems)),
    credentialReportMaxAgeHours: v[SWEEP_ENV.credentialReportMaxAgeHours],
    centralBusArn: v[SWEEP_ENV.centralBusArn],
    forwardRuleName: v[SWEEP_ENV.forwardRuleName],
    forwardRuleRegion: v[SWEEP_ENV.forwardRuleRegion],
    forwardDeadLetterQueueName: v[SWEEP_ENV.forwardDeadLetterQueueName],
    securityHubReimportAfterDays: v[SWEEP_ENV.securityHubReimportAfterDays] ?? DEFAULT_REIMPORT_AFTER_DAYS,
    alertStormThreshold: v[SWEEP_ENV.alertStormThreshold] ?? DEFAULT_ALERT_STORM_THRESHOLD,
    // Absent (a deployment from before the canary): no canary is sent.
    canaryEnabled: v[CANARY_ENV.enabled] === 'true',
  };
}
