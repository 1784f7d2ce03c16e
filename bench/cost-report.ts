import { App } from 'aws-cdk-lib';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../bin/app';
import { readRawConfig } from '../scripts/cli';
import { parseConfig, type AppConfig } from '../stacks/config';
import { STACK_IDS } from '../stacks/names';
import {
  DEFAULT_WORKLOAD,
  MONTHLY_PRICES,
  countTemplates,
  monthlyBill,
  totalOf,
  type AppTemplates,
  type CostLine,
} from './monthly-cost';
import type { SweepCost } from './sweep-cost';

/** Targets of issue 17, USD a month for 1,000 accounts. */
export const COST_TARGETS = { example: 5, allOptions: 8 } as const;

/**
 * Every optional feature on: chat (one Slack channel), Security Hub, dashboard, tamper protection, and
 * enforcement (`quarantine`) over the rollout's OUs.
 */
export function allOptionsOn(raw: Record<string, unknown>): Record<string, unknown> {
  const rollout = (raw.rollout ?? {}) as { organizationalUnitIds?: unknown };
  return {
    ...raw,
    enforcement: { mode: 'quarantine', organizationalUnitIds: rollout.organizationalUnitIds ?? [] },
    dashboard: { enabled: true },
    securityHub: { enabled: true },
    tamperProtection: { enabled: true, exemptPrincipalArns: [] },
    chat: { slack: [{ workspaceId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' }] },
  };
}

/** Synthesize an app without bundling (templates only) and read its templates. */
export function templatesOf(config: AppConfig): AppTemplates {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  buildApp(app, config);
  const dir = app.synth().directory;
  const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
  const member = readdirSync(dir).find((f) => f.endsWith('.stackset.template.json'));
  if (member === undefined) throw new Error('no StackSet member template in the assembly');
  return {
    central: read(`${STACK_IDS.central}.template.json`),
    management: read(`${STACK_IDS.managementMember}.template.json`),
    member: read(member),
  };
}

/** The two columns of the monthly bill: the example configuration and every option on. */
export interface CostReport {
  readonly example: readonly CostLine[];
  readonly allOptions: readonly CostLine[];
}

/** Price both configurations with one measured sweep. */
export function measureMonthlyCost(
  configFile: string | undefined,
  sweep: SweepCost & { readonly accounts: number },
): CostReport {
  const raw = readRawConfig(configFile) as Record<string, unknown>;
  const bill = (config: AppConfig) =>
    monthlyBill(
      countTemplates(templatesOf(config), DEFAULT_WORKLOAD.accounts),
      { ...DEFAULT_WORKLOAD, canary: { ...DEFAULT_WORKLOAD.canary, enabled: config.canary.enabled } },
      sweep,
      config.securityHub.enabled,
      config.enforcement.mode === 'quarantine',
    );
  return { example: bill(parseConfig(raw)), allOptions: bill(parseConfig(allOptionsOn(raw))) };
}

const usd = (n: number) => `$${n < 0.01 && n > 0 ? n.toFixed(4) : n.toFixed(2)}`;

/** The bill as a Markdown table (item, example, every option on, how counted) and its notes. */
export function costMarkdown(report: CostReport): string[] {
  const rows = report.example.map((line, i) => {
    const all = report.allOptions[i];
    return `| ${line.item} | ${usd(line.usd)} | ${usd(all?.usd ?? 0)} | ${all?.basis ?? line.basis} |`;
  });
  const w = DEFAULT_WORKLOAD;
  return [
    '## Monthly cost, 1,000 accounts',
    '',
    `Counted from the synthesized templates (keys, alarms and the metrics they read, dashboards, log retention, the checker's memory, the report lifecycle) and priced below; usage from the sweep measured above and these assumptions: ${w.eventsPerAccount} watched IAM events per account a month, ${w.sweepsPerMonth} daily sweeps, ${w.openFindings} open findings, ${w.checkerMsPerEvent} ms per check, ${w.logBytesPerEvent} log bytes per event and ${w.logBytesPerSweptAccount} per swept account. The canary (on by default, issue 22) adds per account per sweep one event delivered to the central bus, one checker invocation of ${w.canary.checkerMs} ms, ${w.canary.writeUnitsPerAccount} WRU (its arrival, the account's state) and ${w.canary.readUnitsPerAccount} RRU (the state, the arrivals), ${w.canary.logBytes} log bytes; its TagRole is one of the sweep's measured calls. "Every option on" adds chat (one Slack channel), Security Hub export, the dashboard, tamper protection and enforcement in \`quarantine\` mode, assumed to quarantine or release ${w.enforcement.usersPerAccount} user in ${w.enforcement.accountShare * 100}% of the accounts per sweep (each such account: one sts:AssumeRole of the enforce role, ListAttachedUserPolicies and AttachUserPolicy or DetachUserPolicy per user, ${w.enforcement.workerMsPerAccount} ms of worker time, ${w.enforcement.writeUnitsPerTransition} WRU and ${w.enforcement.readUnitsPerTransition} RRU per transition). Member-account items (cross-account events) are billed to the member accounts; they are included.`,
    '',
    '| item | example config (cdk.json) | every option on | counted (every option on) |',
    '|---|---|---|---|',
    ...rows,
    `| **total** | **${usd(totalOf(report.example))}** | **${usd(totalOf(report.allOptions))}** | targets <= $${COST_TARGETS.example} and <= $${COST_TARGETS.allOptions} |`,
    '',
    'Prices (us-east-1, on demand):',
    '',
    ...Object.values(MONTHLY_PRICES).map((p) => `- ${p.source}.`),
    '- Step Functions, Lambda, S3 requests and DynamoDB requests: as in the sweep cost above (bench/sweep-cost.ts).',
    '',
  ];
}
