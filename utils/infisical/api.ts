import type { FetchLike } from '../http/request';
import { createAppConnections, type WithToken } from './app-connections';
import { createAuthEndpoints } from './auth';
import { createInfisicalCall } from './http';
import { createProjects } from './projects';
import { createSecretSyncs } from './secret-syncs';
import { createInfisicalSession, type IdentityCredentials, type UniversalAuthCredentials } from './session';

/**
 * An instance's endpoints, by resource, before any token is chosen: the setup check logs in on its
 * own and passes the token it got (`givenToken`); the background binds them to its session
 * (`createInfisicalApi`). Each resource has a file beside app-connections.ts and a line here.
 */
export function createInfisicalEndpoints(options: { instanceUrl: string; fetch: FetchLike }) {
  const call = createInfisicalCall(options);
  return {
    instanceUrl: options.instanceUrl,
    auth: createAuthEndpoints(call),
    appConnectionsWith: (withToken: WithToken) => createAppConnections(call, withToken),
    projectsWith: (withToken: WithToken) => createProjects(call, withToken),
    secretSyncsWith: (withToken: WithToken) => createSecretSyncs(call, withToken),
  };
}

export type InfisicalEndpoints = ReturnType<typeof createInfisicalEndpoints>;

/** A token used as it is, for one-off calls: no login, no repeat when it is refused. */
export const givenToken =
  (token: string): WithToken =>
  (run) =>
    run(token);

/**
 * The Infisical API of the configured instance for the machine identity: every authenticated call
 * takes its token from the identity's session (login, renewal, one repeat after a refused token:
 * session.ts), so callers name only what they want.
 */
export function createInfisicalApi(options: {
  instanceUrl: string;
  fetch: FetchLike;
  credentials: () => Promise<IdentityCredentials | null>;
  /** Keep the refusal with the stored secret (utils/storage/secret.ts `markSecretRefused`). */
  onRefused?: (creds: UniversalAuthCredentials) => Promise<void>;
  now: () => number;
}) {
  const { instanceUrl, auth, appConnectionsWith, projectsWith, secretSyncsWith } = createInfisicalEndpoints(options);
  const session = createInfisicalSession({ auth, credentials: options.credentials, onRefused: options.onRefused, now: options.now });
  return {
    instanceUrl,
    auth,
    /** The identity's token (tests ask it whether a login works); `reset` forgets it (the settings changed). */
    session: { token: session.token, reset: session.reset },
    appConnections: appConnectionsWith(session.withToken),
    projects: projectsWith(session.withToken),
    secretSyncs: secretSyncsWith(session.withToken),
  };
}

export type InfisicalApi = ReturnType<typeof createInfisicalApi>;
