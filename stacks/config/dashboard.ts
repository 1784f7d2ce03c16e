import { z } from 'zod';

/**
 * The CloudWatch dashboard `org-mfa-watch` (docs/operations.md, "Metrics and dashboard"). Off by default:
 * a dashboard is billed per month. The metrics it shows are written either way (EMF, in the logs).
 */
export const dashboardSchema = z
  .strictObject(
    {
      /** Create the dashboard in the central stack. */
      enabled: z.boolean({ error: 'expected true or false' }).default(false),
    },
    { error: 'expected an object such as { "enabled": true }' },
  )
  .prefault({});
