/**
 * Rules across fields of the configuration (repeats, the delegated administrator, the management
 * account), and the warnings that do not stop synth. The rules read the raw configuration leniently, so
 * they run even when other fields are invalid: every problem is reported at once, the field errors and
 * these together, as docs/configuration.md promises. Pure; no AWS, no environment.
 */

/** The value at `path` inside `raw`, or undefined when any step is missing. */
function valueAt(raw: unknown, path: readonly (string | number)[]): unknown {
  let value: unknown = raw;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);

/** `[index of first occurrence, index of repeat]` for every repeated key; undefined keys are skipped. */
export function duplicates<T>(items: readonly T[], key: (item: T) => string | undefined): [number, number][] {
  const first = new Map<string, number>();
  const repeats: [number, number][] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (k === undefined) return;
    const seen = first.get(k);
    if (seen === undefined) first.set(k, i);
    else repeats.push([seen, i]);
  });
  return repeats;
}

function rolloutProblems(raw: unknown): string[] {
  const problems: string[] = [];
  const management = text(valueAt(raw, ['managementAccountId']));
  const deployFrom = text(valueAt(raw, ['rollout', 'deployFrom']));
  const delegated = text(valueAt(raw, ['rollout', 'delegatedAdminAccountId']));
  if (delegated !== undefined && deployFrom !== undefined && deployFrom !== 'delegated-admin') {
    problems.push(
      'rollout.delegatedAdminAccountId: only meaningful with rollout.deployFrom "delegated-admin"',
    );
  }
  if (delegated !== undefined && delegated === management) {
    problems.push(
      'rollout.delegatedAdminAccountId: the management account cannot be a delegated administrator',
    );
  }
  list(valueAt(raw, ['rollout', 'excludeAccountIds'])).forEach((id, i) => {
    if (management !== undefined && id === management) {
      problems.push(
        `rollout.excludeAccountIds[${i}]: the management account is never a StackSet target; remove it`,
      );
    }
  });
  const ous = list(valueAt(raw, ['rollout', 'organizationalUnitIds']));
  problems.push(
    ...duplicates(ous, text).map(
      ([first, i]) =>
        `rollout.organizationalUnitIds[${i}]: "${String(ous[i])}" repeats rollout.organizationalUnitIds[${first}]; list each OU once`,
    ),
  );
  return problems;
}

/**
 * A chat section must name a channel, and each channel once: the service allows one configuration per
 * channel in an account, and a repeat would fail the deployment half-way.
 */
function chatProblems(raw: unknown): string[] {
  const chat = valueAt(raw, ['chat']);
  if (typeof chat !== 'object' || chat === null) return [];
  const slack = list(valueAt(chat, ['slack']));
  const teams = list(valueAt(chat, ['teams']));
  const problems: string[] = [];
  const slackGiven = valueAt(chat, ['slack']) !== undefined && !Array.isArray(valueAt(chat, ['slack']));
  const teamsGiven = valueAt(chat, ['teams']) !== undefined && !Array.isArray(valueAt(chat, ['teams']));
  if (slack.length === 0 && teams.length === 0 && !slackGiven && !teamsGiven) {
    problems.push('chat: expected "slack" or "teams" (or both); remove "chat" to alert by email only');
  }
  const pair = (a: unknown, b: unknown, lower: boolean) => {
    const [x, y] = [text(a), text(b)];
    if (x === undefined || y === undefined) return undefined;
    return lower ? `${x.toLowerCase()}/${y.toLowerCase()}` : `${x}/${y}`;
  };
  problems.push(
    ...duplicates(slack, (c) => pair(valueAt(c, ['workspaceId']), valueAt(c, ['channelId']), false)).map(
      ([first, i]) => `chat.slack[${i}]: repeats chat.slack[${first}]; list each channel once`,
    ),
    ...duplicates(teams, (c) => pair(valueAt(c, ['teamId']), valueAt(c, ['channelId']), true)).map(
      ([first, i]) => `chat.teams[${i}]: repeats chat.teams[${first}]; list each channel once`,
    ),
    ...duplicates(list(valueAt(chat, ['guardrailPolicies'])), text).map(
      ([first, i]) => `chat.guardrailPolicies[${i}]: repeats chat.guardrailPolicies[${first}]`,
    ),
  );
  return problems;
}

/**
 * Problems across fields that the schema cannot see one field at a time, one line each, read from the
 * raw configuration (values of the wrong type are left to the schema's own message). Pure.
 */
export function crossFieldProblems(raw: unknown): string[] {
  const emails = list(valueAt(raw, ['notifications', 'emails']));
  return [
    ...rolloutProblems(raw),
    // Each address becomes one SNS subscription construct: a repeat (SNS compares addresses ignoring
    // case) would otherwise fail synth with a CDK stack trace about a duplicate construct id.
    ...duplicates(emails, (e) => text(e)?.toLowerCase()).map(
      ([first, i]) =>
        `notifications.emails[${i}]: "${String(emails[i])}" repeats notifications.emails[${first}] (addresses are compared ignoring case); list each address once`,
    ),
    ...chatProblems(raw),
    ...retainedKeyProblems(raw),
    ...enforcementProblems(raw),
    ...(valueAt(raw, ['tamperProtection', 'protectTrails']) === true &&
    valueAt(raw, ['tamperProtection', 'enabled']) !== true
      ? [
          'tamperProtection.protectTrails: only meaningful with tamperProtection.enabled true (it adds to that SCP)',
        ]
      : []),
  ];
}

/** Each enforcement OU once (a repeat is a sign of a copy-paste mistake in the list that decides who is locked down). */
function enforcementProblems(raw: unknown): string[] {
  const ous = list(valueAt(raw, ['enforcement', 'organizationalUnitIds']));
  return duplicates(ous, text).map(
    ([first, i]) =>
      `enforcement.organizationalUnitIds[${i}]: "${String(ous[i])}" repeats enforcement.organizationalUnitIds[${first}]; list each OU once`,
  );
}

/** The retained table's key lives where the table does: the security account, in the home region. */
function retainedKeyProblems(raw: unknown): string[] {
  const arn = text(valueAt(raw, ['findings', 'retainedTableKeyArn']));
  const [, , , region, account] = arn?.split(':') ?? [];
  if (arn === undefined || region === undefined || account === undefined) return [];
  const homeRegion = text(valueAt(raw, ['homeRegion'])) ?? 'us-east-1';
  const security = text(valueAt(raw, ['securityAccountId']));
  if (region === homeRegion && (security === undefined || account === security)) return [];
  return [
    `findings.retainedTableKeyArn: the key is in ${account} ${region}, but the retained table is in the security account ${security ?? '(securityAccountId)'} in homeRegion ${homeRegion}`,
  ];
}

/** The field a problem line names (`notifications.emails[1]` of `notifications.emails[1]: ...`). */
export function problemField(line: string): string {
  return line.slice(0, Math.max(0, line.indexOf(':')));
}

/**
 * Warnings about the accounts chosen, one line each, that do not stop synth: a security account that is
 * the management account works, but service control policies never restrict the management account
 * (so the tamper protection cannot cover the central stack), and AWS recommends keeping resources out of
 * it (AWS Organizations User Guide, "Best practices for the management account",
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_best-practices_mgmt-acct.html). Pure.
 */
export function accountWarnings(config: {
  readonly managementAccountId: string;
  readonly securityAccountId: string;
}): string[] {
  if (config.securityAccountId !== config.managementAccountId) return [];
  return [
    `securityAccountId is the management account (${config.managementAccountId}): it works, but service control policies never restrict the management account, so nothing protects the central bus, checker and finding store from its administrators, and AWS recommends keeping resources out of it ("Best practices for the management account", AWS Organizations User Guide); use a dedicated security account`,
  ];
}
