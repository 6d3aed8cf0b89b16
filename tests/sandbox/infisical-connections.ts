// Azure DevOps App Connection endpoints under /api/v1/app-connections (docs/contracts.md A.3, A.7).
// Order on create follows the service: auth, body schema, permission, credential validation, then
// the duplicate-name check (so a duplicate still spends an OAuth code, as on a real server). Routes
// on one connection find it first and check the permission after (A.3 "Lookup order matters"), so
// a missing one is 404 even for an identity that may not read.
import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { IdentityConfig } from './config.ts';
import { bodyJson, json, type RequestContext, type SandboxResponse } from './http.ts';
import { forbiddenForIdentity, requireIdentity } from './infisical-auth.ts';
import { badRequest, notFound, permissionDenied, validationFailure } from './infisical-errors.ts';
import { ConnectionIdParams, CREDENTIALS_BY_METHOD, CreateConnectionBody, UpdateConnectionBody } from './infisical-schemas.ts';
import { isResponse, validateCredentials } from './infisical-validate.ts';
import { uuid } from './ids.ts';
import { isoNow, type ConnectionMethod, type SanitizedConnection, type StoredConnection } from './state.ts';

/** Non-secret credential fields returned per method (docs/contracts.md A.3 "Sanitized response"). */
const PUBLIC_FIELDS: Record<ConnectionMethod, string[]> = {
  oauth: ['tenantId', 'orgName'],
  'access-token': ['orgName'],
  'client-secret': ['clientId', 'tenantId', 'orgName'],
};

export function sanitize(c: StoredConnection): SanitizedConnection {
  const { secretCredentials, ...rest } = c;
  const credentials = Object.fromEntries(PUBLIC_FIELDS[c.method].map((k) => [k, String(secretCredentials[k] ?? '')]));
  return { ...rest, credentials };
}

/**
 * `credentialsHash` after a credential write: Infisical hashes the encrypted blob, which a fresh
 * encryption (new IV) makes different each time even for the same credentials (docs/contracts.md A.3).
 */
export const newCredentialsHash = (secrets: Record<string, unknown>): string => createHash('sha256').update(randomBytes(16)).update(JSON.stringify(secrets)).digest('hex');

/**
 * `getAppConnectionMethodName` (conn-fns, docs/contracts.md A.3 "Update"): the words in the
 * method-mismatch error. Its backend list has no client-secret case in the versions read; the
 * name here is the frontend's for that method.
 */
const METHOD_NAMES: Record<ConnectionMethod, string> = { oauth: 'OAuth', 'access-token': 'Access Token', 'client-secret': 'Client Secret' };

type Authorized = { identity: IdentityConfig };
/** Bearer identity plus the CASL action on "app-connections" (docs/contracts.md A.7). */
function authorize(ctx: RequestContext, action: string): Authorized | SandboxResponse {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  return identity.actions.includes(action) ? { identity } : permissionDenied(action);
}

/** The connection `find` names (404 when there is none), then the permission for `action` on it. */
function findThenAuthorize(ctx: RequestContext, action: string, find: () => StoredConnection | SandboxResponse): StoredConnection | SandboxResponse {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  const c = find();
  if ('status' in c) return c;
  return identity.actions.includes(action) ? c : permissionDenied(action);
}

const mine = (ctx: RequestContext) => ctx.state.connections.filter((c) => c.orgId === ctx.config.infisical.orgId && c.app === 'azure-devops');

function byId(ctx: RequestContext): StoredConnection | SandboxResponse {
  const params = ConnectionIdParams.safeParse({ connectionId: ctx.params[0] });
  if (!params.success) return validationFailure(params.error.issues);
  return mine(ctx).find((c) => c.id === params.data.connectionId) ?? notFound(`Could not find App Connection with ID ${params.data.connectionId}`);
}

/** By name, case-insensitively, as `listAppConnectionsByOrg` sorts them (docs/contracts.md A.3 "List"). */
const byName = (a: StoredConnection, b: StoredConnection) => a.name.toLowerCase().localeCompare(b.name.toLowerCase());

/** `GET /`: every Azure DevOps connection of the organization, sanitized, in one answer (no paging). */
export function list(ctx: RequestContext): SandboxResponse {
  const a = authorize(ctx, 'read');
  return 'status' in a ? a : json(200, { appConnections: [...mine(ctx)].sort(byName).map(sanitize) });
}

export function available(ctx: RequestContext): SandboxResponse {
  const a = authorize(ctx, 'connect');
  if ('status' in a) return a;
  return json(200, { appConnections: mine(ctx).map((c) => ({ app: c.app, name: c.name, id: c.id, orgId: c.orgId })) });
}

export function getById(ctx: RequestContext): SandboxResponse {
  const c = findThenAuthorize(ctx, 'read', () => byId(ctx));
  return 'status' in c ? c : json(200, { appConnection: sanitize(c) });
}

export function getByName(ctx: RequestContext): SandboxResponse {
  const name = ctx.params[0] ?? '';
  const c = findThenAuthorize(ctx, 'read', () => mine(ctx).find((x) => x.name === name) ?? notFound(`Could not find App Connection with name ${name} in organization scope.`));
  return 'status' in c ? c : json(200, { appConnection: sanitize(c) });
}

const duplicate = (name: string) => badRequest(`An App Connection with the name "${name}" already exists`);

export async function create(ctx: RequestContext): Promise<SandboxResponse> {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  const parsed = CreateConnectionBody.safeParse(bodyJson(ctx));
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const body = parsed.data;
  if (!identity.actions.includes('create')) return permissionDenied('create');
  if (body.projectId) return badRequest(`Could not find project with ID ${body.projectId}`);
  const secrets = await validateCredentials(ctx, body.method, body.credentials as Record<string, string>);
  if (isResponse(secrets)) return secrets;
  if (mine(ctx).some((c) => c.name === body.name)) return duplicate(body.name);
  const at = isoNow(ctx.state);
  const stored: StoredConnection = {
    id: uuid(),
    name: body.name,
    description: body.description ?? null,
    version: 1,
    orgId: ctx.config.infisical.orgId,
    createdAt: at,
    updatedAt: at,
    isPlatformManagedCredentials: false,
    gatewayId: null,
    projectId: null,
    app: 'azure-devops',
    method: body.method,
    credentials: {},
    isAutoRotationEnabled: false,
    credentialsHash: newCredentialsHash(secrets),
    secretCredentials: secrets,
  };
  stored.credentials = sanitize(stored).credentials;
  ctx.state.connections.push(stored);
  return json(200, { appConnection: sanitize(stored) });
}

export async function update(ctx: RequestContext): Promise<SandboxResponse> {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  const idCheck = ConnectionIdParams.safeParse({ connectionId: ctx.params[0] });
  if (!idCheck.success) return validationFailure(idCheck.error.issues);
  const raw = bodyJson(ctx);
  const parsed = UpdateConnectionBody.safeParse(raw);
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const conn = findThenAuthorize(ctx, 'edit', () => byId(ctx));
  if ('status' in conn) return conn;
  const body = parsed.data;
  let secrets: Record<string, unknown> | null = null;
  if (body.credentials) {
    // The union accepts any shape; the connection's own method decides (docs/contracts.md A.3 "Update body").
    const typed = (CREDENTIALS_BY_METHOD[conn.method] as z.ZodType).safeParse((raw as { credentials: unknown }).credentials);
    if (!typed.success) return badRequest(`Invalid credential format for Azure DevOps Connection with method ${METHOD_NAMES[conn.method]}`);
    const validated = await validateCredentials(ctx, conn.method, typed.data as Record<string, string>);
    if (isResponse(validated)) return validated;
    secrets = validated;
  }
  if (body.name && body.name !== conn.name && mine(ctx).some((c) => c.name === body.name)) return duplicate(body.name);
  if (body.name) conn.name = body.name;
  if (body.description !== undefined) conn.description = body.description;
  if (secrets) {
    conn.secretCredentials = secrets;
    conn.credentials = sanitize(conn).credentials;
    conn.credentialsHash = newCredentialsHash(secrets);
    if (ctx.config.infisical.patchBumpsVersion) conn.version += 1;
  }
  // A database trigger sets updatedAt on every UPDATE, whatever it changed (docs/contracts.md A.3 "Update").
  conn.updatedAt = isoNow(ctx.state);
  return json(200, { appConnection: sanitize(conn) });
}

/**
 * `DELETE /:id`: 200 with the connection as it was; the same id again is 404. One that secret syncs
 * still use is refused by the database's foreign key, which the service turns into a 400 and the
 * connection stays (docs/contracts.md A.3 "Delete").
 */
export function remove(ctx: RequestContext): SandboxResponse {
  const c = findThenAuthorize(ctx, 'delete', () => byId(ctx));
  if ('status' in c) return c;
  if (ctx.state.secretSyncs.some((s) => s.connectionId === c.id)) return badRequest(IN_USE);
  ctx.state.connections.splice(ctx.state.connections.indexOf(c), 1);
  return json(200, { appConnection: sanitize(c) });
}

/** `deleteAppConnection`'s words for a foreign-key violation (conn-service, docs/contracts.md A.3). */
export const IN_USE = 'Cannot delete App Connection with existing connections. Remove all existing connections and try again.';

/** `GET /:id/projects` accepts user JWTs only, never machine identities (docs/contracts.md A.3). */
export function projects(ctx: RequestContext): SandboxResponse {
  const identity = requireIdentity(ctx);
  return 'status' in identity ? identity : forbiddenForIdentity(ctx);
}
