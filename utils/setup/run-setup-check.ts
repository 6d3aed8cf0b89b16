import * as SETUP from '../errors/catalogue/setup';
import type { SignIn } from '../microsoft/sign-in';
import type { StoredSecret } from '../storage/secret';
import type { Settings } from '../storage/settings';
import { redactItem, skipped, type CheckResult, type SetupCheckId, type SetupCheckItem, type SetupCheckRequest } from './check-items';
import { checkHostPermission } from './check-host-permission';
import { checkInstance } from './check-instance';
import { checkMicrosoftClient } from './check-microsoft-client';
import { checkOAuthApp } from './check-oauth-app';
import { checkPastedToken } from './check-pasted-token';
import { checkReadConnections } from './check-read-connections';
import { checkRedirectUri, redirectUriOrHint } from './check-redirect-uri';
import { checkTestSignIn } from './check-test-sign-in';
import { checkUniversalAuth } from './check-universal-auth';
import type { SetupInfisical } from './setup-infisical';

/**
 * The options page's "Check setup": runs every check (utils/setup/check-*.ts) in the order of
 * `SETUP_CHECK_IDS`, and a check that needs an earlier one is `skipped`, saying why, when that one
 * did not pass. Nothing is cached: the identity logs in afresh (and that token is revoked at the
 * end), so the answer reflects the settings as they are now; but a secret Infisical refused is not
 * sent again (utils/setup/setup-infisical.ts).
 */
export interface SetupCheckDeps {
  readSettings: () => Promise<Settings>;
  /** The Universal Auth client secret, or the pasted identity access token, as stored. */
  readSecret: () => Promise<StoredSecret | null>;
  /** Infisical at this origin, as the checks ask it things (utils/setup/setup-infisical.ts). */
  infisical: (origin: string) => SetupInfisical;
  signIn: SignIn;
  /** `identity.getRedirectURL()` of this browser. */
  redirectUri: () => string;
  browserName: 'chromium' | 'firefox';
  /** Whether the optional host permission for this origin is granted. */
  hasHostPermission: (origin: string) => Promise<boolean>;
}

export function createSetupCheck(deps: SetupCheckDeps) {
  return async function run(request: SetupCheckRequest): Promise<SetupCheckItem[]> {
    const settings = await deps.readSettings();
    const stored = await deps.readSecret();
    const origin = settings.infisicalUrl ? originOf(settings.infisicalUrl) : null;
    // A secret entered for another address is not sent to this one (entrypoints/options/App.tsx).
    const secret = stored && stored.origin === origin ? stored.secret.trim() || null : null;
    const pasted = settings.identityAuth === 'access-token';
    const items: SetupCheckItem[] = [];
    const add = (id: SetupCheckId, label: string, result: CheckResult) => {
      items.push({ id, label, ...result });
      return result;
    };

    const permission = add('host-permission', SETUP.HOST_LABEL, await checkHostPermission(deps, settings.infisicalUrl, origin));
    const infisical = permission.status === 'pass' && origin ? deps.infisical(origin) : null;
    const instance = add('instance', SETUP.INSTANCE_LABEL, infisical && origin ? await checkInstance(infisical, origin) : skipped(SETUP.INSTANCE_SKIPPED));

    const reached = instance.status === 'pass' ? infisical : null;
    const login: { result: CheckResult; token: string | null; oauthClientId?: string | null } = !reached
      ? { result: skipped(SETUP.LOGIN_SKIPPED), token: null }
      : pasted
        ? await checkPastedToken(reached, secret)
        : await checkUniversalAuth(reached, { clientId: settings.identityClientId, secret, refused: stored?.refusedFor === settings.identityClientId.trim() });
    add('identity-login', pasted ? SETUP.TOKEN_LABEL : SETUP.LOGIN_LABEL, login.result);

    let instanceClientId: string | null | undefined; // undefined: unknown
    if (reached && login.token) {
      add('read-connections', SETUP.READ_LABEL, await checkReadConnections(reached, login.token));
      const oauth = await checkOAuthApp(reached, login.token, login.oauthClientId);
      add('oauth-client-id', SETUP.OAUTH_LABEL, oauth.result);
      instanceClientId = oauth.clientId;
      // Only a token minted here is revoked; a pasted one is the user's.
      if (!pasted) await reached.revoke(login.token).catch(() => undefined);
    } else {
      add('read-connections', SETUP.READ_LABEL, skipped(SETUP.READ_SKIPPED));
      add('oauth-client-id', SETUP.OAUTH_LABEL, skipped(SETUP.OAUTH_SKIPPED));
    }

    const redirectUri = redirectUriOrHint(deps.redirectUri);
    const microsoft = checkMicrosoftClient(settings.microsoftClientId, instanceClientId, redirectUri);
    add('microsoft-client-id', SETUP.CLIENT_LABEL, microsoft.result);
    add('redirect-uri', SETUP.redirectLabel(deps.browserName === 'firefox' ? 'Firefox' : 'Chromium'), checkRedirectUri(redirectUri, microsoft.client));
    add('test-sign-in', SETUP.SIGN_IN_LABEL, await checkTestSignIn(deps.signIn, request, microsoft.client?.clientId ?? null));

    // Whatever a server echoed back, neither the secret nor a token leaves the background.
    return items.map((item) => redactItem(item, secret ? [secret] : []));
  };
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
