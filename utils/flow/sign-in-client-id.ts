import { ExtensionError } from '../errors/boundary-error';
import type { ConnectDeps } from './deps';

/**
 * The Microsoft client ID to sign in with: the options', else the instance's own Azure DevOps
 * OAuth app (docs/contracts.md A.4). Also used by the background for the org picker and `signin.prepare`.
 * @throws ExtensionError `microsoft-client-missing`, InfisicalError.
 */
export async function signInClientId(deps: Pick<ConnectDeps, 'microsoftClientId' | 'infisical'>): Promise<string> {
  if (deps.microsoftClientId) return deps.microsoftClientId;
  const id = await deps.infisical.appConnections.oauthClientId();
  if (!id) throw new ExtensionError('microsoft-client-missing', 'No Microsoft app (client) ID is configured.');
  return id;
}
