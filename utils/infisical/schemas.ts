import { z } from 'zod';

/** Response shapes of the Infisical REST API (contracts.md A.1–A.6). */

export const statusResponseSchema = z.object({ message: z.string() }).loose();

export const tokenResponseSchema = z.object({
  accessToken: z.string().min(1),
  expiresIn: z.number().nonnegative(),
  accessTokenMaxTTL: z.number().nonnegative(),
  tokenType: z.string(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export const connectionMethodSchema = z.enum(['oauth', 'access-token', 'client-secret']);
export type ConnectionMethod = z.infer<typeof connectionMethodSchema>;

/** The sanitized connection Infisical returns (A.3); secrets are never part of it. */
export const appConnectionSchema = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    description: z.string().nullish(),
    app: z.literal('azure-devops'),
    method: connectionMethodSchema,
    orgId: z.string().optional(),
    updatedAt: z.string().optional(),
    credentials: z.object({ orgName: z.string() }).loose(),
  })
  .loose();
export type AppConnection = z.infer<typeof appConnectionSchema>;

export const appConnectionResponseSchema = z.object({ appConnection: appConnectionSchema });

export const appConnectionOptionsSchema = z.object({
  appConnectionOptions: z.array(
    z
      .object({
        app: z.string(),
        methods: z.array(z.string()).optional(),
        oauthClientId: z.string().optional(),
      })
      .loose(),
  ),
});

/** Infisical's error body (A.6). `message` is an array of zod issues for 422. */
export const errorBodySchema = z
  .object({
    statusCode: z.number().optional(),
    error: z.string().optional(),
    message: z.union([z.string(), z.array(z.unknown())]).optional(),
    details: z.unknown().optional(),
  })
  .loose();
export type ErrorBody = z.infer<typeof errorBodySchema>;

export type CreateConnectionBody = {
  name: string;
  description?: string;
  method: ConnectionMethod;
  credentials: Record<string, string>;
};
