import { z } from 'zod';
import { CANARY_DEFAULT_WAIT_MINUTES, CANARY_WAIT_MINUTES_RANGE } from '../../functions/contract/canary';

const { min, max } = CANARY_WAIT_MINUTES_RANGE;

/**
 * The `canary` section of the configuration (docs/configuration.md, "Canary"; docs/adr/0021-canary.md):
 * each sweep proves, per account, that a recorded IAM call reaches the checker in real time.
 */
export const canaryConfigSchema = z
  .strictObject(
    {
      /**
       * Tag the check role in every swept account and compare what arrived.
       * @default true
       */
      enabled: z.boolean({ error: 'expected true or false' }).default(true),
      /**
       * Minutes the sweep waits after the map for the canaries to arrive. CloudTrail delivers to
       * EventBridge on a best-effort basis, usually within minutes.
       * @default 15
       */
      waitMinutes: z
        .number({ error: `expected a whole number of minutes from ${min} to ${max}` })
        .int({ error: `expected a whole number of minutes from ${min} to ${max}` })
        .min(min, {
          error: `expected at least ${min} minute (the canary needs time to travel through CloudTrail and EventBridge)`,
        })
        .max(max, {
          error: `expected at most ${max} minutes (a canary later than that counts for the next sweep anyway)`,
        })
        .default(CANARY_DEFAULT_WAIT_MINUTES),
    },
    { error: 'expected an object such as { "enabled": true, "waitMinutes": 15 }' },
  )
  .prefault({});

/** The parsed `canary` section. */
export type CanaryConfig = z.infer<typeof canaryConfigSchema>;
