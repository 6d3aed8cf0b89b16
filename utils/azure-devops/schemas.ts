import { z } from 'zod/mini';

/** Response shapes of the Azure DevOps REST API (docs/contracts.md B.1, B.3). */

export const projectsResponseSchema = z.object({
  count: z.number(),
  value: z.array(z.looseObject({ id: z.string(), name: z.string() })),
});
export type ProjectsResponse = z.infer<typeof projectsResponseSchema>;

export const patTokenSchema = z.looseObject({
  authorizationId: z.nullable(z.string()),
  displayName: z.nullable(z.string()),
  scope: z.nullable(z.string()),
  token: z.nullable(z.string()),
  validFrom: z.optional(z.nullable(z.string())),
  validTo: z.nullable(z.string()),
  targetAccounts: z.optional(z.nullable(z.array(z.string()))),
});

export const patTokenResultSchema = z.object({
  patToken: z.nullable(patTokenSchema),
  patTokenError: z.string(),
  patTokenErrorMessage: z.nullish(z.string()),
});

/** `GET .../tokens/pats?displayFilterOption=` (B.1 list; tokens come without their secret). */
export const pagedPatsSchema = z.looseObject({
  continuationToken: z.nullish(z.string()),
  patTokens: z.array(patTokenSchema),
});

/** The general Azure DevOps JSON error shape (B.1). */
export const adoErrorBodySchema = z.looseObject({ message: z.string(), typeKey: z.optional(z.string()), errorCode: z.optional(z.number()) });

export interface MintedPat {
  authorizationId: string;
  token: string;
  scope: string;
  validTo: string;
}

/** `GET app.vssps.visualstudio.com/_apis/profile/profiles/me` (B.3). */
export const profileSchema = z.looseObject({ id: z.string().check(z.minLength(1)) });

/** `GET app.vssps.visualstudio.com/_apis/accounts?memberId=` (B.3). */
export const accountsSchema = z.object({
  value: z.array(z.looseObject({ accountName: z.string().check(z.minLength(1)) })),
});
