// zod schemas reproducing Infisical's Azure DevOps App Connection validation (docs/contracts.md A.3).
// Name: the stricter reading of both slug versions (no lower-casing, at most 32 characters).
import { z } from 'zod';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const slugSchema = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .refine((v) => SLUG.test(v), { message: 'name field can only contain lowercase letters, numbers, and hyphens' });

const description = z.string().trim().max(256, 'Description cannot exceed 256 characters').nullish();
const isPlatformManagedCredentials = z.literal(false, { error: 'Not supported for Azure DevOps Connections' }).optional();
const gatewayId = z.null({ error: 'Gateways are not supported for Azure DevOps Connections' }).optional();

export const OAuthCredentials = z.object({
  code: z.string().trim().min(1, 'OAuth code required'),
  tenantId: z.string().trim().min(1, 'Tenant ID required'),
  orgName: z.string().trim().min(1, 'Organization name required'),
});
export const AccessTokenCredentials = z.object({
  accessToken: z.string().trim().min(1, 'Access Token required'),
  orgName: z.string().trim().min(1, 'Organization name required'),
});
export const ClientSecretCredentials = z.object({
  clientId: z.guid().trim().max(50, 'Client ID cannot exceed 50 characters'),
  clientSecret: z.string().trim().min(1, 'Client Secret required').max(50, 'Client Secret cannot exceed 50 characters'),
  tenantId: z.guid(),
  orgName: z.string().trim().min(1, 'Organization name required'),
  clientSecretKeyId: z.guid().optional(),
});

export const CREDENTIALS_BY_METHOD = {
  oauth: OAuthCredentials,
  'access-token': AccessTokenCredentials,
  'client-secret': ClientSecretCredentials,
} as const;

const generic = {
  name: slugSchema,
  description,
  projectId: z.string().optional(),
  isPlatformManagedCredentials,
  gatewayId,
};

/** Discriminated on `method` (docs/contracts.md A.3 "Create body"). */
export const CreateConnectionBody = z.discriminatedUnion('method', [
  z.object({ ...generic, method: z.literal('oauth'), credentials: OAuthCredentials }),
  z.object({ ...generic, method: z.literal('access-token'), credentials: AccessTokenCredentials }),
  z.object({ ...generic, method: z.literal('client-secret'), credentials: ClientSecretCredentials }),
]);

export const UpdateConnectionBody = z.object({
  name: slugSchema.optional(),
  description,
  credentials: z.union([OAuthCredentials, AccessTokenCredentials, ClientSecretCredentials]).optional(),
  isPlatformManagedCredentials,
  gatewayId,
});

export const ConnectionIdParams = z.object({ connectionId: z.guid() });

export type CreateConnection = z.infer<typeof CreateConnectionBody>;
