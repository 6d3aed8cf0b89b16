import { z } from 'zod/mini';
import { isNotFound, type InfisicalCall } from './http';
import { appConnectionOptionsSchema, appConnectionResponseSchema, appConnectionSchema, type AppConnection, type CreateConnectionBody } from './schemas';

const CONNECTIONS = '/api/v1/app-connections/azure-devops';

/**
 * How a call gets its token: the session's `withToken` (session.ts) for the background, which logs
 * in again and repeats the call once when the token is refused; a fixed token for a one-off check.
 * The repeat is safe for writes too: Infisical refuses a token before the route runs (docs/contracts.md
 * A.1, A.2), so a refused write did nothing. A write whose answer is lost is never repeated
 * (utils/http/request.ts); utils/flow/save-connection.ts finds out whether it happened.
 */
export type WithToken = <T>(call: (token: string) => Promise<T>) => Promise<T>;

/** The Azure DevOps app connection endpoints (docs/contracts.md A.3) and the instance's options (A.4). */
export function createAppConnections(call: InfisicalCall, withToken: WithToken) {
  const send = <S extends z.ZodMiniType>(path: string, init: RequestInit, schema: S) => withToken((token) => call(path, { ...init, token }, schema));
  const write = (method: string, body: object) => ({ method, body: JSON.stringify(body) });
  const byId = (id: string) => `${CONNECTIONS}/${encodeURIComponent(id)}`;

  return {
    /**
     * The connection with this name in this scope (an Infisical project's, or the organization's
     * when `projectId` is null: docs/contracts.md A.12), or null when there is none (404, answered
     * before any permission check).
     */
    async findByName(name: string, projectId: string | null = null): Promise<AppConnection | null> {
      try {
        return (await send(`${CONNECTIONS}/connection-name/${encodeURIComponent(name)}${inScope(projectId)}`, { method: 'GET' }, appConnectionResponseSchema)).appConnection;
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    /**
     * Every Azure DevOps connection of one scope the identity can see (`app-connections: read`, A.3;
     * the organization's when `projectId` is null, A.12). Read entry by entry: one Infisical
     * answers in a shape this build does not know is left out, not the list.
     */
    async list(projectId: string | null = null): Promise<AppConnection[]> {
      const body = await send(`${CONNECTIONS}${inScope(projectId)}`, { method: 'GET' }, z.looseObject({ appConnections: z.array(z.unknown()) }));
      return body.appConnections.flatMap((entry) => {
        const parsed = appConnectionSchema.safeParse(entry);
        return parsed.success ? [parsed.data] : [];
      });
    },

    /** The connection with this id (A.3). @throws InfisicalError, 404 when there is none. */
    async getById(id: string): Promise<AppConnection> {
      return (await send(byId(id), { method: 'GET' }, appConnectionResponseSchema)).appConnection;
    },

    async create(body: CreateConnectionBody): Promise<AppConnection> {
      return (await send(CONNECTIONS, write('POST', body), appConnectionResponseSchema)).appConnection;
    },

    /** New credentials or description for a connection; its method cannot change. */
    async update(id: string, body: Partial<Omit<CreateConnectionBody, 'method'>>): Promise<AppConnection> {
      return (await send(byId(id), write('PATCH', body), appConnectionResponseSchema)).appConnection;
    },

    /**
     * Delete a connection; answers the deleted one. A second delete of the same id is a 404, and a
     * connection secret syncs still use is refused with a 400.
     * @throws InfisicalError.
     */
    async remove(id: string): Promise<AppConnection> {
      return (await send(byId(id), { method: 'DELETE' }, appConnectionResponseSchema)).appConnection;
    },

    /**
     * How many Azure DevOps connections the identity can see. Needs `app-connections: read`; the
     * setup check uses it as the read probe, because a lookup by name answers 404 for a missing
     * name before Infisical checks the permission (A.7).
     */
    async count(): Promise<number> {
      return (await send(CONNECTIONS, { method: 'GET' }, z.looseObject({ appConnections: z.array(z.unknown()) }))).appConnections.length;
    },

    /** `oauthClientId` of the instance's Azure DevOps OAuth app, when configured. */
    async oauthClientId(): Promise<string | null> {
      const body = await send('/api/v1/app-connections/options', { method: 'GET' }, appConnectionOptionsSchema);
      return body.appConnectionOptions.find((o) => o.app === 'azure-devops')?.oauthClientId ?? null;
    },
  };
}

export type AppConnections = ReturnType<typeof createAppConnections>;

/** The query naming a project scope (A.12); nothing for the organization's. */
const inScope = (projectId: string | null) => (projectId ? `?projectId=${encodeURIComponent(projectId)}` : '');

/**
 * Whether a connection Infisical answered lives in the scope asked for. An older build drops a
 * `projectId` it does not know and makes the connection organization-wide (A.12): its answer has
 * no `projectId`, or another one.
 */
export function inScopeAskedFor(connection: AppConnection, projectId: string | null): boolean {
  return (connection.projectId ?? null) === projectId;
}

/** Where a person sees the app connections of an instance. */
export function appConnectionsPageUrl(instanceUrl: string): string {
  return `${instanceUrl}/organization/app-connections`;
}
