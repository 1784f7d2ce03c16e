/**
 * A stored finding as an AWS Security Finding Format (ASFF) finding: the mapping of the store's fields to
 * Security Hub's. What Security Hub accepts, and the check of a finding against it, is asff-rules.ts.
 * Shared by the checker and the sweep worker. Pure: no clock, no I/O.
 */
import type { AwsSecurityFinding, Partition } from '@aws-sdk/client-securityhub';
import type { AlertLocale } from '../contract/contract';
import { laterOf, quarantineFacts, quarantineProductFields } from './asff-quarantine';
import { ASFF_LIMITS, ASFF_SCHEMA_VERSION } from './asff-rules';
import type { Finding as StoredFinding } from './finding-store';
import { REMEDIATION_URLS, findingText, type TextTopic } from './finding-texts';

/** What every org-mfa-watch finding is: a missing best-practice configuration (namespace/category). */
export const ASFF_FINDING_TYPES = ['Software and Configuration Checks/AWS Security Best Practices'] as const;

/** `ProductName` of the imported findings (a custom integration may set it). */
export const ASFF_PRODUCT_NAME = 'org-mfa-watch';

/** Where and how a finding is rendered. */
export interface AsffContext {
  /** Partition of the member account (`aws`...). */
  readonly partition: string;
  /** Region the finding is imported to (the home region). */
  readonly region: string;
  /** Language of Title, Description and Remediation (the alert locale). */
  readonly locale: AlertLocale;
  /** The user's IAM path, when known, for its ARN. @default '/' */
  readonly userPath?: string;
  /**
   * `UpdatedAt` of a re-import (the sweep's time): newer than every earlier import, so Security Hub
   * applies it and keeps the finding another 90 days. @default the time of the state (below)
   */
  readonly updatedAt?: string;
}

/** `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`: the account's own product. */
export function defaultProductArn(partition: string, region: string, accountId: string): string {
  return `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/**
 * The Security Hub finding id: one per (account, subject, kind), from the store's finding id, which is
 * derived once and kept across renames and reopenings, so every import of a finding updates the same one.
 */
export function asffId(finding: Pick<StoredFinding, 'accountId' | 'findingId'>): string {
  return `org-mfa-watch/${finding.accountId}/${finding.findingId}`;
}

/** The text topic of a stored finding: its alert detail when it has one, else its kind and severity. */
function topicOf(finding: StoredFinding): TextTopic {
  switch (finding.kind) {
    case 'USER_NO_MFA':
      return finding.detail === 'NO_MFA_CONSOLE' || finding.detail === 'NO_MFA_NO_CONSOLE'
        ? finding.detail
        : finding.severity === 'MEDIUM'
          ? 'NO_MFA_NO_CONSOLE'
          : 'NO_MFA_CONSOLE';
    case 'ROOT_NO_MFA':
      return finding.detail === 'ROOT_MFA_REMOVED' || finding.detail === 'ROOT_PASSWORD_CREATED'
        ? finding.detail
        : 'ROOT_NO_MFA';
    case 'ACCOUNT_NOT_COVERED':
    case 'FORWARDING_BROKEN':
    case 'ROLLOUT_FAILED':
    case 'REALTIME_PATH_BROKEN':
      return finding.kind;
  }
}

/** `text` cut to `max` characters (code points), ending in an ellipsis when cut. */
function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function descriptionOf(finding: StoredFinding, headline: string, ko: boolean): string {
  const facts = ko
    ? [
        `발견 항목 ID: ${finding.findingId}`,
        `심각도: ${finding.severity}`,
        `발견 경로: ${finding.source === 'event' ? 'IAM 이벤트' : '일일 점검'}`,
        `최초 발견: ${finding.firstSeen}`,
        `현재 열린 시각: ${finding.openedAt}`,
        ...(finding.state === 'RESOLVED'
          ? [`해결: ${finding.resolvedAt ?? '?'} (${finding.resolution ?? '?'})`]
          : []),
        ...(finding.previousNames.length > 0 ? [`이전 이름: ${finding.previousNames.join(', ')}`] : []),
        ...quarantineFacts(finding.quarantine, true),
      ]
    : [
        `Finding id: ${finding.findingId}`,
        `Severity: ${finding.severity}`,
        `Detected by: ${finding.source === 'event' ? 'an IAM event' : 'the daily sweep'}`,
        `First seen: ${finding.firstSeen}`,
        `Open since: ${finding.openedAt}`,
        ...(finding.state === 'RESOLVED'
          ? [`Resolved: ${finding.resolvedAt ?? '?'} (${finding.resolution ?? '?'})`]
          : []),
        ...(finding.previousNames.length > 0
          ? [`Previously named: ${finding.previousNames.join(', ')}`]
          : []),
        ...quarantineFacts(finding.quarantine, false),
      ];
  return clip([headline, ...facts].join('\n'), ASFF_LIMITS.description);
}

/**
 * The stored finding as one ASFF finding for `BatchImportFindings` with the account's default product.
 * OPEN is `RecordState` ACTIVE, RESOLVED is ARCHIVED. `UpdatedAt` is the store's own time of the state
 * (last observation, or resolution), so a later transition always carries a later `UpdatedAt`: Security
 * Hub ignores an update whose `UpdatedAt` is not after the stored one (User Guide, "BatchImportFindings
 * for finding providers"), which makes repeated imports of one state harmless and keeps the order of the
 * store. Severity and Types are set through `FindingProviderFields` (the provider's fields, which a
 * customer's BatchUpdateFindings cannot overwrite) and at top level (required attributes); `Workflow` is
 * never written: it belongs to the security team.
 */
export function toAsff(finding: StoredFinding, context: AsffContext): AwsSecurityFinding {
  const topic = topicOf(finding);
  const text = findingText(
    topic,
    context.locale,
    '',
    finding.kind === 'USER_NO_MFA' ? finding.subject : undefined,
  );
  const ko = context.locale === 'ko';
  const account =
    finding.accountAlias === undefined ? finding.accountId : `${finding.accountId} (${finding.accountAlias})`;
  const isUser = finding.kind === 'USER_NO_MFA';
  const who = isUser ? `"${finding.subject}"` : 'root';
  const headline = text.headline(who, account);
  const partition = context.partition as Partition;
  const path = context.userPath ?? '/';
  const resource: NonNullable<AwsSecurityFinding['Resources']>[number] = isUser
    ? {
        Type: 'AwsIamUser',
        Id: `arn:${context.partition}:iam::${finding.accountId}:user${path}${finding.subject}`,
        Partition: partition,
        Region: context.region,
        Details: { AwsIamUser: { UserName: finding.subject, Path: path } },
      }
    : {
        Type: 'AwsAccount',
        Id: `AWS::::Account:${finding.accountId}`,
        Partition: partition,
        Region: context.region,
      };
  const steps = text.todo.map((step, i) => `${i + 1}. ${step}`).join(' ');
  const stateAt = finding.state === 'RESOLVED' ? (finding.resolvedAt ?? finding.lastSeen) : finding.lastSeen;
  // A quarantine attach or detach is a change of the finding too: its time, when later, is UpdatedAt.
  const updatedAt = context.updatedAt ?? laterOf(stateAt, finding.quarantine?.log.at(-1)?.at);
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: asffId(finding),
    ProductArn: defaultProductArn(context.partition, context.region, finding.accountId),
    ProductName: ASFF_PRODUCT_NAME,
    GeneratorId: `org-mfa-watch/${finding.kind}`,
    AwsAccountId: finding.accountId,
    Types: [...ASFF_FINDING_TYPES],
    CreatedAt: finding.firstSeen,
    FirstObservedAt: finding.firstSeen,
    LastObservedAt: finding.lastSeen,
    UpdatedAt: updatedAt,
    Severity: { Label: finding.severity },
    FindingProviderFields: {
      Severity: { Label: finding.severity, Original: finding.severity },
      Types: [...ASFF_FINDING_TYPES],
    },
    Title: clip(headline, ASFF_LIMITS.title),
    Description: descriptionOf(finding, headline, ko),
    Remediation: {
      Recommendation: { Text: clip(steps, ASFF_LIMITS.recommendationText), Url: REMEDIATION_URLS[topic] },
    },
    ProductFields: {
      'org-mfa-watch/FindingId': finding.findingId,
      'org-mfa-watch/Kind': finding.kind,
      'org-mfa-watch/Finding': topic,
      'org-mfa-watch/Source': finding.source,
      ...(finding.resolution === undefined ? {} : { 'org-mfa-watch/Resolution': finding.resolution }),
      ...quarantineProductFields(finding.quarantine),
    },
    Resources: [resource],
    RecordState: finding.state === 'OPEN' ? 'ACTIVE' : 'ARCHIVED',
  };
}
