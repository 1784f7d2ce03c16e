import { describe, expect, it } from 'vitest';
import { dueForReimport } from '../../../functions/sweep-worker/reimport';
import type { Finding } from '../../../functions/core/finding-store';
import { useDynalite } from '../../helpers/store';
import {
  FakeMemberAccounts,
  type FakeAccount,
  type FakeMemberOptions,
} from '../../../scripts/simulation/fake-member-accounts';
import { TEST_BUS_ARN, sweepWorker } from '../../helpers/sweep-harness';

// Security Hub deletes a finding 90 days after its last update (AWS Security Hub User Guide, "Finding
// retention" in "Findings in Security Hub": findings are deleted 90 days after the most recent update,
// https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings.html), and ignores an
// import whose UpdatedAt is not after the stored one ("BatchImportFindings for finding providers"). A user
// without MFA for four months would silently vanish from Security Hub while still OPEN in the store: the
// sweep re-imports every open finding whose last import is older than securityHub.reimportAfterDays, with
// a newer UpdatedAt and CreatedAt unchanged.

const A = '111111111111';
const DAY = 86_400_000;
const T0 = new Date('2026-10-05T10:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const HUB_REGION = 'eu-central-1';

const dynamo = useDynalite();

const item = { accountId: A, name: 'account A', coverage: 'stackset' as const };
const alice = { alice: { mfaDevices: 0, console: true } };

async function setup(
  accounts: Record<string, FakeAccount>,
  options: { reimportAfterDays?: number; securityHub?: boolean; fake?: Pick<FakeMemberOptions, 'fail'> } = {},
) {
  let now = T0;
  const aws = new FakeMemberAccounts(accounts, {
    centralBusArn: TEST_BUS_ARN,
    now: () => now,
    ...options.fake,
  });
  const exportFailures: number[] = [];
  const harness = await sweepWorker(dynamo, {
    now: () => now,
    transport: { requestHandler: aws.requestHandler },
    settings: {
      ...(options.securityHub === false ? {} : { securityHub: { region: HUB_REGION } }),
      ...(options.reimportAfterDays === undefined
        ? {}
        : { securityHubReimportAfterDays: options.reimportAfterDays }),
    },
    metrics: {
      findingOpened: () => undefined,
      findingResolved: () => undefined,
      recordExportFailure: (count = 1) => exportFailures.push(count),
    },
  });
  const sweepAt = async (days: number) => {
    now = at(days);
    return harness.sweep({ Items: [item] });
  };
  return { aws, ...harness, sweepAt, exportFailures };
}

describe('sweep worker: long-open findings are re-imported into Security Hub', () => {
  it('re-imports an open finding once its last import is older than 30 days: newer UpdatedAt, same CreatedAt', async () => {
    const { aws, store, sweepAt } = await setup({ [A]: { users: alice } });
    await sweepAt(0);
    expect(aws.imports).toHaveLength(1);
    const [first] = aws.imports;
    expect((await store.listFindings({ accountId: A }))[0]?.lastExported).toBe(at(0).toISOString());

    await sweepAt(10);
    await sweepAt(29);
    expect(aws.imports).toHaveLength(1);

    await sweepAt(31);
    expect(aws.imports).toHaveLength(2);
    const second = aws.imports[1];
    expect(second?.applied).toBe(true);
    expect(second?.callerAccount).toBe(A);
    expect(second?.region).toBe(HUB_REGION);
    expect(second?.finding).toMatchObject({
      Id: first?.finding.Id,
      CreatedAt: first?.finding.CreatedAt,
      RecordState: 'ACTIVE',
      UpdatedAt: at(31).toISOString(),
    });
    expect(Date.parse(String(second?.finding.UpdatedAt))).toBeGreaterThan(
      Date.parse(String(first?.finding.UpdatedAt)),
    );
    expect((await store.listFindings({ accountId: A }))[0]?.lastExported).toBe(at(31).toISOString());

    // Kept alive for as long as it stays open: never 90 days without an update.
    await sweepAt(45);
    await sweepAt(62);
    expect(aws.imports).toHaveLength(3);
    expect(aws.imports.every((i) => i.applied)).toBe(true);
  });

  it('takes the age from securityHub.reimportAfterDays', async () => {
    const { aws, sweepAt } = await setup({ [A]: { users: alice } }, { reimportAfterDays: 5 });
    await sweepAt(0);
    await sweepAt(4);
    expect(aws.imports).toHaveLength(1);
    await sweepAt(6);
    expect(aws.imports).toHaveLength(2);
  });

  it('re-imports an open finding that was never recorded as imported (opened before this version)', async () => {
    const { aws, store, sweepAt } = await setup({ [A]: { users: alice } });
    await store.observeProblem({
      accountId: A,
      kind: 'USER_NO_MFA',
      userName: 'alice',
      severity: 'HIGH',
      detail: 'NO_MFA_CONSOLE',
      source: 'event',
      now: at(-100),
    });
    await store.markNotified({ accountId: A, kind: 'USER_NO_MFA', userName: 'alice', now: at(-100) });
    await sweepAt(0);
    expect(aws.imports).toHaveLength(1);
    expect(aws.imports[0]?.finding).toMatchObject({
      CreatedAt: at(-100).toISOString(),
      UpdatedAt: at(0).toISOString(),
    });
  });

  it('a re-import Security Hub refuses is counted and tried again at the next sweep', async () => {
    let refuse = false;
    const { aws, store, sweepAt, exportFailures } = await setup(
      { [A]: { users: alice } },
      {
        fake: {
          fail: (call) =>
            refuse && call.service === 'securityhub' ? { status: 500, code: 'InternalException' } : undefined,
        },
      },
    );
    await sweepAt(0);
    refuse = true;
    await sweepAt(31);
    expect(exportFailures).toEqual([1]);
    expect((await store.listFindings({ accountId: A }))[0]?.lastExported).toBe(at(0).toISOString());
    refuse = false;
    await sweepAt(32);
    expect(aws.imports.filter((i) => i.applied)).toHaveLength(2);
  });

  it('does nothing with the export off', async () => {
    const { aws, sweepAt } = await setup({ [A]: { users: alice } }, { securityHub: false });
    await sweepAt(0);
    await sweepAt(40);
    expect(aws.imports).toHaveLength(0);
  });
});

describe('dueForReimport (pure)', () => {
  const finding = (overrides: Partial<Finding>): Finding => ({
    findingId: 'f-00000000000000000001',
    accountId: A,
    kind: 'USER_NO_MFA',
    subject: 'alice',
    state: 'OPEN',
    severity: 'HIGH',
    source: 'sweep',
    firstSeen: at(-60).toISOString(),
    openedAt: at(-60).toISOString(),
    lastSeen: at(0).toISOString(),
    reopenCount: 0,
    previousNames: [],
    version: 1,
    ...overrides,
  });
  it.each([
    ['imported 31 days ago', { lastExported: at(-31).toISOString() }, true],
    ['imported exactly 30 days ago', { lastExported: at(-30).toISOString() }, true],
    ['imported 29 days ago', { lastExported: at(-29).toISOString() }, false],
    ['never recorded', {}, true],
    ['resolved', { state: 'RESOLVED' as const, lastExported: at(-60).toISOString() }, false],
    [
      'ACCOUNT_NOT_COVERED (cannot be imported from its account)',
      { kind: 'ACCOUNT_NOT_COVERED' as const, subject: 'account' },
      false,
    ],
  ])('%s: %s', (_name, overrides, due) => {
    expect(dueForReimport([finding(overrides)], at(0), 30).length === 1).toBe(due);
  });
});
