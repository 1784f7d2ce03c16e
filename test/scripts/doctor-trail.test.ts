import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  type GetEventSelectorsCommandOutput,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkOrganizationTrail, managementEventCoverage } from '../../scripts/doctor/trail';
import type { CheckRow } from '../../scripts/doctor/report';

// The real-time path depends on a trail: EventBridge receives "AWS API Call via CloudTrail" events only
// while a trail logs management events (Amazon EventBridge User Guide, "Events from AWS services",
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events.html), and IAM's events arrive in
// us-east-1 only. Advanced selectors log an event when every field selector of one selector matches it
// (AWS CloudTrail User Guide, "Filtering management events with advanced event selectors",
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html).

const ct = new CloudTrailClient({});
const ctMock = mockClient(ct);
const TRAIL = 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/org';
const ORG_TRAIL = {
  TrailARN: TRAIL,
  Name: 'org',
  IsOrganizationTrail: true,
  IsMultiRegionTrail: true,
  HomeRegion: 'eu-west-1',
};
const ALL: GetEventSelectorsCommandOutput = {
  $metadata: {},
  EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
};
const denied = () =>
  Object.assign(new Error('User: arn:aws:iam::111111111111:user/op is not authorized to perform this'), {
    name: 'AccessDeniedException',
  });

function expectRow(row: CheckRow, status: CheckRow['status'], detail: string, fix?: string) {
  expect(row.status).toBe(status);
  expect(row.detail).toContain(detail);
  if (fix !== undefined) expect(row.fix).toContain(fix);
}

const happy = (selectors: Omit<GetEventSelectorsCommandOutput, '$metadata'> = ALL) => {
  ctMock.on(DescribeTrailsCommand).resolves({ trailList: [ORG_TRAIL] });
  ctMock.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  ctMock.on(GetEventSelectorsCommand).resolves(selectors);
};

beforeEach(() => ctMock.reset());

describe('doctor: the organization trail the real-time path depends on', () => {
  it('passes for a logging multi-region organization trail logging read and write management events', async () => {
    happy();
    expectRow(await checkOrganizationTrail(ct), 'PASS', 'read and write');
    expect(ctMock).toHaveReceivedCommandWith(DescribeTrailsCommand, { includeShadowTrails: true });
    expect(ctMock).toHaveReceivedCommandWith(GetTrailStatusCommand, { Name: TRAIL });
    expect(ctMock).toHaveReceivedCommandWith(GetEventSelectorsCommand, { TrailName: TRAIL });
  });

  it('passes with advanced selectors on all management events', async () => {
    happy({
      AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
    });
    expectRow(await checkOrganizationTrail(ct), 'PASS', 'read and write');
  });

  it('passes with advanced selectors that exclude only KMS events', async () => {
    happy({
      AdvancedEventSelectors: [
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] },
          ],
        },
      ],
    });
    expect((await checkOrganizationTrail(ct)).status).toBe('PASS');
  });

  it('fails with no trail at all, saying how to create one', async () => {
    ctMock.on(DescribeTrailsCommand).resolves({ trailList: [] });
    expectRow(
      await checkOrganizationTrail(ct),
      'FAIL',
      'no organization trail covers us-east-1',
      '--is-organization-trail',
    );
  });

  it('fails when only account trails exist (not an organization trail)', async () => {
    happy();
    ctMock
      .on(DescribeTrailsCommand)
      .resolves({ trailList: [{ ...ORG_TRAIL, IsOrganizationTrail: false, Name: 'mine' }] });
    expectRow(await checkOrganizationTrail(ct), 'FAIL', 'only account trails: mine', 'create-trail');
  });

  it('fails when the organization trail logs another region only (wrong region)', async () => {
    happy();
    ctMock.on(DescribeTrailsCommand).resolves({ trailList: [{ ...ORG_TRAIL, IsMultiRegionTrail: false }] });
    expectRow(await checkOrganizationTrail(ct), 'FAIL', 'eu-west-1 only', '--is-multi-region-trail');
  });

  it('accepts a single-region organization trail homed in us-east-1', async () => {
    happy();
    ctMock
      .on(DescribeTrailsCommand)
      .resolves({ trailList: [{ ...ORG_TRAIL, IsMultiRegionTrail: false, HomeRegion: 'us-east-1' }] });
    expect((await checkOrganizationTrail(ct)).status).toBe('PASS');
  });

  it('fails when the trail is not logging, saying how to start it', async () => {
    happy();
    ctMock.on(GetTrailStatusCommand).resolves({ IsLogging: false });
    expectRow(await checkOrganizationTrail(ct), 'FAIL', 'not logging', `start-logging --name ${TRAIL}`);
    expect(ctMock).not.toHaveReceivedCommand(GetEventSelectorsCommand);
  });

  it('warns when the trail logs write management events only (the real-time path works; read events are not logged)', async () => {
    happy({ EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'WriteOnly' }] });
    expectRow(await checkOrganizationTrail(ct), 'WARN', 'write management events only', 'ReadWriteType All');
  });

  it('warns for advanced selectors limited to write events', async () => {
    happy({
      AdvancedEventSelectors: [
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'readOnly', Equals: ['false'] },
          ],
        },
      ],
    });
    expect((await checkOrganizationTrail(ct)).status).toBe('WARN');
  });

  it.each<[string, Omit<GetEventSelectorsCommandOutput, '$metadata'>]>([
    [
      'read-only classic selectors',
      { EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'ReadOnly' }] },
    ],
    ['classic selectors without management events', { EventSelectors: [{ IncludeManagementEvents: false }] }],
    [
      'advanced selectors on data events only',
      {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            ],
          },
        ],
      },
    ],
    [
      'advanced selectors excluding management events',
      {
        AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', NotEquals: ['Management'] }] }],
      },
    ],
    [
      'advanced selectors that exclude IAM',
      {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'eventSource', NotEquals: ['iam.amazonaws.com'] },
            ],
          },
        ],
      },
    ],
    [
      'read-only advanced selectors',
      {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'readOnly', Equals: ['true'] },
            ],
          },
        ],
      },
    ],
    [
      'advanced selectors limited to some callers',
      {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'userIdentity.arn', StartsWith: ['arn:aws:iam::111111111111:role/admin'] },
            ],
          },
        ],
      },
    ],
  ])('fails with %s', async (_name, selectors) => {
    happy(selectors);
    expectRow(
      await checkOrganizationTrail(ct),
      'FAIL',
      'does not log write management events',
      'read and write',
    );
  });

  it('passes when one of several organization trails is complete', async () => {
    happy();
    const other = { ...ORG_TRAIL, TrailARN: `${TRAIL}-2` };
    ctMock.on(DescribeTrailsCommand).resolves({ trailList: [other, ORG_TRAIL] });
    ctMock.on(GetTrailStatusCommand, { Name: `${TRAIL}-2` }).resolves({ IsLogging: false });
    expectRow(await checkOrganizationTrail(ct), 'PASS', TRAIL);
  });

  it.each([
    ['cloudtrail:DescribeTrails', () => ctMock.on(DescribeTrailsCommand).rejects(denied())],
    ['cloudtrail:GetTrailStatus', () => ctMock.on(GetTrailStatusCommand).rejects(denied())],
    ['cloudtrail:GetEventSelectors', () => ctMock.on(GetEventSelectorsCommand).rejects(denied())],
  ])('reports access denied naming %s', async (permission, deny) => {
    happy();
    deny();
    expectRow(await checkOrganizationTrail(ct), 'FAIL', `missing permission ${permission}`, permission);
  });
});

describe('managementEventCoverage (pure)', () => {
  it.each<[string, Omit<GetEventSelectorsCommandOutput, '$metadata'>, { read: boolean; write: boolean }]>([
    ['no selectors', {}, { read: false, write: false }],
    ['classic, defaults', { EventSelectors: [{}] }, { read: true, write: true }],
    [
      'classic WriteOnly + ReadOnly',
      { EventSelectors: [{ ReadWriteType: 'WriteOnly' }, { ReadWriteType: 'ReadOnly' }] },
      { read: true, write: true },
    ],
    [
      'classic excluding IAM',
      { EventSelectors: [{ ExcludeManagementEventSources: ['iam.amazonaws.com'] }] },
      { read: false, write: false },
    ],
    [
      'advanced, reads and writes in two selectors',
      {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'readOnly', Equals: ['true'] },
            ],
          },
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'readOnly', Equals: ['false'] },
            ],
          },
        ],
      },
      { read: true, write: true },
    ],
    [
      'advanced, IAM events by prefix',
      {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'eventSource', StartsWith: ['iam.'] },
            ],
          },
        ],
      },
      { read: true, write: true },
    ],
  ])('%s', (_name, selectors, coverage) => {
    expect(managementEventCoverage({ $metadata: {}, ...selectors })).toEqual(coverage);
  });
});
