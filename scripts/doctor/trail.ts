import {
  type AdvancedFieldSelector,
  type CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type GetEventSelectorsCommandOutput,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { MEMBER_REGION } from '../../stacks/names';
import { callFailed, type CheckRow, notPass, pass } from './report';

/**
 * The real-time path hears of an IAM call only if a trail logs it: EventBridge receives "AWS API Call
 * via CloudTrail" events only while a trail is logging management events (Amazon EventBridge User
 * Guide, "Events from AWS services delivered via AWS CloudTrail"), and IAM's arrive in us-east-1 only.
 * The watched calls are write calls; read events matter to rules in the
 * ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS state ("Receiving read-only management events from AWS
 * services"), so a trail without them is a warning, not a failure.
 */

/** Which management events (of IAM, in us-east-1) a trail's selectors log. */
export interface ManagementCoverage {
  readonly read: boolean;
  readonly write: boolean;
}

/** A concrete event the selectors are evaluated against: field name -> value. */
type SampleEvent = Readonly<Record<string, string>>;

const WRITE_EVENT: SampleEvent = {
  eventCategory: 'Management',
  readOnly: 'false',
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateUser',
};
const READ_EVENT: SampleEvent = {
  eventCategory: 'Management',
  readOnly: 'true',
  eventSource: 'iam.amazonaws.com',
  eventName: 'ListMFADevices',
};

/**
 * True when one advanced field selector lets `event` through. Every operator given must hold (AWS
 * CloudTrail User Guide, "Filtering management events with advanced event selectors"). A field the
 * sample event does not know (e.g. `userIdentity.arn`) is taken as not matching: the selector then logs
 * only some callers' events, which the real-time path cannot rely on.
 */
function fieldMatches(field: AdvancedFieldSelector, event: SampleEvent): boolean {
  const value = field.Field === undefined ? undefined : event[field.Field];
  if (value === undefined) return false;
  const any = (values: string[] | undefined, test: (v: string) => boolean) =>
    values === undefined || values.some(test);
  const none = (values: string[] | undefined, test: (v: string) => boolean) =>
    values === undefined || !values.some(test);
  return (
    any(field.Equals, (v) => v === value) &&
    any(field.StartsWith, (v) => value.startsWith(v)) &&
    any(field.EndsWith, (v) => value.endsWith(v)) &&
    none(field.NotEquals, (v) => v === value) &&
    none(field.NotStartsWith, (v) => value.startsWith(v)) &&
    none(field.NotEndsWith, (v) => value.endsWith(v))
  );
}

function logs(selectors: GetEventSelectorsCommandOutput, event: SampleEvent): boolean {
  // A trail has either classic or advanced selectors, never both.
  const classic = (selectors.EventSelectors ?? []).some((s) => {
    const type = s.ReadWriteType ?? 'All';
    const readOnly = event.readOnly === 'true';
    return (
      s.IncludeManagementEvents !== false &&
      (type === 'All' || (type === 'ReadOnly') === readOnly) &&
      !(s.ExcludeManagementEventSources ?? []).includes(event.eventSource ?? '')
    );
  });
  const advanced = (selectors.AdvancedEventSelectors ?? []).some((s) =>
    (s.FieldSelectors ?? []).every((f) => fieldMatches(f, event)),
  );
  return classic || advanced;
}

/** Which of IAM's read and write management events the selectors (classic or advanced) log. Pure. */
export function managementEventCoverage(selectors: GetEventSelectorsCommandOutput): ManagementCoverage {
  return { read: logs(selectors, READ_EVENT), write: logs(selectors, WRITE_EVENT) };
}

const NAME = 'organization trail';
const CREATE_FIX =
  'in the management account, create a multi-region organization trail that logs read and write management events: aws cloudtrail create-trail --name org-trail --s3-bucket-name <bucket> --is-organization-trail --is-multi-region-trail, then aws cloudtrail start-logging --name org-trail';

/** What one organization trail covering us-east-1 does; `undefined` coverage when it is not logging. */
interface TrailFinding {
  readonly id: string;
  readonly coverage?: ManagementCoverage;
}

function judge(findings: readonly TrailFinding[]): CheckRow {
  const full = findings.find((f) => f.coverage?.read === true && f.coverage.write);
  if (full !== undefined) {
    return pass(NAME, `${full.id} logs read and write management events in ${MEMBER_REGION}`);
  }
  const writeOnly = findings.find((f) => f.coverage?.write === true);
  if (writeOnly !== undefined) {
    return notPass(
      NAME,
      'WARN',
      `${writeOnly.id} logs write management events only: the real-time path works, read-only management events are not logged`,
      `log read and write management events: aws cloudtrail put-event-selectors --trail-name ${writeOnly.id} with ReadWriteType All (keep your data event selectors), or add a readOnly selector to its advanced selectors`,
    );
  }
  const problems = findings.map((f) =>
    f.coverage === undefined
      ? `${f.id} is not logging`
      : `${f.id} does not log write management events of IAM (its selectors exclude them)`,
  );
  const stopped = findings.find((f) => f.coverage === undefined);
  return notPass(
    NAME,
    'FAIL',
    `${problems.join('; ')}: EventBridge gets no IAM events from it`,
    stopped !== undefined
      ? `aws cloudtrail start-logging --name ${stopped.id} (in the management account), and make it log read and write management events`
      : 'make the trail log management events, read and write (classic selector ReadWriteType All with IncludeManagementEvents, or an advanced selector eventCategory = Management without excluding iam.amazonaws.com)',
  );
}

function regionProblem(trails: readonly Trail[]): CheckRow {
  const organizationTrails = trails.filter((t) => t.IsOrganizationTrail === true);
  if (organizationTrails.length === 0) {
    const detail =
      trails.length === 0
        ? `no trail at all, so no organization trail covers ${MEMBER_REGION}: EventBridge gets no IAM events`
        : `no organization trail covers ${MEMBER_REGION} (only account trails: ${trails.map((t) => t.Name ?? t.TrailARN).join(', ')}); member accounts would need a trail each`;
    return notPass(NAME, 'FAIL', detail, CREATE_FIX);
  }
  const elsewhere = organizationTrails.map((t) => `${t.TrailARN ?? t.Name} (${t.HomeRegion ?? '?'} only)`);
  return notPass(
    NAME,
    'FAIL',
    `no organization trail covers ${MEMBER_REGION}, where IAM's events arrive: ${elsewhere.join(', ')}`,
    `make one multi-region: aws cloudtrail update-trail --name <trail ARN> --is-multi-region-trail (in its home region), or ${CREATE_FIX}`,
  );
}

/**
 * 4. An organization trail that covers us-east-1 (multi-region, or homed there), is logging, and logs
 * read and write management events (classic or advanced selectors). Write only: WARN. Read with the
 * us-east-1 client, shadow trails included (a multi-region trail homed elsewhere shows there).
 */
export async function checkOrganizationTrail(ct: CloudTrailClient): Promise<CheckRow> {
  let trails: Trail[];
  try {
    trails = (await ct.send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList ?? [];
  } catch (err) {
    return callFailed(NAME, 'cloudtrail:DescribeTrails', err);
  }
  const covering = trails.filter(
    (t) =>
      t.IsOrganizationTrail === true && (t.IsMultiRegionTrail === true || t.HomeRegion === MEMBER_REGION),
  );
  if (covering.length === 0) return regionProblem(trails);
  const findings: TrailFinding[] = [];
  for (const trail of covering) {
    const id = trail.TrailARN ?? trail.Name ?? '(unnamed)';
    try {
      const status = await ct.send(new GetTrailStatusCommand({ Name: id }));
      if (status.IsLogging !== true) {
        findings.push({ id });
        continue;
      }
    } catch (err) {
      return callFailed(NAME, 'cloudtrail:GetTrailStatus', err);
    }
    try {
      const selectors = await ct.send(new GetEventSelectorsCommand({ TrailName: id }));
      findings.push({ id, coverage: managementEventCoverage(selectors) });
    } catch (err) {
      return callFailed(NAME, 'cloudtrail:GetEventSelectors', err);
    }
  }
  return judge(findings);
}
