import { asBoundaryError } from '../errors/boundary-error';
import { NO_TOKEN, TOKEN_ACCEPTED, tokenRefused } from '../errors/catalogue/setup';
import type { CheckResult } from './check-items';
import { fromError } from './from-error';
import type { SetupInfisical } from './setup-infisical';

/**
 * Check 3, a pasted identity access token: Infisical accepts it. The probe is the app connection
 * options, which check 5 needs too, so its answer is passed on rather than asked for twice. The
 * token is the user's: it is never revoked.
 */
export async function checkPastedToken(
  infisical: Pick<SetupInfisical, 'oauthClientId'>,
  token: string | null,
): Promise<{ result: CheckResult; token: string | null; oauthClientId?: string | null }> {
  if (!token) return { result: { status: 'fail', ...NO_TOKEN }, token: null };
  try {
    const oauthClientId = await infisical.oauthClientId(token);
    return { result: { status: 'pass', summary: TOKEN_ACCEPTED }, token, oauthClientId };
  } catch (error) {
    const e = asBoundaryError(error);
    const failed = fromError(error);
    // 401 and token errors mean the token itself is the problem; anything else reads as usual.
    const itself = e?.source === 'infisical' && (e.status === 401 || e.code === 'TokenError');
    return { result: itself ? { ...failed, ...tokenRefused(e.message) } : failed, token: null };
  }
}
