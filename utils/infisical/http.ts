import type { z } from 'zod/mini';
import { send, parseJson, type FetchLike } from '../http/request';
import { infisicalErrorFrom, makeInfisicalError } from './errors';

/**
 * One request to an Infisical instance: the bearer and JSON headers, the transport of
 * utils/http/request.ts (no redirect followed, reads retried), non-2xx answers as `InfisicalError`
 * with the server's words (docs/contracts.md A.6), and the body checked against its schema.
 */
export type InfisicalCall = <S extends z.ZodMiniType>(path: string, init: RequestInit & { token?: string }, schema: S) => Promise<z.infer<S>>;

/** The call function for one instance; every resource module (auth.ts, app-connections.ts) sends through it. */
export function createInfisicalCall(options: { instanceUrl: string; fetch: FetchLike }): InfisicalCall {
  const { instanceUrl, fetch: fetchFn } = options;
  return async (path, init, schema) => {
    const { token, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    if (rest.body) headers.set('Content-Type', 'application/json');
    const response = await send(fetchFn, `${instanceUrl}${path}`, { ...rest, headers }, makeInfisicalError);
    if (!response.ok) throw await infisicalErrorFrom(response);
    return parseJson(response, schema, makeInfisicalError);
  };
}

/** Whether Infisical answered 404: a name or id it does not have (docs/contracts.md A.3). */
export function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'status' in error && error.status === 404;
}
