/**
 * The IAM credential report as the sweep's candidate list: a pure CSV parser, header-driven (IAM has
 * added columns over the years and may add more), with IAM's placeholder values understood (IAM User
 * Guide, "Getting credential reports": `N/A`, `no_information`, `not_supported`).
 */

/** The row IAM writes for the account's root user (`user` column). */
export const ROOT_ROW_USER = '<root_account>';

/** One IAM user as the report saw it when it was generated (up to hours ago: confirm live). */
export interface ReportUser {
  readonly userName: string;
  readonly arn: string;
  /** The user's IAM path, from its ARN (`/` when none). */
  readonly path: string;
  readonly createdAt: Date;
  readonly passwordEnabled: boolean;
  readonly mfaActive: boolean;
  /** Latest use of the password or an access key; absent when never used (or unknown to IAM). */
  readonly lastUsed?: Date;
}

/** The root user's row. Its `password_enabled` is always `not_supported`: read the password live. */
export interface ReportRoot {
  readonly mfaActive: boolean;
  readonly lastUsed?: Date;
}

/** A parsed credential report. */
export interface CredentialReport {
  /** IAM users, the root row excluded. */
  readonly users: readonly ReportUser[];
  /** The root row; absent only if IAM ever omitted it. */
  readonly root?: ReportRoot;
}

/** The report is not a credential report IAM could have written. */
export class CredentialReportFormatError extends Error {
  constructor(
    /** 1-based line of the CSV (1 = header). */
    readonly line: number,
    readonly problem: string,
  ) {
    super(`Credential report line ${line}: ${problem}`);
    this.name = 'CredentialReportFormatError';
  }
}

const REQUIRED = ['user', 'arn', 'user_creation_time', 'password_enabled', 'mfa_active'] as const;
/** Columns whose latest date is "last used" (password sign-in, either access key). */
const LAST_USED = ['password_last_used', 'access_key_1_last_used_date', 'access_key_2_last_used_date'];
/** IAM's values for "no date": no credential, never used / before IAM tracked it, root's password. */
const NO_DATE = new Set(['n/a', 'no_information', 'not_supported', '']);

/** Split CSV text into records (RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}

function parseBoolean(value: string, line: number, column: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new CredentialReportFormatError(line, `${column}: expected true or false, got "${value}"`);
}

function parseDate(value: string | undefined, line: number, column: string): Date | undefined {
  if (value === undefined || NO_DATE.has(value.trim().toLowerCase())) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new CredentialReportFormatError(line, `${column}: expected an ISO 8601 time, got "${value}"`);
  }
  return new Date(time);
}

/** `arn:aws:iam::111122223333:user/division/alice` -> `/division/`. */
export function pathFromArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/').slice(1, -1);
  return parts.length === 0 ? '/' : `/${parts.join('/')}/`;
}

function latest(dates: readonly (Date | undefined)[]): Date | undefined {
  let best: Date | undefined;
  for (const date of dates) if (date !== undefined && (best === undefined || date > best)) best = date;
  return best;
}

/**
 * Parse the CSV of `iam:GetCredentialReport` (already base64-decoded by the SDK). Columns are found by
 * name in the header; the `<root_account>` row becomes `root`. Pure.
 * @throws CredentialReportFormatError naming the line and column of the first problem
 */
export function parseCredentialReport(csv: string): CredentialReport {
  const [header, ...rows] = parseCsv(csv);
  if (header === undefined) throw new CredentialReportFormatError(1, 'the report is empty');
  const index = new Map(header.map((name, i) => [name.trim(), i]));
  const missing = REQUIRED.filter((name) => !index.has(name));
  if (missing.length > 0) {
    throw new CredentialReportFormatError(1, `missing column(s) ${missing.join(', ')}`);
  }
  const users: ReportUser[] = [];
  let root: ReportRoot | undefined;
  rows.forEach((row, i) => {
    const line = i + 2;
    const cell = (name: string): string | undefined => {
      const at = index.get(name);
      return at === undefined ? undefined : row[at];
    };
    const required = (name: (typeof REQUIRED)[number]): string => {
      const value = cell(name);
      if (value === undefined) throw new CredentialReportFormatError(line, `${name}: the row is too short`);
      return value;
    };
    const lastUsed = latest(LAST_USED.map((name) => parseDate(cell(name), line, name)));
    const user = required('user');
    const mfaActive = parseBoolean(required('mfa_active'), line, 'mfa_active');
    if (user === ROOT_ROW_USER) {
      root = { mfaActive, ...(lastUsed === undefined ? {} : { lastUsed }) };
      return;
    }
    const createdAt = parseDate(required('user_creation_time'), line, 'user_creation_time');
    if (createdAt === undefined) {
      throw new CredentialReportFormatError(line, 'user_creation_time: expected an ISO 8601 time');
    }
    const arn = required('arn');
    users.push({
      userName: user,
      arn,
      path: pathFromArn(arn),
      createdAt,
      passwordEnabled: parseBoolean(required('password_enabled'), line, 'password_enabled'),
      mfaActive,
      ...(lastUsed === undefined ? {} : { lastUsed }),
    });
  });
  return { users, ...(root === undefined ? {} : { root }) };
}
