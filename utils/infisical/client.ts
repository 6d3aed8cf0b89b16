import { z } from 'zod/mini';
import { send, parseJson, type FetchLike } from '../http/request';
import { infisicalErrorFrom, makeInfisicalError } from './errors';
import {
  appConnectionOptionsSchema,
  appConnectionResponseSchema,
  statusResponseSchema,
  tokenResponseSchema,
  type AppConnection,
  type CreateConnectionBody,
  type TokenResponse,
} from './schemas';

const CONNECTIONS = '/api/v1/app-connections/azure-devops';

/**
 * The Infisical REST API as used by this extension (docs/contracts.md A). Every call maps expected
 * statuses to values and throws `InfisicalError` for the rest.
 */
export function createInfisicalClient(options: { baseUrl: string; fetch: FetchLike }) {
  const { baseUrl, fetch: fetchFn } = options;

  async function call<S extends z.ZodMiniType>(
    path: string,
    init: RequestInit & { token?: string },
    schema: S,
  ): Promise<z.infer<S>> {
    const { token, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    if (rest.body) headers.set('Content-Type', 'application/json');
    const response = await send(fetchFn, `${baseUrl}${path}`, { ...rest, headers }, makeInfisicalError);
    if (!response.ok) throw await infisicalErrorFrom(response);
    return parseJson(response, schema, makeInfisicalError);
  }

  return {
    baseUrl,

    /** `GET /api/status`: reachable and an Infisical server (A.6). */
    status: () => call('/api/status', { method: 'GET' }, statusResponseSchema),

    /** Universal Auth login (A.1). */
    login: (clientId: string, clientSecret: string): Promise<TokenResponse> =>
      call(
        '/api/v1/auth/universal-auth/login',
        { method: 'POST', body: JSON.stringify({ clientId, clientSecret }) },
        tokenResponseSchema,
      ),

    /** Renew an identity access token (A.1). */
    renew: (accessToken: string): Promise<TokenResponse> =>
      call('/api/v1/auth/token/renew', { method: 'POST', body: JSON.stringify({ accessToken }) }, tokenResponseSchema),

    /**
     * Revoke an access token (A.1): ends a token made for a one-off check.
     */
    revoke: (accessToken: string) =>
      call('/api/v1/auth/token/revoke', { method: 'POST', body: JSON.stringify({ accessToken }) }, z.unknown()),

    /**
     * How many Azure DevOps connections the identity can see. Needs `app-connections: read`; the
     * setup check uses it as the read probe, because a lookup by name answers 404 for a missing
     * name before Infisical checks the permission (A.3, A.7).
     */
    async countConnections(token: string): Promise<number> {
      const body = await call(CONNECTIONS, { method: 'GET', token }, z.looseObject({ appConnections: z.array(z.unknown()) }));
      return body.appConnections.length;
    },

    /** `oauthClientId` of the instance's Azure DevOps OAuth app, when configured (A.4). */
    async azureDevOpsOAuthClientId(token: string): Promise<string | null> {
      const body = await call('/api/v1/app-connections/options', { method: 'GET', token }, appConnectionOptionsSchema);
      return body.appConnectionOptions.find((o) => o.app === 'azure-devops')?.oauthClientId ?? null;
    },

    /** The connection with this name, or null when there is none (404). */
    async findConnectionByName(token: string, name: string): Promise<AppConnection | null> {
      try {
        const body = await call(
          `${CONNECTIONS}/connection-name/${encodeURIComponent(name)}`,
          { method: 'GET', token },
          appConnectionResponseSchema,
        );
        return body.appConnection;
      } catch (error) {
        if (error instanceof Error && 'status' in error && error.status === 404) return null;
        throw error;
      }
    },

    async createConnection(token: string, body: CreateConnectionBody): Promise<AppConnection> {
      const res = await call(CONNECTIONS, { method: 'POST', token, body: JSON.stringify(body) }, appConnectionResponseSchema);
      return res.appConnection;
    },

    async updateConnection(
      token: string,
      id: string,
      body: Partial<Omit<CreateConnectionBody, 'method'>>,
    ): Promise<AppConnection> {
      const res = await call(
        `${CONNECTIONS}/${encodeURIComponent(id)}`,
        { method: 'PATCH', token, body: JSON.stringify(body) },
        appConnectionResponseSchema,
      );
      return res.appConnection;
    },
  };
}

export type InfisicalClient = ReturnType<typeof createInfisicalClient>;

/** Where a person sees the app connections of an instance. */
export function appConnectionsPageUrl(baseUrl: string): string {
  return `${baseUrl}/organization/app-connections`;
}
