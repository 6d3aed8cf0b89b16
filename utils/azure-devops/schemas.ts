import { z } from 'zod';

/** Response shapes of the Azure DevOps REST API (contracts.md B.1, B.3). */

export const projectsResponseSchema = z.object({
  count: z.number(),
  value: z.array(z.object({ id: z.string(), name: z.string() }).loose()),
});
export type ProjectsResponse = z.infer<typeof projectsResponseSchema>;

export const patTokenSchema = z
  .object({
    authorizationId: z.string().nullable(),
    displayName: z.string().nullable(),
    scope: z.string().nullable(),
    token: z.string().nullable(),
    validFrom: z.string().nullable().optional(),
    validTo: z.string().nullable(),
    targetAccounts: z.array(z.string()).nullable().optional(),
  })
  .loose();

export const patTokenResultSchema = z.object({
  patToken: patTokenSchema.nullable(),
  patTokenError: z.string(),
  patTokenErrorMessage: z.string().nullish(),
});

/** The general Azure DevOps JSON error shape (B.1). */
export const adoErrorBodySchema = z
  .object({ message: z.string(), typeKey: z.string().optional(), errorCode: z.number().optional() })
  .loose();

export interface MintedPat {
  authorizationId: string;
  token: string;
  scope: string;
  validTo: string;
}

/** `GET app.vssps.visualstudio.com/_apis/profile/profiles/me` (B.3). */
export const profileSchema = z.object({ id: z.string().min(1) }).loose();

/** `GET app.vssps.visualstudio.com/_apis/accounts?memberId=` (B.3). */
export const accountsSchema = z.object({
  value: z.array(z.object({ accountName: z.string().min(1) }).loose()),
});
