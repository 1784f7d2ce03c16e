import { App, type Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testAppProps } from './app';

/** The part of cdk-nag's validation report the stack tests read. */
export interface NagReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly violations: readonly {
      readonly ruleName: string;
      readonly violatingConstructs: readonly { readonly constructPath: string }[];
    }[];
  }[];
}

/**
 * Synthesize one stack with cdk-nag's AwsSolutions pack. A finding fails synth; the validation report
 * is written all the same, so the caller can say which finding it was. No bundling (see testAppProps in
 * ./app.ts): call it once per configuration, in `beforeAll`, and share the result between tests.
 */
export function synthWithNag(build: (app: App) => Stack): { json: Record<string, unknown>; nag: NagReport } {
  const outdir = mkdtempSync(join(tmpdir(), 'stack-test-'));
  const app = new App(testAppProps({ outdir }));
  const stack = build(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  let synthError: unknown;
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  const nag = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as NagReport;
  if (synthError !== undefined && violations(nag).length === 0) {
    throw synthError instanceof Error ? synthError : new Error(JSON.stringify(synthError));
  }
  const templateFile = join(outdir, `${stack.artifactId}.template.json`);
  const json = JSON.parse(readFileSync(templateFile, 'utf8')) as Record<string, unknown>;
  return { json, nag };
}

/** Every unacknowledged finding of a report, as `rule at construct path`. */
export function violations(nag: NagReport): string[] {
  return nag.pluginReports.flatMap((r) =>
    r.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`)),
  );
}
