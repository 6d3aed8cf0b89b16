import { z } from 'zod';
import { parseJson, send, type FetchLike } from '../http/request';
import { infisicalErrorFrom, makeInfisicalError } from '../infisical/errors';

/**
 * The two Infisical calls the setup check needs that the shared client does not offer yet.
 * They use the client's transport and error mapping, so failures read the same.
 *
 * Listing is the read-permission probe because a lookup by name answers 404 for a missing name
 * before Infisical checks the permission; the list route checks it first (contracts.md A.3, A.7).
 */
const listSchema = z.object({ appConnections: z.array(z.unknown()) }).loose();

async function call(fetchFn: FetchLike, url: string, init: RequestInit, token?: string): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (init.body) headers.set('Content-Type', 'application/json');
  const response = await send(fetchFn, url, { ...init, headers }, makeInfisicalError);
  if (!response.ok) throw await infisicalErrorFrom(response);
  return response;
}

/** `GET /api/v1/app-connections/azure-devops`: the identity's Azure DevOps connections (needs `read`). */
export async function listAzureDevOpsConnections(fetchFn: FetchLike, baseUrl: string, token: string): Promise<number> {
  const response = await call(fetchFn, `${baseUrl}/api/v1/app-connections/azure-devops`, { method: 'GET' }, token);
  const body = await parseJson(response, listSchema, makeInfisicalError);
  return body.appConnections.length;
}

/** `POST /api/v1/auth/token/revoke` (A.1): ends a token the check minted for itself. */
export async function revokeAccessToken(fetchFn: FetchLike, baseUrl: string, token: string): Promise<void> {
  await call(fetchFn, `${baseUrl}/api/v1/auth/token/revoke`, { method: 'POST', body: JSON.stringify({ accessToken: token }) });
}
