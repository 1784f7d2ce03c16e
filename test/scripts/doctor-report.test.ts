import { describe, expect, it } from 'vitest';
import {
  callFailed,
  type CheckRow,
  exitCode,
  formatTable,
  isAccessDenied,
  summaryLine,
} from '../../scripts/doctor/report';

const denied = Object.assign(new Error('User is not authorized to perform: x:Y'), {
  name: 'AccessDeniedException',
});

describe('doctor exit code', () => {
  it.each<[string, number, CheckRow['status'][]]>([
    ['all PASS', 0, ['PASS', 'PASS']],
    ['WARN and SKIP only', 0, ['PASS', 'WARN', 'SKIP']],
    ['one FAIL', 1, ['PASS', 'FAIL', 'SKIP']],
    ['no rows', 0, []],
  ])('%s -> exit code %i', (_name, code, statuses) => {
    expect(exitCode(statuses.map((status) => ({ check: 'c', status, detail: 'd' })))).toBe(code);
  });
});

describe('doctor table', () => {
  const rows: CheckRow[] = [
    { check: 'organization', status: 'PASS', detail: 'o-abc' },
    { check: 'trail', status: 'FAIL', detail: 'not\nlogging', fix: 'start it' },
  ];
  const text = formatTable(rows);
  const lines = text.split('\n');

  it('prints a header, a rule and one line per row with the fix for non-PASS rows', () => {
    expect(lines[0]).toMatch(/^check\s+\| status \| detail\s+\| fix$/);
    expect(lines[1]).toMatch(/^-+\|-+\|-+\|-+$/);
    expect(lines[2]).toBe('organization | PASS   | o-abc       |');
    expect(lines[3]).toBe('trail        | FAIL   | not logging | start it');
  });

  it('aligns the column separators on every line', () => {
    const positions = lines.slice(0, 4).map((l) => l.indexOf('|'));
    expect(new Set(positions).size).toBe(1);
  });

  it('ends with a summary that reads naturally', () => {
    expect(text).toContain('2 checks: 1 passed, 1 failed');
  });
});

describe('callFailed', () => {
  it('names the missing permission on AccessDenied', () => {
    const row = callFailed('c', 'organizations:ListRoots', denied);
    expect(isAccessDenied(denied)).toBe(true);
    expect(row.status).toBe('FAIL');
    expect(row.detail).toContain('missing permission organizations:ListRoots');
    expect(row.fix).toContain('organizations:ListRoots');
  });

  it('reports other failures with the error name', () => {
    const row = callFailed(
      'c',
      'ssm:GetParameter',
      Object.assign(new Error('slow down'), { name: 'ThrottlingException' }),
    );
    expect(row.detail).toBe('ssm:GetParameter failed (ThrottlingException: slow down)');
  });
});

describe('summaryLine', () => {
  const row = (status: CheckRow['status']): CheckRow => ({ check: 'c', status, detail: 'd' });
  it.each<[CheckRow['status'][], string]>([
    [['PASS'], '1 check: 1 passed, 0 failed'],
    [['PASS', 'FAIL', 'WARN', 'SKIP', 'SKIP'], '5 checks: 1 passed, 1 failed, 1 warning, 2 skipped'],
    [['WARN', 'WARN'], '2 checks: 0 passed, 0 failed, 2 warnings'],
  ])('%j -> %s', (statuses, line) => {
    expect(summaryLine(statuses.map(row))).toBe(line);
  });
});
