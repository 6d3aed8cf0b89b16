import { z } from 'zod/mini';

/**
 * The records the worker's ledger keeps in `local:` (utils/storage/catalogue.ts), as version 2
 * writes them. No secret in either: a PAT is named by its authorization id, never its token.
 */

const method = z.enum(['access-token', 'oauth', 'client-secret']);

/** A connection this extension made: what a later renewal needs (which key, which sign-in, which PAT, how long). */
export const connectionRecordSchema = z.object({
  /** The Infisical connection's id. */
  id: z.string(),
  /** With `instanceUrl` and `projectId`: its ConnectionKey (utils/connection-key.ts). */
  name: z.string(),
  instanceUrl: z.string(),
  projectId: z.nullable(z.string()),
  org: z.string(),
  tenantId: z.string(),
  /** The Microsoft app (client) ID signed in with; null when the method had no Microsoft sign-in (or the record predates v2). */
  clientId: z.nullable(z.string()),
  method,
  patAuthorizationId: z.nullable(z.string()),
  patValidTo: z.nullable(z.string()),
  /** The PAT lifetime asked for, in days (Sign in with Microsoft); null otherwise or unknown. */
  patLifetimeDays: z.nullable(z.number()),
  createdAt: z.string(),
});
export type ConnectionRecord = z.infer<typeof connectionRecordSchema>;

/**
 * A flow's PAT, being asked for or minted, and not yet delivered (no secret: the authorization id
 * names it, or, while it is being asked for, its name and expiry). If the worker stops before
 * delivery, the next start finds it and finishes or revokes (docs/reliability.md). Kept in `local:`
 * so that a browser closed mid-flow is covered too.
 */
export const pendingPatSchema = z.object({
  /** Null while the PAT is being asked for: then it is the one named for the connection, with `validTo`. */
  authorizationId: z.nullable(z.string()),
  /** The expiry asked for, then the one Azure DevOps gave. */
  validTo: z.string(),
  org: z.string(),
  tenant: z.string(),
  clientId: z.string(),
  /** With `projectId` and `connectionName`: the ConnectionKey of the connection it is for. */
  instanceUrl: z.string(),
  projectId: z.nullable(z.string()),
  connectionName: z.string(),
  /** Version of the connection being updated, or null when creating one. */
  previousVersion: z.nullable(z.number()),
  /**
   * The updated connection's `credentialsHash` and `updatedAt` before the update: how recovery
   * tells that the update landed, `version` not moving on update (docs/contracts.md A.3 "Update").
   * Absent in records of earlier builds, which then go by the version alone.
   */
  previousCredentialsHash: z.optional(z.nullable(z.string())),
  previousUpdatedAt: z.optional(z.nullable(z.string())),
  /** On update: the PAT the connection held before, revoked once the new one is delivered. */
  replaces: z.optional(z.nullable(z.string())),
  /** When the PAT was asked for. */
  mintedAt: z.string(),
  /** The flow that minted it; a record whose flow is not running in this worker is left over. */
  flowId: z.string(),
});
export type PendingPat = z.infer<typeof pendingPatSchema>;

/** Version 1 (the first release): without the key's scope, the sign-in client and the lifetime. */
export const connectionRecordV1Schema = z.object({
  id: z.string(),
  name: z.string(),
  instanceUrl: z.string(),
  org: z.string(),
  tenantId: z.string(),
  method,
  patAuthorizationId: z.nullable(z.string()),
  patValidTo: z.nullable(z.string()),
  createdAt: z.string(),
});

/** Version 1: without `projectId`. */
export const pendingPatV1Schema = z.omit(pendingPatSchema, { projectId: true });

/**
 * What recovery can still use of a pending-PAT record that does not read: enough to revoke the PAT
 * it names (utils/worker/recover-unreadable.ts). The other fields help when readable.
 */
export const salvageablePatSchema = z.object({
  org: z.string().check(z.minLength(1)),
  authorizationId: z.string().check(z.minLength(1)),
  instanceUrl: z.optional(z.string()),
  tenant: z.optional(z.string()),
  clientId: z.optional(z.string()),
  connectionName: z.optional(z.string()),
  /** The scope its connection lives in (docs/contracts.md A.12): looked up there, not in the organization's. */
  projectId: z.optional(z.nullable(z.string())),
  mintedAt: z.optional(z.string()),
});
export type SalvageablePat = z.infer<typeof salvageablePatSchema>;
