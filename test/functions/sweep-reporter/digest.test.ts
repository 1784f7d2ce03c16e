import { describe, expect, it } from 'vitest';
import type { SweepAccountResult, SweepFinding } from '../../../functions/contract/sweep';
import { buildReport } from '../../../functions/sweep-reporter/aggregate';
import {
  DIGEST_ACCOUNTS_MAX,
  DIGEST_LIST_MAX,
  boundBody,
  formatDigest,
  s3ConsoleLink,
  type DigestSettings,
} from '../../../functions/sweep-reporter/digest';
import { NOW, sampleReport } from './sample';

const settings = (overrides: Partial<DigestSettings> = {}): DigestSettings => ({
  locale: 'en',
  timeZone: 'Asia/Seoul',
  partition: 'aws',
  region: 'us-east-1',
  bucket: 'org-mfa-watch-sweep-222222222222',
  reportCsvKey: 'reports/daily-20261201/report.csv',
  reportJsonKey: 'reports/daily-20261201/report.json',
  ...overrides,
});

/** SNS: a message (body plus attributes) is at most 262,144 bytes (Amazon SNS quotas, "Message size"). */
const SNS_MAX_BYTES = 262_144;

describe('formatDigest (en)', () => {
  const digest = formatDigest(sampleReport(), settings());
  const lines = digest.body.split('\n');

  it('has an ASCII subject under 100 characters with the counts', () => {
    expect(digest.subject).toBe(
      '[org-mfa-watch] Sweep: 3 new, 2 resolved, 4 open; 3 coverage gaps, 1 not checked',
    );
    expect(digest.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
  });

  it('is filterable: severity of the most severe new finding, finding SWEEP_DIGEST', () => {
    expect(digest.attributes).toEqual({ severity: 'CRITICAL', finding: 'SWEEP_DIGEST' });
  });

  it('states totals, with the time in UTC and the configured zone', () => {
    expect(lines.slice(0, 6)).toEqual([
      'Org-wide MFA sweep daily-20261201 finished (scheduled, every ACTIVE account).',
      'Finished: 2026-12-01 03:20:00 UTC / 2026-12-01 12:20:00 (Asia/Seoul)',
      '',
      'Accounts: 8 swept: 4 checked, 3 coverage gaps, 0 rollout pending, 1 not checked.',
      'Findings: 3 new, 2 resolved, 4 open (1 still open from before).',
      '',
    ]);
  });

  it('lists new findings most severe first, and resolved ones with why (account-removed included)', () => {
    expect(lines).toContain(
      '  - HIGH USER_NO_MFA: "alice" in 111111111111 (prod-main), console password, last used 2026-12-01 07:15:00 (Asia/Seoul)',
    );
    const newSection = lines.slice(
      lines.indexOf('New findings (3):') + 1,
      lines.indexOf('New findings (3):') + 4,
    );
    expect(newSection.map((l) => l.split(' ')[3])).toEqual(['CRITICAL', 'HIGH', 'HIGH']);
    expect(lines).toContain('  - HIGH ACCOUNT_NOT_COVERED: account 222222222222 (legacy)');
    expect(lines).toContain('  - USER_NO_MFA: "bob" in 111111111111 (prod-main): MFA enabled');
    expect(lines).toContain(
      '  - USER_NO_MFA: "gone" in 121212121212: account no longer ACTIVE in the organization',
    );
  });

  it('shows open findings by severity and by account, most critical account first', () => {
    expect(lines).toContain('Open findings by severity: CRITICAL 1, HIGH 2, MEDIUM 1');
    const start = lines.indexOf('Open findings by account:');
    expect(lines.slice(start + 1, start + 4)).toEqual([
      '  - 444444444444 (rooty): 1 (CRITICAL 1)',
      '  - 111111111111 (prod-main): 2 (HIGH 1, MEDIUM 1)',
      '  - 222222222222 (legacy): 1 (HIGH 1)',
    ]);
  });

  it('lists coverage gaps and failures with their reasons', () => {
    expect(lines).toContain(
      '  - 222222222222 (legacy): check role not reachable: AccessDenied on sts:AssumeRole',
    );
    // Excluded and also timed out: one line, under the gap, with the failure on it.
    expect(lines).toContain(
      '  - 666666666666 (slow-2): excluded by configuration (rollout.excludeAccountIds); not checked: Sandbox.Timedout: RequestId: 5e0c8b43-1111-4222-8333-944455556666 Error: Task timed out after 900.00 seconds',
    );
    expect(lines).toContain(
      '  - 777777777777 (sandbox): outside the rollout OUs: no StackSet instance, events are not watched; not checked: no result from the sweep worker (its batch did not run to the end)',
    );
    expect(lines.find((l) => l.startsWith('  - 555555555555 (slow-1): '))).toContain(
      'Sandbox.Timedout: RequestId: 5e0c8b43-1111-4222-8333-944455556666 Error: Task timed out after 900.00 seconds',
    );
  });

  it('links the report in the S3 console of the deployment partition', () => {
    expect(lines).toContain(
      'Report (CSV): https://console.aws.amazon.com/s3/object/org-mfa-watch-sweep-222222222222?region=us-east-1&prefix=reports%2Fdaily-20261201%2Freport.csv',
    );
    expect(s3ConsoleLink('aws-us-gov', 'us-gov-west-1', 'b', 'reports/x/report.csv')).toBe(
      'https://console.amazonaws-us-gov.com/s3/object/b?region=us-gov-west-1&prefix=reports%2Fx%2Freport.csv',
    );
    expect(s3ConsoleLink('aws-cn', 'cn-north-1', 'b', 'k')).toMatch(/^https:\/\/console\.amazonaws\.cn\//);
  });

  it('says when reconciling departed accounts failed', () => {
    const noted = formatDigest(
      sampleReport({ removed: [], storeProblem: 'Finding store unavailable during listFindings' }),
      settings(),
    );
    expect(noted.body).toContain(
      'Note: findings of accounts that left the organization were not reconciled: Finding store unavailable during listFindings',
    );
  });
});

describe('formatDigest (ko)', () => {
  const digest = formatDigest(sampleReport(), settings({ locale: 'ko' }));
  const lines = digest.body.split('\n');

  it('writes the body in Korean and keeps the subject ASCII', () => {
    expect(digest.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    expect(lines[0]).toBe(
      '조직 전체 MFA 점검 daily-20261201이(가) 완료되었습니다 (정기 점검, 모든 ACTIVE 계정).',
    );
    expect(lines).toContain(
      '계정: 점검 대상 8개: 점검 완료 4개, 적용 범위 공백 3개, 롤아웃 대기 0개, 점검 못 함 1개.',
    );
    expect(lines).toContain('발견 항목: 신규 3개, 해결 2개, 열림 4개 (이전부터 열려 있던 항목 1개).');
    expect(lines).toContain(
      '  - CRITICAL ROOT_NO_MFA: 계정 444444444444 (rooty)의 루트 사용자, 콘솔 비밀번호 있음',
    );
    expect(lines).toContain(
      '  - USER_NO_MFA: 계정 121212121212의 "gone": 계정이 더 이상 조직의 ACTIVE 계정이 아님',
    );
    expect(
      lines.some((l) =>
        l.startsWith('  - 666666666666 (slow-2): 설정에서 제외됨 (rollout.excludeAccountIds)'),
      ),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith('보고서 (CSV): https://console.aws.amazon.com/s3/object/'))).toBe(
      true,
    );
  });
});

describe('scope of partial sweeps', () => {
  it.each([
    ['joined', false, 'accounts that just joined the organization'],
    ['on-demand', false, 'on demand, selected accounts'],
    ['on-demand', true, 'on demand, every ACTIVE account'],
  ] as const)('%s (full: %s) says "%s"', (mode, fullSweep, scope) => {
    const report = { ...sampleReport(), mode, fullSweep };
    const body = formatDigest(report, settings()).body;
    expect(body.split('\n')[0]).toContain(`(${scope}).`);
    expect(body.includes('Only the swept accounts are counted')).toBe(!fullSweep);
  });
});

describe('size', () => {
  // 10,000 accounts, each with three open findings under long user names, a tenth failed with long
  // reasons, a tenth outside the rollout.
  function hugeReport() {
    const accounts: SweepAccountResult[] = [];
    const items = [];
    for (let i = 0; i < 10_000; i += 1) {
      const accountId = String(100_000_000_000 + i);
      items.push({
        accountId,
        name: `account-name-${'x'.repeat(36)}-${i}`,
        coverage: i % 10 === 0 ? ('outside-rollout' as const) : ('stackset' as const),
      });
      const findings: SweepFinding[] = [0, 1, 2].map((n) => ({
        accountId,
        userName: `${'u'.repeat(60)}${n}`,
        kind: 'USER_NO_MFA',
        severity: n === 0 ? 'HIGH' : 'MEDIUM',
        findingId: `f-${String(i * 3 + n).padStart(20, '0')}`,
        change: n === 2 ? 'still-open' : 'new',
        consolePassword: n === 0,
        lastUsed: '2026-11-30T00:00:00.000Z',
      }));
      accounts.push(
        i % 10 === 5
          ? { accountId, outcome: 'failed', reason: `Throttling: ${'r'.repeat(5000)}`, findings: [] }
          : { accountId, alias: `alias-${'a'.repeat(50)}`, outcome: 'checked', findings },
      );
    }
    return buildReport({
      sweepId: 'huge',
      mode: 'scheduled',
      fullSweep: true,
      items,
      batches: [{ accounts }],
      failures: [],
      removedAccountFindings: [],
      skipped: [],
      now: NOW,
    });
  }

  it.each(['en', 'ko'] as const)(
    'stays under the SNS 256 KiB limit for 10,000 accounts of findings (%s), with "and N more"',
    (locale) => {
      const report = hugeReport();
      expect(report.totals.newFindings).toBe(18_000);
      const digest = formatDigest(report, settings({ locale }));
      const bytes =
        Buffer.byteLength(digest.body, 'utf8') +
        Buffer.byteLength(digest.subject, 'utf8') +
        Object.entries(digest.attributes).reduce((n, [k, v]) => n + k.length + v.length + 'String'.length, 0);
      expect(bytes).toBeLessThan(SNS_MAX_BYTES);
      expect(bytes).toBeLessThan(40_000);
      const more =
        locale === 'en' ? `... and ${18_000 - DIGEST_LIST_MAX} more` : `... 외 ${18_000 - DIGEST_LIST_MAX}개`;
      expect(digest.body).toContain(more);
      const moreAccounts =
        locale === 'en'
          ? `... and ${9000 - DIGEST_ACCOUNTS_MAX} more accounts`
          : `외 계정 ${9000 - DIGEST_ACCOUNTS_MAX}개`;
      expect(digest.body).toContain(moreAccounts);
      expect(digest.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    },
  );

  it('boundBody cuts at a line break and ends with where the rest is', () => {
    const body = Array.from({ length: 1000 }, (_, i) => `line ${i} 한국어`).join('\n');
    const bounded = boundBody(body, 2000, 'Report: s3://b/k');
    expect(Buffer.byteLength(bounded, 'utf8')).toBeLessThanOrEqual(2000);
    expect(bounded.endsWith('\nReport: s3://b/k')).toBe(true);
    expect(
      bounded
        .split('\n')
        .slice(0, -1)
        .every((l) => /^line \d+ 한국어$/.test(l)),
    ).toBe(true);
    expect(boundBody('short', 2000, 'x')).toBe('short');
  });
});

describe('the digest is consistent and actionable (issue 19, item 7)', () => {
  const headings = (body: string) => {
    // Each section: a line ending in "(N):", then its "  - " lines.
    const sections = new Map<string, string[]>();
    let current: string | undefined;
    for (const line of body.split('\n')) {
      if (/\(\d+\):$/.test(line)) {
        current = line;
        sections.set(line, []);
      } else if (current !== undefined && line.startsWith('  - ')) sections.get(current)?.push(line);
      else if (line === '') current = undefined;
    }
    return sections;
  };
  const accountSections = (body: string) =>
    [...headings(body)].filter(
      ([title]) => !/findings|발견 항목/i.test(title) && !title.startsWith('Not swept'),
    );

  it.each(['en', 'ko'] as const)(
    '(%s) puts each account under at most one account heading, and the counts add up to the accounts swept',
    (locale) => {
      const report = sampleReport();
      const body = formatDigest(report, settings({ locale })).body;
      const seen = new Map<string, number>();
      for (const [, lines] of accountSections(body)) {
        for (const line of lines) {
          const id = /^ {2}- (\d{12})/.exec(line)?.[1];
          if (id !== undefined) seen.set(id, (seen.get(id) ?? 0) + 1);
        }
      }
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      expect(seen.has('666666666666')).toBe(true);
      expect(seen.has('777777777777')).toBe(true);
    },
  );

  it('says in the subject what the body says, by the same names', () => {
    const digest = formatDigest(sampleReport(), settings());
    const subject =
      /Sweep: (\d+) new, (\d+) resolved, (\d+) open; (\d+) coverage gaps?, (\d+) not checked/.exec(
        digest.subject,
      );
    const findings = /Findings: (\d+) new, (\d+) resolved, (\d+) open/.exec(digest.body);
    const accounts = /(\d+) coverage gaps, (\d+) rollout pending, (\d+) not checked/.exec(digest.body);
    expect(subject?.slice(1, 4)).toEqual(findings?.slice(1, 4));
    expect([subject?.[4], subject?.[5]]).toEqual([accounts?.[1], accounts?.[3]]);
  });

  it('writes a Korean digest in Korean: no English label or worker reason is left', () => {
    const body = formatDigest(sampleReport(), settings({ locale: 'ko' })).body;
    for (const english of [
      'Accounts',
      'Findings',
      'What to do',
      'not checked',
      'no result from the sweep worker',
      'excluded by configuration',
      'coverage gap',
      'Rollout pending',
    ]) {
      expect(body).not.toContain(english);
    }
  });

  it('says what to do for each kind of finding that is open', () => {
    const lines = formatDigest(sampleReport(), settings()).body.split('\n');
    const start = lines.indexOf('What to do:');
    expect(lines.slice(start + 1, start + 4).map((l) => l.split(':')[0])).toEqual([
      '  - USER_NO_MFA',
      '  - ROOT_NO_MFA',
      '  - ACCOUNT_NOT_COVERED',
    ]);
  });

  it('lists rollout-pending accounts apart, counts them in the subject, and notes an unreadable StackSet', () => {
    const base = sampleReport();
    const pending: SweepAccountResult = {
      accountId: '131313131313',
      name: 'landing',
      outcome: 'rollout-pending',
      reason: 'StackSet instance not deployed yet (RUNNING)',
      findings: [],
    };
    const report = {
      ...base,
      accounts: [...base.accounts, pending],
      rolloutProblem: 'sts:AssumeRole: AccessDenied: no',
    };
    const en = formatDigest(report, settings());
    expect(en.subject).toContain('1 rollout pending');
    expect(en.body).toContain(
      'Rollout pending (StackSet instance not deployed yet; no alert) (1):\n  - 131313131313 (landing): StackSet instance not deployed yet (RUNNING)',
    );
    expect(en.body).toContain(
      'Note: the StackSet instances could not be read (sts:AssumeRole: AccessDenied: no); an unreachable check role was reported ACCOUNT_NOT_COVERED as before.',
    );
    const ko = formatDigest(report, settings({ locale: 'ko' }));
    expect(ko.body).toContain('  - 131313131313 (landing): StackSet 인스턴스가 아직 배포되지 않음 (RUNNING)');
  });
});

describe('accepted (suppressed) findings in the digest (issue 19, item 8)', () => {
  it('lists them apart with their day, in each locale', () => {
    const base = sampleReport();
    const accepted: SweepFinding = {
      accountId: '141414141414',
      userName: 'break-glass',
      kind: 'USER_NO_MFA',
      severity: 'HIGH',
      findingId: 'f-00000000000000000042',
      change: 'still-open',
      suppressedUntil: '2026-12-31',
    };
    const report = {
      ...base,
      accounts: [
        ...base.accounts,
        { accountId: '141414141414', name: 'ops', outcome: 'checked' as const, findings: [accepted] },
      ],
    };
    expect(formatDigest(report, settings()).body).toContain(
      'Accepted until a date (suppressed: open, not alerted) (1):\n  - USER_NO_MFA: "break-glass" in 141414141414 (ops), until 2026-12-31',
    );
    expect(formatDigest(report, settings({ locale: 'ko' })).body).toContain(
      '기한부로 수락된 항목 (열려 있지만 알리지 않음) (1):\n  - USER_NO_MFA: 계정 141414141414 (ops)의 "break-glass", 2026-12-31까지',
    );
  });
});
