import { ExtensionError } from '../errors/boundary-error';
import { LOGGED_IN, loginMissing } from '../errors/catalogue/setup';
import { describeError } from '../errors/describe-error';
import type { CheckResult } from './check-items';
import { fromError } from './from-error';
import type { SetupInfisical } from './setup-infisical';

export interface Saved {
  clientId: string;
  /** The stored secret, when it was entered for this instance (utils/setup/run-setup-check.ts). */
  secret: string | null;
  /** Infisical refused this secret with this client ID before (utils/storage/secret.ts). */
  refused: boolean;
}

/**
 * Check 3, Universal Auth: the saved client ID and secret log in. The token is minted for the
 * check alone; the runner revokes it once the checks that need it are done.
 */
export async function checkUniversalAuth(infisical: Pick<SetupInfisical, 'login'>, saved: Saved): Promise<{ result: CheckResult; token: string | null }> {
  const clientId = saved.clientId.trim();
  if (!clientId || !saved.secret) {
    // The fix is the one every flow gives for a missing identity (catalogue/extension.ts).
    const { fix } = describeError(new ExtensionError('identity-missing', ''));
    return { result: { status: 'fail', summary: loginMissing(clientId ? 'client secret' : 'client ID'), fix }, token: null };
  }
  try {
    const token = await infisical.login({ clientId, clientSecret: saved.secret, refused: saved.refused });
    return { result: { status: 'pass', summary: LOGGED_IN }, token };
  } catch (error) {
    return { result: fromError(error), token: null };
  }
}
