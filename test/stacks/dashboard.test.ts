import { beforeAll, describe, expect, it } from 'vitest';
import { FINDING_SEVERITIES } from '../../functions/contract/findings';
import {
  ALERT_SEVERITIES,
  METRIC_BREAKDOWNS,
  METRIC_DIMENSIONS,
  METRIC_NAMES,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  type MetricDimension,
  type MetricName,
} from '../../functions/contract/metrics';
import { CentralStack } from '../../stacks/central-stack';
import { ConfigError, parseConfig } from '../../stacks/config';
import { NAMES, STACK_IDS } from '../../stacks/names';
import { rawTestConfig, testConfig } from '../helpers/app';
import { synthWithNag, violations, type NagReport } from '../helpers/nag';

// The dashboard synthesized in the central stack, its body resolved (CloudFormation references replaced
// by markers naming the resource they point to) and read widget by widget: each metric must be one the
// functions write (the shared contract) or one of the stack's own resources.

type Json = Record<string, unknown>;
type Resources = Record<string, { Type: string; Properties?: Json }>;

const REGION = testConfig().homeRegion;

function synthCentral(overrides: Record<string, unknown>) {
  const config = testConfig(overrides);
  return synthWithNag(
    (app) =>
      new CentralStack(app, STACK_IDS.central, {
        config,
        env: { account: config.securityAccountId, region: config.homeRegion },
      }),
  );
}

/** `ref:<id>` for a Ref, `<id>.<attribute>` for a GetAtt, the region for AWS::Region. */
function resolvePart(part: unknown): string {
  if (typeof part === 'string') return part;
  const token = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  if (token.Ref === 'AWS::Region') return REGION;
  if (token.Ref !== undefined) return `ref:${token.Ref}`;
  if (token['Fn::GetAtt'] !== undefined) return token['Fn::GetAtt'].join('.');
  throw new Error(`unexpected token in the dashboard body: ${JSON.stringify(part)}`);
}

interface Widget {
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: { readonly title?: string; readonly metrics?: unknown[][]; readonly region?: string };
}

/** One graphed metric: namespace, name, dimensions and its rendering options. */
interface GraphedMetric {
  readonly widget: string;
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat?: string;
  readonly period?: number;
}

function dashboardOf(json: Json) {
  const resources = json.Resources as Resources;
  const dashboards = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
  if (dashboards.length !== 1) throw new Error(`expected one dashboard, found ${dashboards.length}`);
  const props = dashboards[0]?.Properties ?? {};
  const body = props.DashboardBody as { 'Fn::Join': [string, unknown[]] };
  const parsed = JSON.parse(body['Fn::Join'][1].map(resolvePart).join('')) as { widgets: Widget[] };
  const metrics: GraphedMetric[] = parsed.widgets.flatMap((w) =>
    (w.properties.metrics ?? []).map((entry) => {
      const strings = entry.filter((e): e is string => typeof e === 'string');
      const options = (entry.find((e) => typeof e === 'object') ?? {}) as { stat?: string; period?: number };
      const [namespace = '', name = '', ...pairs] = strings;
      const dimensions: Record<string, string> = {};
      for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i] ?? ''] = pairs[i + 1] ?? '';
      return { widget: w.properties.title ?? '', namespace, name, dimensions, ...options };
    }),
  );
  return { name: props.DashboardName, widgets: parsed.widgets, metrics, resources };
}

/** The queue behind a `...QueueUrl` output. */
function queueIds(json: Json): string[] {
  const outputs = json.Outputs as Record<string, { Value: { Ref?: string } }>;
  return Object.entries(outputs)
    .filter(([name]) => name.endsWith('QueueUrl'))
    .map(([, output]) => output.Value.Ref ?? '?')
    .sort();
}

describe('the dashboard, enabled (grace period on: re-check schedules)', () => {
  let json: Json;
  let nag: NagReport;
  let dashboard: ReturnType<typeof dashboardOf>;
  beforeAll(() => {
    ({ json, nag } = synthCentral({ dashboard: { enabled: true } }));
    dashboard = dashboardOf(json);
  }, 120_000);
  const org = () => dashboard.metrics.filter((m) => m.namespace === METRICS_NAMESPACE);
  const inWidget = (title: RegExp) => dashboard.metrics.filter((m) => title.test(m.widget));

  it('is named org-mfa-watch, and cdk-nag finds nothing', () => {
    expect(dashboard.name).toBe(NAMES.dashboard);
    expect(violations(nag)).toEqual([]);
  });

  it('graphs every metric of the contract, and only those, each with the service dimension and allowed values', () => {
    expect(new Set(org().map((m) => m.name))).toEqual(new Set(Object.values(METRIC_NAMES)));
    for (const metric of org()) {
      const { service, ...rest } = metric.dimensions;
      expect(service).toBe(METRICS_SERVICE);
      for (const [dimension, value] of Object.entries(rest)) {
        expect(METRIC_BREAKDOWNS[metric.name as MetricName]).toContain(dimension);
        expect(METRIC_DIMENSIONS[dimension as MetricDimension]).toContain(value);
      }
    }
  });

  it('shows open findings per finding severity, as the daily maximum of the level each sweep writes', () => {
    const open = inWidget(/^Open findings/);
    expect(open.map((m) => m.dimensions.Severity)).toEqual([...FINDING_SEVERITIES]);
    expect(open.every((m) => m.name === 'OpenFindings' && m.stat === 'Maximum' && m.period === 86_400)).toBe(
      true,
    );
  });

  it('shows new vs resolved findings per day (both sources: the total of each)', () => {
    const perDay = inWidget(/^New vs resolved/);
    expect(perDay.map((m) => [m.name, m.stat, m.period, Object.keys(m.dimensions)])).toEqual([
      ['NewFindings', 'Sum', 86_400, ['service']],
      ['ResolvedFindings', 'Sum', 86_400, ['service']],
    ]);
  });

  it('shows coverage: accounts checked, not covered, failed and rollout pending per sweep', () => {
    expect(inWidget(/coverage/).map((m) => m.name)).toEqual([
      'SweepAccountsChecked',
      'SweepAccountsNotCovered',
      'SweepAccountsFailed',
      'SweepAccountsRolloutPending',
    ]);
  });

  it('shows alerts per alert severity and the check failures', () => {
    expect(inWidget(/^Alerts by severity/).map((m) => m.dimensions.Severity)).toEqual([...ALERT_SEVERITIES]);
    expect(inWidget(/^Check failures/).map((m) => m.name)).toContain('CheckFailures');
  });

  it("graphs the checker's real queues, each by its QueueName, for messages sent and depth", () => {
    const ids = queueIds(json);
    expect(ids).toHaveLength(4);
    for (const metricName of ['NumberOfMessagesSent', 'ApproximateNumberOfMessagesVisible']) {
      const queues = dashboard.metrics.filter((m) => m.namespace === 'AWS/SQS' && m.name === metricName);
      expect(queues.map((m) => m.dimensions.QueueName).sort()).toEqual(ids.map((id) => `${id}.QueueName`));
      for (const id of ids) expect(dashboard.resources[id]?.Type).toBe('AWS::SQS::Queue');
    }
  });

  it("graphs the checker function's errors and throttles", () => {
    const fn = dashboard.metrics.filter((m) => m.namespace === 'AWS/Lambda');
    const functionIds = Object.entries(dashboard.resources)
      // The checker (the sweep's functions are watched through the state machine and its alarms).
      .filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('CheckerFunction'))
      .map(([id]) => `ref:${id}`);
    expect(functionIds).toHaveLength(1);
    expect(fn.map((m) => m.name)).toEqual(expect.arrayContaining(['Errors', 'Throttles']));
    expect(new Set(fn.map((m) => m.dimensions.FunctionName))).toEqual(new Set(functionIds));
  });

  it('graphs the Scheduler metrics the re-check alarms watch, for the re-check schedule group', () => {
    const scheduler = dashboard.metrics.filter((m) => m.namespace === 'AWS/Scheduler');
    const alarmed = Object.values(dashboard.resources)
      .filter(
        (r) =>
          r.Type === 'AWS::CloudWatch::Alarm' &&
          r.Properties?.Namespace === 'AWS/Scheduler' &&
          JSON.stringify(r.Properties.Dimensions ?? []).includes(`"${NAMES.scheduleGroup}"`),
      )
      .map((r) => r.Properties?.MetricName as string);
    expect(alarmed.length).toBeGreaterThan(0);
    expect(scheduler.map((m) => m.name).sort()).toEqual(alarmed.sort());
    expect(new Set(scheduler.map((m) => m.dimensions.ScheduleGroup))).toEqual(new Set([NAMES.scheduleGroup]));
  });

  it('lays the widgets out inside the 24-column grid without overlaps', () => {
    const cells = new Set<string>();
    for (const w of dashboard.widgets) {
      expect(w.x + w.width).toBeLessThanOrEqual(24);
      for (let x = w.x; x < w.x + w.width; x += 1) {
        for (let y = w.y; y < w.y + w.height; y += 1) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});

describe('the dashboard, optional', () => {
  it('is absent unless enabled (the default)', () => {
    const { json, nag } = synthCentral({});
    expect(violations(nag)).toEqual([]);
    const types = Object.values(json.Resources as Resources).map((r) => r.Type);
    expect(types).not.toContain('AWS::CloudWatch::Dashboard');
    expect(types).toContain('AWS::Lambda::Function');
  });

  it('has no Scheduler widget without a grace period (no schedule group), and three queues', () => {
    const { json } = synthCentral({ dashboard: { enabled: true }, gracePeriodHours: 0 });
    const dashboard = dashboardOf(json);
    expect(dashboard.metrics.filter((m) => m.namespace === 'AWS/Scheduler')).toEqual([]);
    const sent = dashboard.metrics.filter((m) => m.name === 'NumberOfMessagesSent');
    expect(sent.map((m) => m.dimensions.QueueName).sort()).toEqual(
      queueIds(json).map((id) => `${id}.QueueName`),
    );
    expect(sent).toHaveLength(3);
  });

  it('rejects a dashboard setting that is not true or false, naming the field', () => {
    expect(() => parseConfig({ ...rawTestConfig(), dashboard: { enabled: 'yes' } })).toThrow(ConfigError);
    expect(() => parseConfig({ ...rawTestConfig(), dashboard: { enabled: 'yes' } })).toThrow(
      /dashboard\.enabled: expected true or false/,
    );
    expect(() => parseConfig({ ...rawTestConfig(), dashboard: { enable: true } })).toThrow(
      /dashboard: unknown field\(s\) "enable"/,
    );
    expect(testConfig().dashboard.enabled).toBe(false);
  });
});
