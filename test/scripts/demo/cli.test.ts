import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError, runTool } from '../../../scripts/cli';
import { HINT, USAGE, main, parseDemoOptions } from '../../../scripts/demo/cli';
import { SimulationGapError } from '../../../scripts/demo/runtime';
import { UnresolvableTokenError, tokenResolver } from '../../../scripts/demo/deployment';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('npm run demo: command line', () => {
  it('defaults to English, email only, text, ./demo-output', () => {
    expect(parseDemoOptions([])).toEqual({
      help: false,
      locale: 'en',
      chat: false,
      json: false,
      outDir: 'demo-output',
    });
    expect(parseDemoOptions(['--locale', 'ko', '--chat', '--json', '--out', 'x'])).toEqual({
      help: false,
      locale: 'ko',
      chat: true,
      json: true,
      outDir: 'x',
    });
  });

  it('refuses an unknown option or locale with one line and exit code 2, as the other tools do', async () => {
    expect(() => parseDemoOptions(['--locale', 'fr'])).toThrow(
      new UsageError('--locale: expected one of en, ko, got "fr"'),
    );
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await runTool('demo', () => main(['--bogus'], () => undefined), HINT);
    expect(code).toBe(2);
    expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual([`demo: unknown option --bogus. ${HINT}\n`]);
  });

  it('prints the usage with --help and runs nothing', async () => {
    const out: string[] = [];
    expect(await main(['--help'], (t) => out.push(t))).toBe(0);
    expect(out).toEqual([USAGE]);
  });
});

describe('npm run demo: failing loudly', () => {
  it('names the operation the simulation does not answer and the file to add it to', () => {
    const error = new SimulationGapError('planner', [
      { service: 'cloudformation', operation: 'ListStackInstances', account: 'central', file: 'f.ts' },
      { service: 'cloudformation', operation: 'ListStackInstances', account: 'central', file: 'f.ts' },
    ]);
    expect(error.message).toBe(
      'the planner called cloudformation:ListStackInstances, which the simulated organization does not answer; add it to f.ts',
    );
  });

  it('resolves the references of the stack template as CloudFormation would, and refuses an unknown one', () => {
    const tokens = tokenResolver(
      {
        Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
        Queue: { Type: 'AWS::SQS::Queue' },
        Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'org-mfa-watch' } },
        Key: { Type: 'AWS::KMS::Key' },
      },
      '222222222222',
      'us-east-1',
    );
    expect(tokens.resolve({ Ref: 'Topic' })).toBe('arn:aws:sns:us-east-1:222222222222:alerts');
    expect(tokens.resolve({ Ref: 'Queue' })).toBe(
      'https://sqs.us-east-1.amazonaws.com/222222222222/OrgMfaWatch-Central-Queue',
    );
    expect(tokens.resolve({ 'Fn::GetAtt': ['Bus', 'Arn'] })).toBe(
      'arn:aws:events:us-east-1:222222222222:event-bus/org-mfa-watch',
    );
    expect(tokens.resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x']] })).toBe('arn:aws:x');
    expect(() => tokens.resolve({ Ref: 'Key' })).toThrow(UnresolvableTokenError);
  });
});

describe('npm run demo: the entry point', () => {
  it('answers an unknown option with one line on stderr and exit code 2, before deploying anything', () => {
    const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const result = spawnSync(process.execPath, [tsx, 'scripts/demo.ts', '--bogus'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`demo: unknown option --bogus. ${HINT}\n`);
    expect(result.stdout).toBe('');
  });
});
