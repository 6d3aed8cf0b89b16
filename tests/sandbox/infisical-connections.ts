// Azure DevOps App Connection endpoints under /api/v1/app-connections (docs/contracts.md A.3, A.7,
// and A.12 for project connections: a `projectId` makes one, checked against that project's role;
// names are unique per scope; `config.infisical.projectConnections` false answers as an older build).
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
import { findProject, isMember, memberProject, notAMember, projectAllows } from './infisical-project-access.ts';
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

/** Project connections on this server (docs/contracts.md A.12); off = an older build. */
const knowsProjects = (ctx: RequestContext) => ctx.config.infisical.projectConnections;

/** A connection as this server answers it: an older build has no `projectId` column to send (docs/contracts.md A.12). */
export function answer(ctx: RequestContext, c: StoredConnection): SanitizedConnection | Omit<SanitizedConnection, 'projectId'> {
  const sanitized = sanitize(c);
  if (knowsProjects(ctx)) return sanitized;
  const { projectId: _dropped, ...older } = sanitized;
  return older;
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
/** Bearer identity plus the organization's CASL action on "app-connections" (docs/contracts.md A.7). */
function authorize(ctx: RequestContext, action: string): Authorized | SandboxResponse {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  return identity.actions.includes(action) ? { identity } : permissionDenied(action);
}

/**
 * `action` on one connection: a project connection by the identity's role in its project (a
 * non-member is refused before any action), an organization one by the organization role
 * (docs/contracts.md A.7, A.12).
 */
export function mayUseConnection(identity: IdentityConfig, c: StoredConnection, action: string): SandboxResponse | null {
  if (c.projectId) {
    if (!isMember(identity, c.projectId)) return notAMember(c.projectId);
    return projectAllows(identity, c.projectId, 'app-connections', action) ? null : permissionDenied(action);
  }
  return identity.actions.includes(action) ? null : permissionDenied(action);
}

/** The connection `find` names (404 when there is none), then the permission for `action` on it. */
function findThenAuthorize(ctx: RequestContext, action: string, find: () => StoredConnection | SandboxResponse): StoredConnection | SandboxResponse {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  const c = find();
  if ('status' in c) return c;
  return mayUseConnection(identity, c, action) ?? c;
}

/** Every Azure DevOps connection of the organization, its projects' included. */
const mine = (ctx: RequestContext) => ctx.state.connections.filter((c) => c.orgId === ctx.config.infisical.orgId && c.app === 'azure-devops');
/** One scope: the organization's own connections (null) or one project's; names are unique within it (docs/contracts.md A.12). */
const inScope = (ctx: RequestContext, projectId: string | null) => mine(ctx).filter((c) => c.projectId === projectId);
/** `?projectId=` as a newer build reads it; an older build's schema strips the unknown key. */
const queryProject = (ctx: RequestContext): string | null => (knowsProjects(ctx) ? ctx.query.get('projectId') || null : null);

function byId(ctx: RequestContext): StoredConnection | SandboxResponse {
  const params = ConnectionIdParams.safeParse({ connectionId: ctx.params[0] });
  if (!params.success) return validationFailure(params.error.issues);
  return mine(ctx).find((c) => c.id === params.data.connectionId) ?? notFound(`Could not find App Connection with ID ${params.data.connectionId}`);
}

/** By name, case-insensitively, as `listAppConnectionsByOrg` sorts them (docs/contracts.md A.3 "List"). */
const byName = (a: StoredConnection, b: StoredConnection) => a.name.toLowerCase().localeCompare(b.name.toLowerCase());

/**
 * `GET /`: every Azure DevOps connection of the organization (its projects' included, as
 * `listAppConnections` filters on `orgId` only), or with `?projectId=` that project's, after the
 * project role's `read`; sanitized, in one answer (no paging).
 */
export function list(ctx: RequestContext): SandboxResponse {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  const projectId = queryProject(ctx);
  if (projectId) {
    const project = memberProject(ctx, identity, projectId);
    if ('status' in project) return project;
    if (!projectAllows(identity, projectId, 'app-connections', 'read')) return permissionDenied('read');
  } else if (!identity.actions.includes('read')) return permissionDenied('read');
  const found = projectId ? inScope(ctx, projectId) : mine(ctx);
  return json(200, { appConnections: [...found].sort(byName).map((c) => answer(ctx, c)) });
}

export function available(ctx: RequestContext): SandboxResponse {
  const a = authorize(ctx, 'connect');
  if ('status' in a) return a;
  return json(200, { appConnections: mine(ctx).map((c) => ({ app: c.app, name: c.name, id: c.id, orgId: c.orgId, ...(knowsProjects(ctx) ? { projectId: c.projectId } : {}) })) });
}

export function getById(ctx: RequestContext): SandboxResponse {
  const c = findThenAuthorize(ctx, 'read', () => byId(ctx));
  return 'status' in c ? c : json(200, { appConnection: answer(ctx, c) });
}

/** By name within one scope: `?projectId=` names a project's, else the organization's own (docs/contracts.md A.12). */
export function getByName(ctx: RequestContext): SandboxResponse {
  const name = ctx.params[0] ?? '';
  const projectId = queryProject(ctx);
  const c = findThenAuthorize(
    ctx,
    'read',
    () => inScope(ctx, projectId).find((x) => x.name === name) ?? notFound(`Could not find App Connection with name ${name} in ${projectId ? 'project' : 'organization'} scope.`),
  );
  return 'status' in c ? c : json(200, { appConnection: answer(ctx, c) });
}

const duplicate = (name: string) => badRequest(`An App Connection with the name "${name}" already exists`);

export async function create(ctx: RequestContext): Promise<SandboxResponse> {
  const identity = requireIdentity(ctx);
  if ('status' in identity) return identity;
  const parsed = CreateConnectionBody.safeParse(bodyJson(ctx));
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const body = parsed.data;
  // An older build's schema has no projectId: zod drops it and an organization connection is made (docs/contracts.md A.12).
  const projectId = (knowsProjects(ctx) && body.projectId) || null;
  if (projectId) {
    // `createAppConnection`: the project by id (400), then the identity's role there (docs/contracts.md A.12).
    if (!findProject(ctx, projectId)) return badRequest(`Could not find project with ID ${projectId}`);
    if (!isMember(identity, projectId)) return notAMember(projectId);
    if (!projectAllows(identity, projectId, 'app-connections', 'create')) return permissionDenied('create');
  } else if (!identity.actions.includes('create')) return permissionDenied('create');
  const secrets = await validateCredentials(ctx, body.method, body.credentials as Record<string, string>);
  if (isResponse(secrets)) return secrets;
  if (inScope(ctx, projectId).some((c) => c.name === body.name)) return duplicate(body.name);
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
    projectId,
    app: 'azure-devops',
    method: body.method,
    credentials: {},
    isAutoRotationEnabled: false,
    credentialsHash: newCredentialsHash(secrets),
    secretCredentials: secrets,
  };
  stored.credentials = sanitize(stored).credentials;
  ctx.state.connections.push(stored);
  return json(200, { appConnection: answer(ctx, stored) });
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
  if (body.name && body.name !== conn.name && inScope(ctx, conn.projectId).some((c) => c.name === body.name)) return duplicate(body.name);
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
  return json(200, { appConnection: answer(ctx, conn) });
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
  return json(200, { appConnection: answer(ctx, c) });
}

/** `deleteAppConnection`'s words for a foreign-key violation (conn-service, docs/contracts.md A.3). */
export const IN_USE = 'Cannot delete App Connection with existing connections. Remove all existing connections and try again.';

/** `GET /:id/projects` accepts user JWTs only, never machine identities (docs/contracts.md A.3). */
export function projects(ctx: RequestContext): SandboxResponse {
  const identity = requireIdentity(ctx);
  return 'status' in identity ? identity : forbiddenForIdentity(ctx);
}
