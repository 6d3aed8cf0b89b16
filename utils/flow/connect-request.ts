import { z } from 'zod/mini';
import { connectionNameSchema, descriptionSchema, guidSchema, infisicalProjectIdSchema, orgNameSchema, patLifetimeSchema, tenantIdSchema } from '../inputs';

/**
 * What the popup (or page) asks the background to do; validated again on arrival.
 * Methods in the order users should prefer them (README.md "Connection methods").
 */
export const METHODS = ['microsoft', 'infisical-oauth', 'pat', 'service-principal'] as const;
export type Method = (typeof METHODS)[number];

export const METHOD_LABELS: Record<Method, string> = {
  microsoft: 'Sign in with Microsoft (recommended)',
  'infisical-oauth': 'Infisical’s OAuth app',
  pat: 'Paste a personal access token',
  'service-principal': 'Service principal',
};

/** A method's label without its aside, to name it inside a sentence (“Sign in with Microsoft”). */
export const methodLabel = (method: Method): string => METHOD_LABELS[method].replace(/ \(.*\)$/, '');

/** The Infisical `method` each of ours produces (docs/contracts.md A.3). */
export const INFISICAL_METHOD = {
  microsoft: 'access-token',
  'infisical-oauth': 'oauth',
  pat: 'access-token',
  'service-principal': 'client-secret',
} as const satisfies Record<Method, 'access-token' | 'oauth' | 'client-secret'>;

const base = {
  org: orgNameSchema,
  connectionName: connectionNameSchema,
  description: z.optional(descriptionSchema),
  /** `update` PATCHes the credentials of the existing connection with this name. */
  mode: z._default(z.enum(['create', 'update']), 'create'),
  /** The Infisical project the connection belongs to; null or absent: the organization's (docs/contracts.md A.12). */
  projectId: z._default(z.nullable(infisicalProjectIdSchema), null),
};

export const connectRequestSchema = z.discriminatedUnion('method', [
  z.object({ ...base, method: z.literal('microsoft'), tenant: tenantIdSchema, patLifetimeDays: patLifetimeSchema }),
  z.object({ ...base, method: z.literal('infisical-oauth'), tenant: tenantIdSchema }),
  z.object({
    ...base,
    method: z.literal('pat'),
    pat: z.string().check(z.trim(), z.minLength(20, 'Paste the whole personal access token.'), z.maxLength(200, 'That is longer than any Azure DevOps token.')),
  }),
  z.object({
    ...base,
    method: z.literal('service-principal'),
    tenant: guidSchema('The tenant ID'),
    clientId: guidSchema('The client ID'),
    clientSecret: z.string().check(z.trim(), z.minLength(1, 'Enter the client secret.'), z.maxLength(50, 'Infisical accepts client secrets of at most 50 characters.')),
    clientSecretKeyId: z.optional(z.union([guidSchema('The secret key ID'), z.literal('')])),
  }),
]);
export type ConnectRequest = z.infer<typeof connectRequestSchema>;
export type ConnectRequestInput = z.input<typeof connectRequestSchema>;
