import { asBoundaryError } from '../errors/boundary-error';
import { SIGN_IN_BAD_TENANT, SIGN_IN_CANCELLED_FIX, SIGN_IN_NO_CLIENT, SIGN_IN_NOT_ASKED, signedIn } from '../errors/catalogue/setup';
import type { SignIn } from '../microsoft/sign-in';
import { parseSignInTenant, skipped, type CheckResult, type SetupCheckRequest } from './check-items';
import { fromError } from './from-error';

/**
 * Check 8, only on request (it opens a window): a real interactive Microsoft sign-in with the app
 * check 6 found, which proves the registration works in this browser. It needs nothing from
 * Infisical.
 */
export async function checkTestSignIn(signIn: SignIn, request: SetupCheckRequest, clientId: string | null): Promise<CheckResult> {
  if (!request.testSignIn) return skipped(SIGN_IN_NOT_ASKED);
  if (!clientId) return skipped(SIGN_IN_NO_CLIENT);
  const tenant = parseSignInTenant(request.tenant);
  if (!tenant.ok) return { status: 'fail', summary: SIGN_IN_BAD_TENANT, fix: tenant.message };
  try {
    const result = await signIn({ clientId, tenant: tenant.value, interactive: true });
    return { status: 'pass', summary: signedIn(result.username, result.tenantId) };
  } catch (error) {
    return fromError(error, asBoundaryError(error)?.code === 'user-cancelled' ? SIGN_IN_CANCELLED_FIX : undefined);
  }
}
