import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultsUnreadableError } from '../../../functions/sweep-reporter/errors';
import {
  failureReason,
  interpretChildren,
  oneLine,
  parseManifest,
  parseResultFile,
} from '../../../functions/sweep-reporter/results';

// Written from the AWS Step Functions Developer Guide, "ResultWriter (Map)": a manifest.json listing
// result files per status, and result files holding child executions whose Input and Output are JSON
// strings (Output only for SUCCEEDED; Error and Cause for FAILED).
const FIXTURES = join(__dirname, 'fixtures', 'result-writer');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const PREFIX = 'sweeps/map-results/ad9b5f27-090b-3ac6-9beb-243cd77144a7';

describe('parseManifest', () => {
  it('lists the SUCCEEDED, FAILED and PENDING result files of a ResultWriter manifest', () => {
    expect(parseManifest(fixture('manifest.json'), 's3://b/manifest.json')).toEqual([
      { status: 'SUCCEEDED', key: `${PREFIX}/SUCCEEDED_0.json` },
      { status: 'FAILED', key: `${PREFIX}/FAILED_0.json` },
    ]);
  });

  it.each([['{}'], ['not json'], ['{"ResultFiles":{"SUCCEEDED":[{"Size":1}]}}']])(
    'rejects %s naming the object',
    (text) => {
      expect(() => parseManifest(text, 's3://b/m.json')).toThrow(ResultsUnreadableError);
      expect(() => parseManifest(text, 's3://b/m.json')).toThrow('s3://b/m.json');
    },
  );
});

describe('parseResultFile', () => {
  it('reads a JSON array of child executions (OutputType JSON, the default)', () => {
    const children = parseResultFile(fixture('SUCCEEDED_0.json'), 'x');
    expect(children).toHaveLength(2);
    expect(children[0]).toMatchObject({ status: 'SUCCEEDED' });
    expect(typeof children[0]?.output).toBe('string');
  });

  it('reads JSON Lines (OutputType JSONL)', () => {
    const array = JSON.parse(fixture('SUCCEEDED_0.json')) as unknown[];
    const jsonl = array.map((entry) => JSON.stringify(entry)).join('\n');
    expect(parseResultFile(`${jsonl}\n`, 'x')).toEqual(parseResultFile(fixture('SUCCEEDED_0.json'), 'x'));
  });

  it('reads bare outputs (WriterConfig Transformation COMPACT) as SUCCEEDED executions', () => {
    const output = { accounts: [{ accountId: '111111111111', outcome: 'checked', findings: [] }] };
    const children = parseResultFile(JSON.stringify([output]), 'x');
    expect(children).toEqual([{ status: 'SUCCEEDED', output: JSON.stringify(output) }]);
    expect(interpretChildren(children).batches).toEqual([output]);
  });

  it('rejects anything else', () => {
    expect(() => parseResultFile('{"Status":1}\nnope', 's3://b/k')).toThrow(ResultsUnreadableError);
  });
});

describe('interpretChildren', () => {
  const children = [
    ...parseResultFile(fixture('SUCCEEDED_0.json'), 'x'),
    ...parseResultFile(fixture('FAILED_0.json'), 'y'),
  ];

  it('takes the worker result from each SUCCEEDED Output, also from a Lambda Invoke response Payload', () => {
    const { batches } = interpretChildren(children);
    expect(batches.flatMap((b) => b.accounts.map((a) => [a.accountId, a.outcome]))).toEqual([
      ['111111111111', 'checked'],
      ['222222222222', 'not-covered'],
      ['333333333333', 'checked'],
      ['444444444444', 'checked'],
    ]);
  });

  it('fails the accounts of a FAILED child (from its Input Items) with its Error and the Lambda Cause', () => {
    const { failures } = interpretChildren(children);
    expect(failures).toEqual([
      {
        accountIds: ['555555555555', '666666666666'],
        reason:
          'Sandbox.Timedout: RequestId: 5e0c8b43-1111-4222-8333-944455556666 Error: Task timed out after 900.00 seconds',
      },
    ]);
  });

  it('fails the batch of a SUCCEEDED child whose output is not a batch result, naming the problem', () => {
    const [first] = children;
    const broken = { ...first!, output: '{"accounts":[{"accountId":"111111111111"}]}' };
    const { batches, failures } = interpretChildren([broken]);
    expect(batches).toEqual([]);
    expect(failures[0]?.accountIds).toEqual(['111111111111', '222222222222']);
    expect(failures[0]?.reason).toMatch(/^unreadable worker result \(accounts\.0\.outcome: /);
  });

  it('fails a child that never finished (PENDING, ABORTED) with its status when it has no Error', () => {
    const [first] = children;
    const { failures } = interpretChildren([{ status: 'ABORTED', input: first!.input! }]);
    expect(failures[0]?.reason).toBe('child execution ABORTED');
  });
});

describe('failureReason and oneLine', () => {
  it('names a Lambda errorType that differs from the Error', () => {
    const cause = JSON.stringify({ errorType: 'StoreUnavailableError', errorMessage: 'down', trace: ['a'] });
    expect(failureReason({ status: 'FAILED', error: 'Error', cause })).toBe(
      'Error: StoreUnavailableError: down',
    );
  });

  it('keeps a Cause that is not a Lambda error as it is, on one line, bounded', () => {
    expect(failureReason({ status: 'FAILED', error: 'States.Timeout', cause: 'took\ntoo long' })).toBe(
      'States.Timeout: took too long',
    );
    expect(oneLine('x'.repeat(600))).toHaveLength(500);
    expect(oneLine('a\u0000b\r\nc')).toBe('a b c');
  });
});
