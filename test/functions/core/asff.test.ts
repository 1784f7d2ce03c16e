import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asffId, toAsff, type AsffContext } from '../../../functions/core/asff';
import { ASFF_LIMITS, ASFF_REQUIRED_FIELDS, validateAsff } from '../../../functions/core/asff-rules';
import type { Finding as StoredFinding } from '../../../functions/core/finding-store';
import { findingText } from '../../../functions/core/finding-texts';
import { formatAlert } from '../../../functions/checker/format';
import { parseEvent } from '../../../functions/checker/parse-event';
import { ALERT_LOCALES } from '../../../functions/contract/contract';
import { FINDING_KINDS, findingId, type FindingKind } from '../../../functions/contract/findings';
import { PROJECT_ROOT, projectFixture } from '../../helpers/events';

const ACCOUNT = '333333333333';
const CONTEXT: AsffContext = { partition: 'aws', region: 'eu-central-1', locale: 'en' };

function stored(kind: FindingKind, overrides: Partial<StoredFinding> = {}): StoredFinding {
  const subject = kind === 'USER_NO_MFA' ? 'alice' : kind === 'ROOT_NO_MFA' ? 'root' : 'account';
  return {
    findingId: findingId(ACCOUNT, kind, subject),
    accountId: ACCOUNT,
    kind,
    subject,
    state: 'OPEN',
    severity: kind === 'ROOT_NO_MFA' ? 'CRITICAL' : 'HIGH',
    source: 'event',
    firstSeen: '2026-10-05T10:00:00.000Z',
    openedAt: '2026-10-05T10:00:00.000Z',
    lastSeen: '2026-10-05T10:00:00.000Z',
    reopenCount: 0,
    previousNames: [],
    version: 1,
    ...overrides,
  };
}

const resolved = (finding: StoredFinding): StoredFinding => ({
  ...finding,
  state: 'RESOLVED',
  resolvedAt: '2026-10-06T08:00:00.000Z',
  resolution: 'mfa-enabled',
});

// Every kind, in both states, with every alert detail a kind can carry, in every locale.
const CASES: [string, StoredFinding][] = [
  ['USER_NO_MFA console', stored('USER_NO_MFA', { detail: 'NO_MFA_CONSOLE', accountAlias: 'prod-data' })],
  ['USER_NO_MFA no console', stored('USER_NO_MFA', { detail: 'NO_MFA_NO_CONSOLE', severity: 'MEDIUM' })],
  ['USER_NO_MFA without detail', stored('USER_NO_MFA')],
  ['ROOT_NO_MFA', stored('ROOT_NO_MFA', { detail: 'ROOT_NO_MFA' })],
  ['ROOT_NO_MFA (MFA removed)', stored('ROOT_NO_MFA', { detail: 'ROOT_MFA_REMOVED' })],
  ['ROOT_NO_MFA (password created)', stored('ROOT_NO_MFA', { detail: 'ROOT_PASSWORD_CREATED' })],
  ['ACCOUNT_NOT_COVERED', stored('ACCOUNT_NOT_COVERED', { source: 'sweep' })],
  ['FORWARDING_BROKEN', stored('FORWARDING_BROKEN', { source: 'sweep' })],
  ['ROLLOUT_FAILED', stored('ROLLOUT_FAILED', { source: 'sweep', detail: 'ROLLOUT_FAILED' })],
  [
    'REALTIME_PATH_BROKEN',
    stored('REALTIME_PATH_BROKEN', { source: 'sweep', detail: 'REALTIME_PATH_BROKEN' }),
  ],
];
const ALL = CASES.flatMap(([name, f]) => [
  [`${name}, open`, f] as const,
  [`${name}, resolved`, resolved(f)] as const,
]).flatMap(([name, f]) => ALERT_LOCALES.map((locale) => [`${name} (${locale})`, f, locale] as const));

describe('toAsff', () => {
  it('covers every finding kind of the store', () => {
    expect(new Set(CASES.map(([, f]) => f.kind))).toEqual(new Set(FINDING_KINDS));
  });

  it.each(ALL)('renders a finding Security Hub accepts: %s', (_name, finding, locale) => {
    const asff = toAsff(finding, { ...CONTEXT, locale });
    expect(validateAsff(asff)).toEqual([]);
    for (const field of ASFF_REQUIRED_FIELDS) expect(asff[field]).toBeDefined();
    expect(asff).not.toHaveProperty('Workflow');
    expect(asff).not.toHaveProperty('WorkflowState');
    expect(asff.FindingProviderFields?.Severity?.Label).toBe(finding.severity);
    expect(asff.Severity?.Label).toBe(finding.severity);
    expect(asff.FindingProviderFields?.Types).toEqual(asff.Types);
    expect(asff.RecordState).toBe(finding.state === 'OPEN' ? 'ACTIVE' : 'ARCHIVED');
  });

  it('imports to the default product of the finding account in the import region', () => {
    const asff = toAsff(stored('USER_NO_MFA'), CONTEXT);
    expect(asff.ProductArn).toBe(`arn:aws:securityhub:eu-central-1:${ACCOUNT}:product/${ACCOUNT}/default`);
    expect(asff.AwsAccountId).toBe(ACCOUNT);
    expect(asff.SchemaVersion).toBe('2018-10-08');
    expect(asff.Types).toEqual(['Software and Configuration Checks/AWS Security Best Practices']);
  });

  it('keeps one Id per account, subject and kind, across states, renames and reopenings', () => {
    const open = stored('USER_NO_MFA');
    const renamed = {
      ...open,
      subject: 'alice2',
      previousNames: ['alice'],
      lastSeen: '2026-10-07T00:00:00.000Z',
    };
    const reopened = { ...open, reopenCount: 1, lastSeen: '2026-10-08T00:00:00.000Z' };
    const ids = [open, resolved(open), renamed, reopened].map((f) => toAsff(f, CONTEXT).Id);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toBe(asffId(open));
    const others = [
      stored('ROOT_NO_MFA'),
      stored('USER_NO_MFA', {
        findingId: findingId('444444444444', 'USER_NO_MFA', 'alice'),
        accountId: '444444444444',
      }),
      stored('USER_NO_MFA', { findingId: findingId(ACCOUNT, 'USER_NO_MFA', 'bob'), subject: 'bob' }),
    ].map((f) => toAsff(f, CONTEXT).Id);
    expect(new Set([...others, ids[0]]).size).toBe(4);
  });

  it('moves UpdatedAt forward with each transition: open, resolved (ARCHIVED), reopened', () => {
    const open = stored('USER_NO_MFA');
    const closed = resolved(open);
    const reopened = { ...closed, state: 'OPEN' as const, lastSeen: '2026-10-09T00:00:00.000Z' };
    const times = [open, closed, reopened].map((f) => Date.parse(toAsff(f, CONTEXT).UpdatedAt ?? ''));
    expect(times[1]).toBeGreaterThan(times[0] ?? Infinity);
    expect(times[2]).toBeGreaterThan(times[1] ?? Infinity);
    expect(toAsff(reopened, CONTEXT).CreatedAt).toBe(open.firstSeen);
  });

  it('describes an IAM user as AwsIamUser with its ARN (path included) and the root user as AwsAccount', () => {
    const user = toAsff(stored('USER_NO_MFA'), { ...CONTEXT, userPath: '/division/' }).Resources?.[0];
    expect(user).toEqual({
      Type: 'AwsIamUser',
      Id: `arn:aws:iam::${ACCOUNT}:user/division/alice`,
      Partition: 'aws',
      Region: 'eu-central-1',
      Details: { AwsIamUser: { UserName: 'alice', Path: '/division/' } },
    });
    expect(toAsff(stored('ROOT_NO_MFA'), { ...CONTEXT, partition: 'aws-us-gov' }).Resources).toEqual([
      {
        Type: 'AwsAccount',
        Id: `AWS::::Account:${ACCOUNT}`,
        Partition: 'aws-us-gov',
        Region: 'eu-central-1',
      },
    ]);
  });

  it.each(ALERT_LOCALES)('recommends the same steps as the e-mail alert, from one source (%s)', (locale) => {
    const asff = toAsff(stored('USER_NO_MFA', { detail: 'NO_MFA_CONSOLE' }), { ...CONTEXT, locale });
    const event = parseEvent(projectFixture('createuser-iamuser-cli-path.json'));
    const alert = formatAlert(
      { finding: 'NO_MFA_CONSOLE', severity: 'HIGH', event, userName: 'alice' },
      { locale, timeZone: 'UTC', partition: 'aws' },
    );
    const steps = findingText('NO_MFA_CONSOLE', locale, '', 'alice').todo;
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      expect(asff.Remediation?.Recommendation?.Text).toContain(step);
      expect(alert.body).toContain(step);
    }
    expect(asff.Remediation?.Recommendation?.Url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/IAM\//);
  });

  it('keeps Description within 1024 characters however many renames a user had', () => {
    const names = Array.from({ length: 60 }, (_, i) => `previous-name-of-a-long-lived-user-${i}`);
    const asff = toAsff(stored('USER_NO_MFA', { previousNames: names }), CONTEXT);
    expect(Array.from(asff.Description ?? '').length).toBeLessThanOrEqual(ASFF_LIMITS.description);
    expect(asff.Description).toMatch(/…$/);
    expect(validateAsff(asff)).toEqual([]);
  });
});

describe('validateAsff', () => {
  const valid = (): Record<string, unknown> => ({ ...toAsff(stored('USER_NO_MFA'), CONTEXT) });

  it.each(ASFF_REQUIRED_FIELDS)('reports a missing required field: %s', (field) => {
    const finding = Object.fromEntries(Object.entries(valid()).filter(([key]) => key !== field));
    const problems = validateAsff(finding);
    expect(problems[0]).toEqual({ field, problem: expect.stringContaining('required') as string });
    expect(validateAsff(valid())).toEqual([]);
  });

  it.each([
    ['Title', 'x'.repeat(257)],
    ['Description', 'x'.repeat(1025)],
    ['Id', 'x'.repeat(513)],
    ['SchemaVersion', '2018-10-09'],
    ['UpdatedAt', '2026-10-05 10:00:00'],
    ['AwsAccountId', '33333333333'],
    ['Types', ['Software and Configuration Checks']],
    ['Types', ['Made Up Namespace/Category']],
    ['Severity', { Label: 'SEVERE' }],
    ['Resources', Array.from({ length: 33 }, () => ({ Type: 'AwsAccount', Id: 'AWS::::Account:1' }))],
    ['RecordState', 'DELETED'],
    ['Workflow', { Status: 'RESOLVED' }],
    ['Note', { Text: 'quarantined', UpdatedBy: 'org-mfa-watch', UpdatedAt: '2026-10-05T10:00:00.000Z' }],
    ['UserDefinedFields', { quarantine: 'QUARANTINED' }],
    ['VerificationState', 'TRUE_POSITIVE'],
  ])('reports %s = %j', (field, value) => {
    expect(validateAsff({ ...valid(), [field]: value }).map((p) => p.field.split(/[.[]/)[0])).toContain(
      field,
    );
  });

  it("reports a product of another account (the default product's caller must own the finding)", () => {
    const other = {
      ...valid(),
      ProductArn: 'arn:aws:securityhub:eu-central-1:444444444444:product/444444444444/default',
    };
    expect(validateAsff(other)).toEqual([expect.objectContaining({ field: 'ProductArn' })]);
  });

  it('reports a recommendation longer than 512 characters and a finding over 240 KB', () => {
    const long = { ...valid(), Remediation: { Recommendation: { Text: 'x'.repeat(513) } } };
    expect(validateAsff(long)).toEqual([
      expect.objectContaining({ field: 'Remediation.Recommendation.Text' }),
    ]);
    const huge = { ...valid(), ProductFields: { a: 'x'.repeat(2048) } };
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'x'.repeat(2048)]));
    expect(validateAsff(huge)).toEqual([]);
    expect(
      validateAsff({
        ...valid(),
        ProductFields: many,
        Compliance: { StatusReasons: [{ ReasonCode: 'x', Description: 'x'.repeat(150_000) }] },
      }),
    ).toEqual([expect.objectContaining({ field: '(finding)' })]);
  });
});

describe('the example in docs/operations.md', () => {
  it('is what toAsff renders (the runbook shows a real finding)', () => {
    const text = readFileSync(join(PROJECT_ROOT, 'docs', 'operations.md'), 'utf8');
    const section = text.slice(text.indexOf('## Security Hub export'));
    const json = /```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const documented = JSON.parse(json) as Record<string, unknown>;
    const member = '210987654321';
    const rendered = toAsff(
      stored('USER_NO_MFA', {
        accountId: member,
        findingId: findingId(member, 'USER_NO_MFA', 'contractor.kim'),
        subject: 'contractor.kim',
        detail: 'NO_MFA_CONSOLE',
        accountAlias: 'acme-prod',
      }),
      CONTEXT,
    );
    expect(validateAsff(documented)).toEqual([]);
    expect(rendered).toMatchObject(documented);
  });
});
