import { z } from 'zod';
import { ENFORCEMENT_MODES } from '../../functions/contract/enforcement';

/** An organizational unit id (enforcement applies under OUs, never to a whole root by accident). */
const OU_ID = /^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;

/** Longest wait that may be configured: 90 days (a finding open longer is past any reasonable SLA). */
export const MAX_ENFORCEMENT_AFTER_HOURS = 2160;
/** Shortest wait: one day, so a user always gets at least one alert and a working day to enrol. */
export const MIN_ENFORCEMENT_AFTER_HOURS = 24;
/** Largest cap on quarantines per sweep (the cap exists so a wrong configuration cannot lock out an org). */
export const MAX_ENFORCEMENT_PER_SWEEP = 1000;

const whole = (what: string, min: number, max: number, fallback: number) =>
  z
    .number({ error: `expected a whole number of ${what}` })
    .int({ error: `expected a whole number of ${what}` })
    .min(min, { error: `expected at least ${min} ${what}` })
    .max(max, { error: `expected at most ${max} ${what}` })
    .default(fallback);

/**
 * The `enforcement` section (docs/configuration.md, "Enforcement"; ADR 0022). Off unless configured:
 * with `mode` other than `off`, the member template gains the quarantine policy and the enforce role.
 */
export const enforcementSchema = z
  .strictObject(
    {
      /** `off` (default), `dry-run` (report what would be quarantined) or `quarantine` (act). */
      mode: z.enum(ENFORCEMENT_MODES, { error: 'expected "off", "dry-run" or "quarantine"' }).default('off'),
      /** Hours a USER_NO_MFA finding must have been open before its user is quarantined. */
      afterHours: whole('hours', MIN_ENFORCEMENT_AFTER_HOURS, MAX_ENFORCEMENT_AFTER_HOURS, 72),
      /** OUs whose accounts (in them or in OUs below them) enforcement applies to; none means nowhere. */
      organizationalUnitIds: z
        .array(
          z.string({ error: 'expected an OU id string' }).regex(OU_ID, {
            error: 'expected an OU id such as "ou-ab12-34cd56ef" (a root id is not accepted here)',
          }),
          { error: 'expected a list of OU ids' },
        )
        .default([]),
      /** Quarantine users without a console password too (off: that would break their automation). */
      includeProgrammaticUsers: z.boolean({ error: 'expected true or false' }).default(false),
      /** More users than this to quarantine in one sweep: none is quarantined, one HIGH alert instead. */
      maxPerSweep: whole('users', 1, MAX_ENFORCEMENT_PER_SWEEP, 20),
    },
    {
      error:
        'expected an object such as { "mode": "dry-run", "organizationalUnitIds": ["ou-ab12-34cd56ef"] }',
    },
  )
  .prefault({});

/** The validated `enforcement` section. */
export type EnforcementConfig = Readonly<z.infer<typeof enforcementSchema>>;
