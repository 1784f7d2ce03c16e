/**
 * A stored finding as an AWS Security Finding Format (ASFF) finding, and the check of the rules Security
 * Hub applies to it. Shared by the checker and the sweep worker. Pure: no clock, no I/O.
 */
import type { AwsSecurityFinding, Partition } from '@aws-sdk/client-securityhub';
import type { AlertLocale } from '../contract/contract';
import type { Finding as StoredFinding } from './finding-store';
import { REMEDIATION_URLS, findingText, type TextTopic } from './finding-texts';

/** The only ASFF schema version (AWS Security Hub User Guide, "SchemaVersion"). */
export const ASFF_SCHEMA_VERSION = '2018-10-08';

/**
 * Top-level attributes every finding must have: AWS Security Hub User Guide, "Required top-level ASFF
 * attributes" (https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html).
 */
export const ASFF_REQUIRED_FIELDS = [
  'AwsAccountId',
  'CreatedAt',
  'Description',
  'GeneratorId',
  'Id',
  'ProductArn',
  'Resources',
  'SchemaVersion',
  'Severity',
  'Title',
  'Types',
  'UpdatedAt',
] as const;

/**
 * Documented limits (AWS Security Hub API Reference, `AwsSecurityFinding`, `Resource`, `Recommendation`,
 * `FindingProviderSeverity`; User Guide, "BatchImportFindings for finding providers").
 */
export const ASFF_LIMITS = {
  id: 512,
  generatorId: 512,
  productArn: 2048,
  productName: 128,
  title: 256,
  description: 1024,
  types: 50,
  resources: 32,
  resourceType: 256,
  resourceRegion: 16,
  recommendationText: 512,
  severityOriginal: 64,
  productFields: 50,
  productFieldKey: 128,
  productFieldValue: 2048,
  /** Bytes of one finding. */
  findingBytes: 240 * 1024,
  /** Findings per BatchImportFindings request. */
  findingsPerRequest: 100,
} as const;

/** Valid `Types` namespaces (API Reference, `AwsSecurityFinding.Types`). */
const TYPE_NAMESPACES = [
  'Software and Configuration Checks',
  'TTPs',
  'Effects',
  'Unusual Behaviors',
  'Sensitive Data Identifications',
];

/** What every org-mfa-watch finding is: a missing best-practice configuration (namespace/category). */
export const ASFF_FINDING_TYPES = ['Software and Configuration Checks/AWS Security Best Practices'] as const;

/** `ProductName` of the imported findings (a custom integration may set it). */
export const ASFF_PRODUCT_NAME = 'org-mfa-watch';

const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
// RFC 3339 date-time, the form Security Hub accepts for timestamps (API Reference, "Timestamps").
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const DEFAULT_PRODUCT_ARN = /^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:(\d{12}):product\/(\d{12})\/default$/;

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
  const updatedAt =
    context.updatedAt ??
    (finding.state === 'RESOLVED' ? (finding.resolvedAt ?? finding.lastSeen) : finding.lastSeen);
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
    },
    Resources: [resource],
    RecordState: finding.state === 'OPEN' ? 'ACTIVE' : 'ARCHIVED',
  };
}

/** A problem of an ASFF finding: the attribute path and what is wrong with it. */
export interface AsffProblem {
  readonly field: string;
  readonly problem: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const length = (v: unknown): number => (typeof v === 'string' ? Array.from(v).length : 0);

/**
 * Check a finding against the required attributes and the documented limits, the default product's
 * ownership rule (the caller's account is the finding's account and the product's), and the provider's
 * boundaries (no `Workflow`). Pure; returns every problem (empty when the finding is valid).
 */
export function validateAsff(finding: unknown): AsffProblem[] {
  if (!isObject(finding)) return [{ field: '(finding)', problem: 'expected an object' }];
  const problems: AsffProblem[] = [];
  const add = (field: string, problem: string): void => {
    problems.push({ field, problem });
  };
  const f = finding;

  for (const field of ASFF_REQUIRED_FIELDS) {
    const value = f[field];
    const empty =
      value === undefined ||
      value === null ||
      (typeof value === 'string' && value.trim() === '') ||
      (Array.isArray(value) && value.length === 0) ||
      (isObject(value) && Object.keys(value).length === 0);
    if (empty) add(field, 'required (AWS Security Hub User Guide, "Required top-level ASFF attributes")');
  }
  const maxLength = (field: string, max: number, min = 1) => {
    const value = f[field];
    if (value === undefined) return;
    if (typeof value !== 'string') add(field, 'expected a string');
    else if (length(value) < min || length(value) > max) add(field, `expected ${min}-${max} characters`);
  };
  maxLength('Id', ASFF_LIMITS.id);
  maxLength('GeneratorId', ASFF_LIMITS.generatorId);
  maxLength('ProductArn', ASFF_LIMITS.productArn, 12);
  maxLength('ProductName', ASFF_LIMITS.productName);
  maxLength('Title', ASFF_LIMITS.title);
  maxLength('Description', ASFF_LIMITS.description);

  if (f.SchemaVersion !== undefined && f.SchemaVersion !== ASFF_SCHEMA_VERSION) {
    add('SchemaVersion', `expected "${ASFF_SCHEMA_VERSION}"`);
  }
  if (
    f.AwsAccountId !== undefined &&
    (typeof f.AwsAccountId !== 'string' || !/^\d{12}$/.test(f.AwsAccountId))
  ) {
    add('AwsAccountId', 'expected a 12-digit account id');
  }
  if (typeof f.ProductArn === 'string') {
    const owner = DEFAULT_PRODUCT_ARN.exec(f.ProductArn);
    if (!owner)
      add(
        'ProductArn',
        'expected the default product arn:<partition>:securityhub:<region>:<account>:product/<account>/default',
      );
    else if (owner[1] !== f.AwsAccountId || owner[2] !== f.AwsAccountId) {
      // BatchImportFindings with the default product: the caller must be the finding's account.
      add('ProductArn', "expected the default product of the finding's own account (AwsAccountId)");
    }
  }

  for (const field of ['CreatedAt', 'UpdatedAt', 'FirstObservedAt', 'LastObservedAt']) {
    const value = f[field];
    if (value !== undefined && (typeof value !== 'string' || !TIMESTAMP.test(value))) {
      add(field, 'expected an RFC 3339 timestamp such as 2026-10-05T10:00:00.000Z');
    }
  }
  if (
    typeof f.CreatedAt === 'string' &&
    typeof f.UpdatedAt === 'string' &&
    Date.parse(f.UpdatedAt) < Date.parse(f.CreatedAt)
  ) {
    add('UpdatedAt', 'expected no earlier than CreatedAt');
  }

  const checkTypes = (field: string, types: unknown) => {
    if (types === undefined) return;
    if (!Array.isArray(types)) {
      add(field, 'expected a list');
      return;
    }
    if (types.length > ASFF_LIMITS.types) add(field, `expected at most ${ASFF_LIMITS.types} types`);
    types.forEach((type, i) => {
      const parts = typeof type === 'string' ? type.split('/') : [];
      if (parts.length < 2 || parts.length > 3 || !TYPE_NAMESPACES.includes(parts[0] ?? '')) {
        add(`${field}[${i}]`, 'expected namespace/category[/classifier] with a valid namespace');
      }
    });
  };
  checkTypes('Types', f.Types);

  const checkSeverity = (field: string, severity: unknown) => {
    if (severity === undefined) return;
    if (!isObject(severity) || !SEVERITY_LABELS.includes(String(severity.Label))) {
      add(`${field}.Label`, `expected one of ${SEVERITY_LABELS.join(', ')}`);
    } else if (severity.Original !== undefined && length(severity.Original) > ASFF_LIMITS.severityOriginal) {
      add(`${field}.Original`, `expected at most ${ASFF_LIMITS.severityOriginal} characters`);
    }
  };
  checkSeverity('Severity', f.Severity);
  if (f.FindingProviderFields !== undefined) {
    const provider = f.FindingProviderFields;
    if (!isObject(provider)) add('FindingProviderFields', 'expected an object');
    else {
      checkSeverity('FindingProviderFields.Severity', provider.Severity);
      checkTypes('FindingProviderFields.Types', provider.Types);
    }
  }

  if (Array.isArray(f.Resources)) {
    if (f.Resources.length > ASFF_LIMITS.resources)
      add('Resources', `expected at most ${ASFF_LIMITS.resources}`);
    f.Resources.forEach((resource: unknown, i) => {
      const at = `Resources[${i}]`;
      if (!isObject(resource)) {
        add(at, 'expected an object');
        return;
      }
      if (length(resource.Type) < 1 || length(resource.Type) > ASFF_LIMITS.resourceType) {
        add(`${at}.Type`, `expected 1-${ASFF_LIMITS.resourceType} characters`);
      }
      if (length(resource.Id) < 1) add(`${at}.Id`, 'required');
      if (resource.Region !== undefined && length(resource.Region) > ASFF_LIMITS.resourceRegion) {
        add(`${at}.Region`, `expected at most ${ASFF_LIMITS.resourceRegion} characters`);
      }
    });
  } else if (f.Resources !== undefined) add('Resources', 'expected a list');

  const recommendation = isObject(f.Remediation) ? f.Remediation.Recommendation : undefined;
  if (isObject(recommendation) && length(recommendation.Text) > ASFF_LIMITS.recommendationText) {
    add('Remediation.Recommendation.Text', `expected at most ${ASFF_LIMITS.recommendationText} characters`);
  }
  if (f.ProductFields !== undefined) {
    if (!isObject(f.ProductFields)) add('ProductFields', 'expected a map');
    else {
      const entries = Object.entries(f.ProductFields);
      if (entries.length > ASFF_LIMITS.productFields)
        add('ProductFields', `expected at most ${ASFF_LIMITS.productFields} pairs`);
      for (const [key, value] of entries) {
        if (
          length(key) > ASFF_LIMITS.productFieldKey ||
          typeof value !== 'string' ||
          length(value) > ASFF_LIMITS.productFieldValue
        ) {
          add(
            `ProductFields.${key}`,
            `expected a key of at most ${ASFF_LIMITS.productFieldKey} and a value of at most ${ASFF_LIMITS.productFieldValue} characters`,
          );
        }
      }
    }
  }
  if (f.RecordState !== undefined && f.RecordState !== 'ACTIVE' && f.RecordState !== 'ARCHIVED') {
    add('RecordState', 'expected ACTIVE or ARCHIVED');
  }
  // BatchImportFindings cannot update Workflow (API Reference, BatchImportFindings): the security team's.
  for (const field of ['Workflow', 'WorkflowState']) {
    if (f[field] !== undefined)
      add(field, 'a finding provider never writes it (it belongs to the security team)');
  }
  const bytes = Buffer.byteLength(JSON.stringify(f), 'utf8');
  if (bytes > ASFF_LIMITS.findingBytes) add('(finding)', `expected at most 240 KB, got ${bytes} bytes`);
  return problems;
}
