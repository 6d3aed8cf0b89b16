import { z } from 'zod';
import {
  connectionNameSchema,
  descriptionSchema,
  orgNameSchema,
  patLifetimeSchema,
  tenantIdSchema,
} from '../inputs';

/** What the popup asks the background to do; validated again on arrival. */
export const connectRequestSchema = z.object({
  tenant: tenantIdSchema,
  org: orgNameSchema,
  connectionName: connectionNameSchema,
  description: descriptionSchema.optional(),
  patLifetimeDays: patLifetimeSchema,
});
export type ConnectRequest = z.infer<typeof connectRequestSchema>;
