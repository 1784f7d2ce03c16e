import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { STACK_IDS } from '../../stacks/names';
import { synthApp, testConfig, type SynthesizedApp } from '../helpers/app';
import { resolveIntrinsics } from '../helpers/policy-simulation';

// The one stack test that bundles for real (esbuild, as `cdk synth` does) and loads the bundles: every
// other stack test skips bundling (test/helpers/app.ts, testAppProps), because none reads function code.
// Each function's bundle is loaded in a fresh Node.js process with the environment its template sets,
// as Lambda's runtime would: the module initializes (settings parsed, clients created) and exports
// `handler`.

type Resource = { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> };

/** Plausible deployed values for Ref / Fn::GetAtt of a template's resources (nothing is called). */
function deployedValues(resources: Record<string, Resource>, account: string, region: string) {
  const values: Record<string, string> = {};
  for (const [id, r] of Object.entries(resources)) {
    const name = `omw-${id.toLowerCase().slice(0, 40)}`;
    const arn = (service: string, kind: string) => `arn:aws:${service}:${region}:${account}:${kind}${name}`;
    const byType: Record<string, [ref: string, arn: string]> = {
      'AWS::SNS::Topic': [arn('sns', ''), arn('sns', '')],
      'AWS::SQS::Queue': [`https://sqs.${region}.amazonaws.com/${account}/${name}`, arn('sqs', '')],
      'AWS::DynamoDB::GlobalTable': [name, arn('dynamodb', 'table/')],
      'AWS::DynamoDB::Table': [name, arn('dynamodb', 'table/')],
      'AWS::S3::Bucket': [name, `arn:aws:s3:::${name}`],
      'AWS::IAM::Role': [name, `arn:aws:iam::${account}:role/${name}`],
      'AWS::StepFunctions::StateMachine': [arn('states', 'stateMachine:'), arn('states', 'stateMachine:')],
      'AWS::Lambda::Function': [name, arn('lambda', 'function:')],
      'AWS::Events::EventBus': [name, arn('events', 'event-bus/')],
      'AWS::KMS::Key': [name, arn('kms', 'key/')],
    };
    const [ref, resourceArn] = byType[r.Type] ?? [name, arn('x', '')];
    values[id] = ref;
    values[`${id}.Arn`] = resourceArn;
  }
  return values;
}

interface Bundle {
  readonly id: string;
  readonly file: string;
  readonly env: Record<string, string>;
}

function bundlesOf(app: SynthesizedApp, stack: 'central' | 'management', account: string, region: string) {
  const resources = app[stack].toJSON().Resources as Record<string, Resource>;
  const scope = { account, region, resources: deployedValues(resources, account, region) };
  // The function's Code.S3Key is `<asset hash>.zip`; the assets manifest names the folder it zips.
  const manifest = JSON.parse(
    readFileSync(
      join(app.outdir, `${STACK_IDS[stack === 'central' ? 'central' : 'managementMember']}.assets.json`),
      'utf8',
    ),
  ) as { files: Record<string, { source: { path: string } }> };
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([id, r]): Bundle => {
      const props = r.Properties as {
        Code: { S3Key?: string };
        Environment?: { Variables?: Record<string, unknown> };
      };
      const hash = String(props.Code.S3Key).replace(/\.zip$/, '');
      const folder = manifest.files[hash]?.source.path ?? `no asset ${hash}`;
      const env = resolveIntrinsics(props.Environment?.Variables ?? {}, scope) as Record<string, string>;
      return { id, file: join(app.outdir, folder, 'index.js'), env };
    });
}

let bundles: Bundle[];
let outdir: string;
beforeAll(() => {
  const config = testConfig({ securityHub: { enabled: true } });
  const app = synthApp(config, { real: true });
  outdir = app.outdir;
  bundles = bundlesOf(app, 'central', config.securityAccountId, config.homeRegion);
}, 120_000);

describe('the bundled functions', () => {
  it('are the checker and the three sweep functions, each one minified file', () => {
    expect(bundles).toHaveLength(4);
    for (const bundle of bundles) {
      expect(existsSync(bundle.file), bundle.file).toBe(true);
      expect(statSync(bundle.file).size).toBeGreaterThan(10_000);
    }
  });

  it('each loads in a fresh Node.js process with its template environment and exports handler', () => {
    for (const bundle of bundles) {
      const child = spawnSync(
        process.execPath,
        ['-e', `process.stdout.write(typeof require(${JSON.stringify(bundle.file)}).handler)`],
        {
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH,
            ...bundle.env,
            AWS_REGION: 'eu-central-1',
            AWS_ACCESS_KEY_ID: 'AKIDTEST',
            AWS_SECRET_ACCESS_KEY: 'test-secret',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          },
        },
      );
      expect({ id: bundle.id, stderr: child.stderr, out: child.stdout }).toEqual({
        id: bundle.id,
        stderr: '',
        out: 'function',
      });
    }
  });
});

describe('the real synthesis', () => {
  // synthApp({ real: true }) turns aws-cdk-lib's CloudFormation schema validation from warnings into
  // errors (@aws-cdk/core:validateAgainstDefaultRules): a schema error would have failed beforeAll.
  // bin/app.ts and the other stack tests leave that validation off (about 4 s per process, 20 s of
  // `cdk synth` on this machine, and by default it only warns): this synthesis is where it runs.
  it('passes the CloudFormation schema validation and cdk-nag, nothing reported', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: unknown[] }[];
    };
    expect(report.pluginReports.map((r) => r.pluginName)).toContain('AwsSolutions');
    for (const plugin of report.pluginReports) {
      expect({ [plugin.pluginName]: plugin.violations }).toEqual({ [plugin.pluginName]: [] });
    }
  });
});
