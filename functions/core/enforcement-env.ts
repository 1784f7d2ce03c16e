/**
 * The enforcement settings from a function's environment (set by the central stack from the validated
 * `enforcement` configuration; names in functions/contract/enforcement.ts). A bad deployment fails at
 * init with the variable named, not in the middle of a sweep. Pure: the environment is passed in.
 */
import { ENFORCEMENT_ENV, ENFORCEMENT_MODES, type EnforcementMode } from '../contract/enforcement';
import type { EnforcementSettings } from './enforcement-plan';

/** Enforcement settings with the OU list and the enforce role's name. */
export interface EnforcementEnv extends EnforcementSettings {
  readonly organizationalUnitIds: readonly string[];
  /** Name of the member enforce role; undefined when the mode is `off`. */
  readonly roleName?: string;
}

/** An enforcement environment variable that is missing or malformed. */
export class InvalidEnforcementEnvError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`environment variable ${variable}: expected ${expected}`);
    this.name = 'InvalidEnforcementEnvError';
  }
}

const OU_ID = /^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;

function whole(env: Readonly<Record<string, string | undefined>>, name: string, min: number): number {
  const raw = env[name];
  const value = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidEnforcementEnvError(
      name,
      `a whole number of at least ${min}, got ${JSON.stringify(raw ?? null)}`,
    );
  }
  return value;
}

function ouIds(raw: string | undefined): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    !parsed.every((id): id is string => typeof id === 'string' && OU_ID.test(id))
  ) {
    throw new InvalidEnforcementEnvError(
      ENFORCEMENT_ENV.organizationalUnitIds,
      `a JSON list of OU ids such as ["ou-ab12-34cd56ef"], got ${JSON.stringify(raw ?? null)}`,
    );
  }
  return parsed;
}

/**
 * Read the settings. No mode variable means `off` (a stack deployed before enforcement existed); with
 * `off` nothing else is read.
 * @throws InvalidEnforcementEnvError naming the variable and the expected form
 */
export function enforcementFromEnv(env: Readonly<Record<string, string | undefined>>): EnforcementEnv {
  const rawMode = env[ENFORCEMENT_ENV.mode] ?? 'off';
  if (!(ENFORCEMENT_MODES as readonly string[]).includes(rawMode)) {
    throw new InvalidEnforcementEnvError(
      ENFORCEMENT_ENV.mode,
      `"off", "dry-run" or "quarantine", got "${rawMode}"`,
    );
  }
  const mode = rawMode as EnforcementMode;
  if (mode === 'off') {
    return {
      mode,
      afterHours: 0,
      includeProgrammaticUsers: false,
      maxPerSweep: 0,
      organizationalUnitIds: [],
    };
  }
  const flag = env[ENFORCEMENT_ENV.includeProgrammaticUsers];
  if (flag !== 'true' && flag !== 'false') {
    throw new InvalidEnforcementEnvError(
      ENFORCEMENT_ENV.includeProgrammaticUsers,
      `"true" or "false", got ${JSON.stringify(flag ?? null)}`,
    );
  }
  const roleName = env[ENFORCEMENT_ENV.roleName];
  if (roleName === undefined || roleName === '') {
    throw new InvalidEnforcementEnvError(
      ENFORCEMENT_ENV.roleName,
      'the enforce role name when enforcement is on',
    );
  }
  return {
    mode,
    afterHours: whole(env, ENFORCEMENT_ENV.afterHours, 1),
    includeProgrammaticUsers: flag === 'true',
    maxPerSweep: whole(env, ENFORCEMENT_ENV.maxPerSweep, 1),
    organizationalUnitIds: ouIds(env[ENFORCEMENT_ENV.organizationalUnitIds]),
    roleName,
  };
}

/**
 * Whether an account is in (or below) one of the enforcement OUs, given its parents from the account up
 * to the root (Organizations ListParents, repeated). None configured: nowhere. Pure.
 */
export function inEnforcementOus(
  ancestorIds: readonly string[],
  organizationalUnitIds: readonly string[],
): boolean {
  return ancestorIds.some((id) => organizationalUnitIds.includes(id));
}
