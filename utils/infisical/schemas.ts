import { z } from 'zod/mini';

/** Response shapes of the Infisical REST API (docs/contracts.md A.1–A.6). */

export const statusResponseSchema = z.looseObject({ message: z.string() });

export const tokenResponseSchema = z.object({
  accessToken: z.string().check(z.minLength(1)),
  expiresIn: z.number().check(z.nonnegative()),
  accessTokenMaxTTL: z.number().check(z.nonnegative()),
  tokenType: z.string(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export const connectionMethodSchema = z.enum(['oauth', 'access-token', 'client-secret']);
export type ConnectionMethod = z.infer<typeof connectionMethodSchema>;

/** The sanitized connection Infisical returns (A.3); secrets are never part of it. */
export const appConnectionSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  description: z.nullish(z.string()),
  app: z.literal('azure-devops'),
  method: connectionMethodSchema,
  /** 1 at creation; Infisical's code never raises it on update (docs/contracts.md A.3 "Update"), so it does not tell that an update landed. */
  version: z.optional(z.number()),
  orgId: z.optional(z.string()),
  updatedAt: z.optional(z.string()),
  /** New with every credential write, and only then (docs/contracts.md A.3 "Update"): how a write is told to have landed. */
  credentialsHash: z.optional(z.string()),
  /** The project of a project-scoped connection, null for the organization's; absent on older builds (docs/contracts.md A.12). */
  projectId: z.optional(z.nullable(z.string())),
  credentials: z.looseObject({ orgName: z.string() }),
});
export type AppConnection = z.infer<typeof appConnectionSchema>;

export const appConnectionResponseSchema = z.object({ appConnection: appConnectionSchema });

export const appConnectionOptionsSchema = z.object({
  appConnectionOptions: z.array(
    z.looseObject({
      app: z.string(),
      methods: z.optional(z.array(z.string())),
      oauthClientId: z.optional(z.string()),
    }),
  ),
});

/** Infisical's error body (A.6). `message` is an array of zod issues for 422. */
export const errorBodySchema = z.looseObject({
  statusCode: z.optional(z.number()),
  error: z.optional(z.string()),
  message: z.optional(z.union([z.string(), z.array(z.unknown())])),
  details: z.optional(z.unknown()),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export type CreateConnectionBody = {
  name: string;
  /** Only for a project-scoped connection (docs/contracts.md A.12). */
  projectId?: string;
  description?: string;
  method: ConnectionMethod;
  credentials: Record<string, string>;
};
