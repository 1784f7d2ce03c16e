/**
 * What AWS Security Hub accepts of an AWS Security Finding Format (ASFF) finding imported with
 * `BatchImportFindings` into an account's default product: the documented required attributes and
 * limits, and {@link validateAsff}, which checks a finding against them. Pure: no clock, no I/O.
 */

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

const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
// RFC 3339 date-time, the form Security Hub accepts for timestamps (API Reference, "Timestamps").
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const DEFAULT_PRODUCT_ARN = /^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:(\d{12}):product\/(\d{12})\/default$/;

/** A problem of an ASFF finding: the attribute path and what is wrong with it. */
export interface AsffProblem {
  readonly field: string;
  readonly problem: string;
}

type Json = Record<string, unknown>;
/** Records one problem. */
type Report = (field: string, problem: string) => void;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const length = (v: unknown): number => (typeof v === 'string' ? Array.from(v).length : 0);

/** Every required top-level attribute is present and not empty. */
function checkRequired(f: Json, add: Report): void {
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
}

/** The string attributes' lengths, the schema version, the account id and the default product's owner. */
function checkIdentity(f: Json, add: Report): void {
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
}

/** RFC 3339 timestamps, and an update no earlier than the creation. */
function checkTimestamps(f: Json, add: Report): void {
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
}

/** A `Types` list: at most 50 `namespace/category[/classifier]` with a valid namespace. */
function checkTypes(field: string, types: unknown, add: Report): void {
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
}

/** A severity: a known label and a short `Original`. */
function checkSeverity(field: string, severity: unknown, add: Report): void {
  if (severity === undefined) return;
  if (!isObject(severity) || !SEVERITY_LABELS.includes(String(severity.Label))) {
    add(`${field}.Label`, `expected one of ${SEVERITY_LABELS.join(', ')}`);
  } else if (severity.Original !== undefined && length(severity.Original) > ASFF_LIMITS.severityOriginal) {
    add(`${field}.Original`, `expected at most ${ASFF_LIMITS.severityOriginal} characters`);
  }
}

/** Severity and Types, at top level and in `FindingProviderFields`. */
function checkClassification(f: Json, add: Report): void {
  checkTypes('Types', f.Types, add);
  checkSeverity('Severity', f.Severity, add);
  if (f.FindingProviderFields !== undefined) {
    const provider = f.FindingProviderFields;
    if (!isObject(provider)) add('FindingProviderFields', 'expected an object');
    else {
      checkSeverity('FindingProviderFields.Severity', provider.Severity, add);
      checkTypes('FindingProviderFields.Types', provider.Types, add);
    }
  }
}

/** At most 32 resources, each with a type, an id and a short region. */
function checkResources(f: Json, add: Report): void {
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
}

/** The recommendation's length and the product fields' count and sizes. */
function checkRemediationAndProductFields(f: Json, add: Report): void {
  const recommendation = isObject(f.Remediation) ? f.Remediation.Recommendation : undefined;
  if (isObject(recommendation) && length(recommendation.Text) > ASFF_LIMITS.recommendationText) {
    add('Remediation.Recommendation.Text', `expected at most ${ASFF_LIMITS.recommendationText} characters`);
  }
  if (f.ProductFields === undefined) return;
  if (!isObject(f.ProductFields)) {
    add('ProductFields', 'expected a map');
    return;
  }
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

/**
 * Check a finding against the required attributes and the documented limits, the default product's
 * ownership rule (the caller's account is the finding's account and the product's), and the provider's
 * boundaries (no `Workflow`). Pure; returns every problem (empty when the finding is valid).
 */
export function validateAsff(finding: unknown): AsffProblem[] {
  if (!isObject(finding)) return [{ field: '(finding)', problem: 'expected an object' }];
  const problems: AsffProblem[] = [];
  const add: Report = (field, problem) => {
    problems.push({ field, problem });
  };
  const f = finding;
  checkRequired(f, add);
  checkIdentity(f, add);
  checkTimestamps(f, add);
  checkClassification(f, add);
  checkResources(f, add);
  checkRemediationAndProductFields(f, add);
  if (f.RecordState !== undefined && f.RecordState !== 'ACTIVE' && f.RecordState !== 'ARCHIVED') {
    add('RecordState', 'expected ACTIVE or ARCHIVED');
  }
  // BatchImportFindings cannot update Workflow, Note, UserDefinedFields or VerificationState (User Guide,
  // "BatchImportFindings for finding providers"): the security team's, through BatchUpdateFindings.
  for (const field of ['Workflow', 'WorkflowState', 'Note', 'UserDefinedFields', 'VerificationState']) {
    if (f[field] !== undefined)
      add(field, 'a finding provider never writes it (it belongs to the security team)');
  }
  const bytes = Buffer.byteLength(JSON.stringify(f), 'utf8');
  if (bytes > ASFF_LIMITS.findingBytes) add('(finding)', `expected at most 240 KB, got ${bytes} bytes`);
  return problems;
}
