import type { z } from 'zod/mini';
import type { WithToken } from './app-connections';
import { isNotFound, type InfisicalCall } from './http';
import { secretSyncResponseSchema, secretSyncsResponseSchema, secretSyncWireSchema, toSecretSync, type CreateSyncBody, type SecretSync } from './sync-schemas';

const SYNCS = '/api/v1/secret-syncs/azure-devops';

/**
 * The Azure DevOps secret sync endpoints (docs/contracts.md A.9). Each needs a project permission
 * on `secret-syncs` (read, create, sync-secrets); a denial is Infisical's 403 `PermissionDenied`,
 * which utils/errors/catalogue/secret-sync.ts words with the fix.
 */
export function createSecretSyncs(call: InfisicalCall, withToken: WithToken) {
  const send = <S extends z.ZodMiniType>(path: string, init: RequestInit, schema: S) => withToken((token) => call(path, { ...init, token }, schema));
  const byId = (id: string) => `${SYNCS}/${encodeURIComponent(id)}`;
  const one = async (path: string, init: RequestInit) => toSecretSync((await send(path, init, secretSyncResponseSchema)).secretSync);

  return {
    /**
     * The project's Azure DevOps syncs the identity can see. Read entry by entry, like the
     * connections list (app-connections.ts): one in a shape this build does not know is left out, not the list.
     */
    async list(projectId: string): Promise<SecretSync[]> {
      const body = await send(`${SYNCS}?projectId=${encodeURIComponent(projectId)}`, { method: 'GET' }, secretSyncsResponseSchema);
      return body.secretSyncs.flatMap((entry) => {
        const parsed = secretSyncWireSchema.safeParse(entry);
        return parsed.success ? [toSecretSync(parsed.data)] : [];
      });
    },

    /** The sync with this id, with its last run's state. @throws InfisicalError, 404 when there is none. */
    get: (id: string): Promise<SecretSync> => one(byId(id), { method: 'GET' }),

    /**
     * The project's sync of this name, or null when there is none: how a create whose answer was
     * lost is told to have landed (writes are never repeated, utils/http/request.ts).
     */
    async findByName(projectId: string, name: string): Promise<SecretSync | null> {
      try {
        return await one(`${SYNCS}/sync-name/${encodeURIComponent(name)}?projectId=${encodeURIComponent(projectId)}`, { method: 'GET' });
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    /** Create a sync; with `isAutoSyncEnabled` (Infisical's default) its first run starts at once, as a job. */
    create: (body: CreateSyncBody): Promise<SecretSync> => one(SYNCS, { method: 'POST', body: JSON.stringify(body) }),

    /** Queue a run now; the answer is the sync as queued (usually `pending`), the outcome comes with a later `get`. */
    syncNow: (id: string): Promise<SecretSync> => one(`${byId(id)}/sync-secrets`, { method: 'POST' }),
  };
}

export type SecretSyncs = ReturnType<typeof createSecretSyncs>;

/** Where a person sees the sync in Infisical's web app (docs/contracts.md A.9). */
export function secretSyncUrl(instanceUrl: string, projectId: string, syncId: string): string {
  return `${instanceUrl}/projects/secret-management/${encodeURIComponent(projectId)}/integrations/secret-syncs/azure-devops/${encodeURIComponent(syncId)}`;
}

/** Infisical's sync names are slugs of at most 256 characters (docs/contracts.md A.9). */
export const SYNC_NAME_MAX = 256;

/** Lower-case letters, digits and single hyphens, none at either end: what Infisical's slug check accepts. */
function slugPart(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The name of the sync this extension makes for one Azure DevOps project and environment, e.g.
 * `azure-devops-contoso-web-shop-dev`: readable in Infisical's list, and the same each time, so a
 * second create for the same pair meets Infisical's duplicate-name answer rather than making a
 * second sync that writes the same variable group. The project's part is shortened to keep the
 * whole within 256; a part with no letter or digit left (a name in another script) becomes `project`.
 */
export function syncNameFor(org: string, adoProjectName: string, envSlug: string): string {
  const head = ['azure-devops', slugPart(org) || 'org'].join('-');
  const tail = slugPart(envSlug) || 'env';
  const room = SYNC_NAME_MAX - head.length - tail.length - 2;
  const project = (slugPart(adoProjectName) || 'project').slice(0, Math.max(room, 1)).replace(/-+$/, '') || 'p';
  return `${head}-${project}-${tail}`.slice(0, SYNC_NAME_MAX).replace(/-+$/, '');
}
