import { OAUTH_ABSENT, OAUTH_ABSENT_DETAILS, oauthPresent, oauthUnreadable } from '../errors/catalogue/setup';
import type { CheckResult } from './check-items';
import { fromError } from './from-error';
import type { SetupInfisical } from './setup-infisical';

/**
 * Check 5, informational: whether the instance has its own Azure DevOps OAuth app, which decides
 * whether the "Infisical's OAuth app" method is offered and what the sign-in can fall back to.
 * `known` is the answer check 3 already had (utils/setup/check-pasted-token.ts). `clientId` is
 * undefined when it could not be read.
 */
export async function checkOAuthApp(
  infisical: Pick<SetupInfisical, 'oauthClientId'>,
  token: string,
  known?: string | null,
): Promise<{ result: CheckResult; clientId: string | null | undefined }> {
  let clientId: string | null;
  try {
    clientId = known !== undefined ? known : await infisical.oauthClientId(token);
  } catch (error) {
    const failed = fromError(error);
    return { result: { ...failed, status: 'warn', summary: oauthUnreadable(failed.summary) }, clientId: undefined };
  }
  const result: CheckResult = clientId ? { status: 'info', summary: oauthPresent(clientId) } : { status: 'info', summary: OAUTH_ABSENT, details: OAUTH_ABSENT_DETAILS };
  return { result, clientId };
}
