import type { FetchLike } from '../http/request';
import { createInfisicalEndpoints, givenToken } from './api';

/*
 * Compatibility only, to go once its last users are re-pointed: the token-per-call client that
 * entrypoints/background/setup-check.ts (and its test) still take through `makeInfisical`, and the
 * page URL that entrypoints/background/flow-runner.ts and recover.ts import from here. New code uses
 * utils/infisical/api.ts and app-connections.ts.
 */

/** The old client: `status`, `login`, `renew`, `revoke`, and the two reads the setup check makes with its own token. */
export function createInfisicalClient(options: { baseUrl: string; fetch: FetchLike }) {
  const { auth, appConnectionsWith } = createInfisicalEndpoints({ instanceUrl: options.baseUrl, fetch: options.fetch });
  return {
    baseUrl: options.baseUrl,
    ...auth,
    countConnections: (token: string) => appConnectionsWith(givenToken(token)).count(),
    azureDevOpsOAuthClientId: (token: string) => appConnectionsWith(givenToken(token)).oauthClientId(),
  };
}

export type InfisicalClient = ReturnType<typeof createInfisicalClient>;

export { appConnectionsPageUrl } from './app-connections';
