import { givenToken, type InfisicalEndpoints } from '../infisical/api';
import { loginUnlessRefused } from '../infisical/session';

/**
 * What the setup check asks of Infisical, and nothing more. The checks receive this; only
 * `setupInfisical` below knows the endpoints (utils/infisical/api.ts) and the login rule
 * (utils/infisical/session.ts), so re-pointing the check at another client is this file alone.
 */
export interface SetupInfisical {
  /** `GET /api/status`'s message; "Ok" for an Infisical instance. */
  status(): Promise<{ message: string }>;
  /**
   * A fresh Universal Auth login, never the background's cached token: the check must test the
   * saved secret. @throws ExtensionError `secret-refused` for a secret Infisical refused before.
   */
  login(credentials: { clientId: string; clientSecret: string; refused: boolean }): Promise<string>;
  revoke(token: string): Promise<unknown>;
  countConnections(token: string): Promise<number>;
  /** The instance's own Azure DevOps OAuth app, or null when it has none. */
  oauthClientId(token: string): Promise<string | null>;
}

/** An instance's endpoints for the setup check, which brings its own token; a secret Infisical refuses is kept with it by `markRefused`. */
export function setupInfisical(endpoints: InfisicalEndpoints, markRefused: (secret: string, clientId: string) => Promise<void>): SetupInfisical {
  const { auth, appConnectionsWith } = endpoints;
  return {
    status: () => auth.status(),
    login: async (credentials) => (await loginUnlessRefused(auth, credentials, (c) => markRefused(c.clientSecret, c.clientId))).accessToken,
    revoke: (token) => auth.revoke(token),
    countConnections: (token) => appConnectionsWith(givenToken(token)).count(),
    oauthClientId: (token) => appConnectionsWith(givenToken(token)).oauthClientId(),
  };
}
