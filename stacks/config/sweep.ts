import { z } from 'zod';
import { isIanaTimeZone } from '../../functions/contract/time-zone';
import { wholeNumber } from './fields';

/** EventBridge Scheduler recurring expressions: `cron(<6 fields>)` or `rate(<n> <unit>)`. */
const SCHEDULE_EXPRESSION = /^(cron\(\S+( \S+){5}\)|rate\([1-9]\d* (minute|minutes|hour|hours|day|days)\))$/;

/** The org-wide sweep (docs/configuration.md, "Sweep"). */
export const sweepSchema = z
  .strictObject(
    {
      /** When the scheduled sweep runs (EventBridge Scheduler). */
      schedule: z
        .strictObject(
          {
            /** `cron(...)` (six fields) or `rate(...)`, as EventBridge Scheduler reads them. */
            expression: z
              .string({ error: 'expected a schedule expression string such as "cron(0 6 * * ? *)"' })
              .regex(SCHEDULE_EXPRESSION, {
                error:
                  'expected an EventBridge Scheduler expression "cron(minutes hours day-of-month month day-of-week year)" or "rate(1 day)"',
              })
              .default('cron(0 6 * * ? *)'),
            /** IANA time zone of the cron expression. Default: notifications.timeZone. */
            timeZone: z
              .string({ error: 'expected an IANA time zone name string such as "UTC"' })
              .refine(isIanaTimeZone, {
                error: 'expected an IANA time zone name such as "Asia/Seoul" or "UTC"',
              })
              .optional(),
          },
          { error: 'expected an object such as { "expression": "cron(0 6 * * ? *)" }' },
        )
        .prefault({}),
      /** Worker invocations running at once (the Distributed Map's MaxConcurrency). */
      maxConcurrency: wholeNumber('concurrent batches', 1, 1000, 20),
      /** Accounts per worker invocation (the ItemBatcher's MaxItemsPerBatch). */
      batchSize: wholeNumber('accounts per batch', 1, 50, 10),
      /** Percentage of failed batches the sweep tolerates before it fails. */
      toleratedFailurePercentage: z
        .number({ error: 'expected a percentage from 0 to 100' })
        .min(0, { error: 'expected a percentage from 0 to 100' })
        .max(100, { error: 'expected a percentage from 0 to 100' })
        .default(5),
      /** Hours a credential report is read as it is before the worker generates a new one. */
      credentialReportMaxAgeHours: wholeNumber('hours', 1, 24, 4),
      /** Days the sweep reports (CSV and JSON) are kept in the sweep bucket. */
      reportRetentionDays: wholeNumber('days', 1, 3650, 365),
      /**
       * Run the sweep: false pauses the daily schedule and the joining-account trigger (both stay
       * deployed, disabled) and `npm run sweep` says the sweep is paused.
       */
      enabled: z.boolean({ error: 'expected true or false' }).default(true),
      /**
       * When one sweep opens the same kind of finding in more accounts than this, one alert lists them
       * all instead of one alert each (docs/adr/0017-rollout-status-and-alert-storms.md).
       */
      alertStormThreshold: wholeNumber('accounts', 1, 1000, 10),
      /** Sweeping an account that just joined: wait for its StackSet instance, then retry a bounded time. */
      joinedAccount: z
        .strictObject(
          {
            /** Minutes to wait before each attempt. */
            waitMinutes: wholeNumber('minutes', 1, 120, 15),
            /** Attempts before an unreachable account is reported ACCOUNT_NOT_COVERED. */
            attempts: wholeNumber('attempts', 1, 24, 4),
          },
          { error: 'expected an object such as { "waitMinutes": 15, "attempts": 4 }' },
        )
        .prefault({}),
    },
    { error: 'expected an object such as { "maxConcurrency": 20 }' },
  )
  .prefault({});
