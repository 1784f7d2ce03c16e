import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvField, neutralizeFormula, reportCsv } from '../../../functions/sweep-reporter/csv';
import { sampleReport } from './sample';

/** A strict RFC 4180 reader (CRLF records, quoted fields with doubled quotes), to read the output back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else if (c === '"' || c === '\n' || c === '\r') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
    else field += c;
    i += 1;
  }
  if (field !== '' || row.length > 0) throw new Error('last record without CRLF');
  return rows;
}

describe('csvField (RFC 4180, section 2)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    [undefined, ''],
    [true, 'true'],
  ])('%j → %s', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});

describe('formula injection (OWASP "CSV Injection")', () => {
  // IAM API reference, CreateUser: UserName matches [\w+=,.@-]+, so these are real IAM user names.
  it.each([
    ['=1+1', "'=1+1"],
    ['+cmd', "'+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM', "'@SUM"],
    ['\tx', "'\tx"],
    ['alice', 'alice'],
    ['a=b', 'a=b'],
  ])('%j is written as %j', (text, expected) => {
    expect(neutralizeFormula(text)).toBe(expected);
  });

  it('quotes a neutralized cell that also holds a comma', () => {
    expect(csvField('=a,b')).toBe(`"'=a,b"`);
  });
});

describe('reportCsv', () => {
  const rows = parseCsv(reportCsv(sampleReport()));
  const [header, ...records] = rows;
  const byColumn = records.map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]])));

  it('has one header and the same number of fields on every row', () => {
    expect(header).toEqual([...CSV_COLUMNS]);
    for (const record of records) expect(record).toHaveLength(CSV_COLUMNS.length);
  });

  it('writes one row per finding with account, alias, user, kind, severity, first seen, console password, last used, change', () => {
    expect(byColumn.find((r) => r.user === 'alice')).toEqual({
      record: 'finding',
      account_id: '111111111111',
      account_name: 'prod',
      alias: 'prod-main',
      coverage: 'stackset',
      outcome: 'checked',
      reason: '',
      user: 'alice',
      finding_kind: 'USER_NO_MFA',
      severity: 'HIGH',
      first_seen: '2026-12-01T03:00:10.000Z',
      console_password: 'true',
      last_used: '2026-11-30T22:15:00.000Z',
      change: 'new',
      resolved_because: '',
      finding_id: 'f-00000000000000000001',
      // No canary in this report (docs/adr/0021-canary.md): never proven by one here.
      realtime_path_proven_at: '',
    });
    expect(byColumn.find((r) => r.finding_kind === 'ROOT_NO_MFA')?.user).toBe('root');
    expect(byColumn.filter((r) => r.record === 'finding')).toHaveLength(6);
  });

  it('neutralizes a user name that a spreadsheet would run as a formula', () => {
    expect(byColumn.find((r) => r.finding_id === 'f-00000000000000000002')?.user).toBe("'=1+1");
  });

  it('writes one account row for every account without findings, with its outcome and reason', () => {
    const accounts = byColumn.filter((r) => r.record === 'account');
    expect(accounts.map((r) => [r.account_id, r.outcome])).toEqual([
      ['333333333333', 'checked'],
      ['555555555555', 'failed'],
      ['666666666666', 'failed'],
      ['777777777777', 'failed'],
      ['999999999999', 'checked'],
    ]);
    expect(accounts.find((r) => r.account_id === '555555555555')?.reason).toContain('Task timed out');
  });

  it('lists the findings of departed accounts as resolved, account-removed', () => {
    expect(byColumn.find((r) => r.account_id === '121212121212')).toMatchObject({
      change: 'resolved',
      resolved_because: 'account-removed',
      outcome: '',
    });
  });
});
