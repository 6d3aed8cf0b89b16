import type { MicrosoftSignIn } from './sign-in';
import type { EntraToken } from './types';

/** Use a cached token only while it has this much life left. */
const MARGIN_MS = 5 * 60_000;

/**
 * Entra tokens in the worker's memory (never in storage), per client ID and tenant, so the org
 * picker's sign-in serves the connect that follows it. Lost when the worker stops, which costs
 * one more (usually silent) sign-in.
 */
export function createEntraTokenCache(signIn: MicrosoftSignIn, now: () => number) {
  const tokens = new Map<string, EntraToken>();
  /** `fresh` skips the cache: Azure DevOps refused the cached token (revoked, policy change). */
  return async function entraToken(request: { clientId: string; tenant: string; fresh?: boolean }): Promise<EntraToken> {
    const key = `${request.clientId} ${request.tenant.toLowerCase()}`;
    const cached = tokens.get(key);
    if (!request.fresh && cached?.expiresOn && new Date(cached.expiresOn).getTime() - MARGIN_MS > now()) return { ...cached, fromCache: true };
    tokens.delete(key);
    const token = await signIn({ clientId: request.clientId, tenant: request.tenant });
    tokens.set(key, token);
    return token;
  };
}
