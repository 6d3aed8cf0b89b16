import { BoundaryError, ExtensionError } from '../errors/boundary-error';
import type { InfisicalApi } from '../infisical/api';
import { inScopeAskedFor } from '../infisical/app-connections';
import type { AppConnection, ConnectionMethod } from '../infisical/schemas';

/** Where the credentials go: a new connection, or the existing one of that name (never a duplicate). */
export type Target = { kind: 'create' } | { kind: 'update'; connection: AppConnection };

/**
 * Decide create vs update from the name lookup, before any credential is made.
 * @throws ExtensionError `name-taken` (create, name exists), `connection-missing` (update, gone),
 * `method-mismatch` (update, other method: Infisical cannot change a connection's method, A.3).
 */
export function resolveTarget(existing: AppConnection | null, request: { mode: 'create' | 'update'; connectionName: string }, method: ConnectionMethod): Target {
  if (request.mode === 'create') {
    if (existing) {
      throw new ExtensionError('name-taken', `A connection named '${request.connectionName}' already exists in Infisical.`, {
        detail: `method ${existing.method}, organization ${existing.credentials.orgName}${existing.updatedAt ? `, updated ${existing.updatedAt}` : ''}`,
      });
    }
    return { kind: 'create' };
  }
  if (!existing) {
    throw new ExtensionError('connection-missing', `There is no connection named '${request.connectionName}' any more.`);
  }
  if (existing.method !== method) {
    throw new ExtensionError('method-mismatch', `'${existing.name}' uses the ${existing.method} method, not ${method}.`, {
      detail: `existing method ${existing.method}; requested ${method}`,
    });
  }
  return { kind: 'update', connection: existing };
}

/**
 * Create the connection or PATCH the existing one's credentials (A.3). Writes are never retried
 * blindly: when the answer is lost (network failure, timeout) the name is looked up, and a
 * connection that the write evidently produced (new, or a newer version) counts as saved.
 */
export async function saveConnection(
  deps: { infisical: Pick<InfisicalApi, 'appConnections'> },
  target: Target,
  request: { connectionName: string; description?: string | undefined; projectId?: string | null },
  method: ConnectionMethod,
  credentials: Record<string, string>,
): Promise<AppConnection> {
  const connections = deps.infisical.appConnections;
  const description = request.description ? { description: request.description } : {};
  const projectId = request.projectId ?? null;
  try {
    if (target.kind === 'update') return await connections.update(target.connection.id, { ...description, credentials });
    const created = await connections.create({ name: request.connectionName, ...description, ...(projectId ? { projectId } : {}), method, credentials });
    if (!inScopeAskedFor(created, projectId)) await undoUnscoped(connections, created, projectId!);
    return created;
  } catch (error) {
    // A project connection is the project's to allow (A.12): the refusal names its roles, not the organization's.
    if (target.kind === 'create' && projectId && error instanceof BoundaryError && error.status === 403 && /\bon app[- ]?connections\b/i.test(error.message)) {
      throw new ExtensionError('project-connection-denied', `The machine identity may not create connections in Infisical project ${projectId}.`, {
        cause: error,
        detail: error.message,
      });
    }
    const lost = error instanceof BoundaryError && (error.code === 'network' || error.code === 'timeout');
    if (!lost) throw error;
    // An update is looked up by id (a rename since would hide it by name); a create by its name.
    let found: AppConnection | null;
    try {
      found = target.kind === 'update' ? await connections.getById(target.connection.id) : await connections.findByName(request.connectionName, projectId);
    } catch (cause) {
      // Whether an update landed is not known: neither its new credential nor the old one may be
      // revoked now (one of them is in use); the pending-PAT record stays for recovery to settle.
      if (target.kind === 'update') throw new ExtensionError('save-unknown', `Whether '${request.connectionName}' was updated is not known.`, { cause, detail: describeCause(error) });
      found = null;
    }
    // An older build ignores `?projectId=` and answers the organization's connection of that name (A.12): not ours.
    if (found && found.method === method && madeBy(target, found) && (target.kind === 'update' || inScopeAskedFor(found, projectId))) return found;
    throw error;
  }
}

/**
 * An instance too old for project connections made this one organization-wide (docs/contracts.md
 * A.12): not what the person chose. It is deleted again, and the error's PAT revoked by the caller
 * (deliver-pat.ts), so nothing of it stays behind.
 * @throws ExtensionError `project-scope-unsupported`, always.
 */
async function undoUnscoped(connections: Pick<InfisicalApi['appConnections'], 'remove'>, created: AppConnection, projectId: string): Promise<never> {
  const removed = await connections.remove(created.id).then(
    () => true,
    () => false,
  );
  throw new ExtensionError('project-scope-unsupported', `This Infisical instance made '${created.name}' for the whole organization instead of project ${projectId}.`, {
    detail: removed ? 'the organization-wide connection was deleted again' : `the organization-wide connection ${created.id} could not be deleted`,
  });
}

const describeCause = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A save whose outcome is not known (`save-unknown` above): its PAT is left to recovery, never revoked on the spot. */
export const outcomeUnknown = (error: unknown) => error instanceof ExtensionError && error.code === 'save-unknown';

/** Did this write produce `found`? A create: it exists now. An update: its credentials changed. */
function madeBy(target: Target, found: AppConnection): boolean {
  return target.kind === 'create' || credentialsChanged(target.connection, found);
}

/**
 * Whether a connection's credentials were written between two reads of it: its `credentialsHash`
 * changed (new with every credential write), else its `updatedAt` (moved by any update), else its
 * `version` rose. Infisical does not raise `version` on update (docs/contracts.md A.3 "Update"), so
 * it is only the last resort, for an instance that answers neither of the others.
 */
export function credentialsChanged(before: Pick<AppConnection, 'version' | 'updatedAt' | 'credentialsHash'>, after: AppConnection): boolean {
  if (before.credentialsHash && after.credentialsHash) return after.credentialsHash !== before.credentialsHash;
  if (before.updatedAt && after.updatedAt) return after.updatedAt !== before.updatedAt;
  return before.version !== undefined && after.version !== undefined && after.version > before.version;
}
