import { asBoundaryError } from '@/utils/errors/boundary-error';
import { describeError } from '@/utils/errors/describe-error';
import type { FetchLike } from '@/utils/http/request';
import type { InfisicalClient } from '@/utils/infisical/client';
import { loginUnlessRefused } from '@/utils/infisical/session';
import { firstIssue, guidSchema } from '@/utils/inputs';
import type { SignIn } from '@/utils/microsoft/sign-in';
import { parseSignInTenant, redactItem, type SetupCheckItem } from '@/utils/setup/check-items';
import type { StoredSecret } from '@/utils/storage';
import type { Settings } from '@/utils/storage-view';

/**
 * The options page's "Check setup": tests every piece the connect flows rely on, in order, and
 * says for each failure what to fix. A check that needs an earlier one is `skipped` with the
 * reason when that one failed. Nothing here is cached: the identity logs in afresh (and the token
 * is revoked afterwards), so the answer reflects the settings as they are now; but a secret
 * Infisical refused is not sent again (utils/infisical/session.ts `loginUnlessRefused`).
 */
export interface SetupCheckDeps {
  readSettings: () => Promise<Settings>;
  /** The Universal Auth client secret, or the pasted identity access token, as stored. */
  readSecret: () => Promise<StoredSecret | null>;
  /** Keep Infisical's refusal of `secret` with it (utils/storage.ts). */
  markRefused: (secret: string, clientId: string) => Promise<void>;
  makeInfisical: (baseUrl: string) => InfisicalClient;
  signIn: SignIn;
  /** `identity.getRedirectURL()` of this browser. */
  redirectUri: () => string;
  browserName: 'chromium' | 'firefox';
  /** Whether the optional host permission for this origin is granted. */
  hasHostPermission: (origin: string) => Promise<boolean>;
}

export interface SetupCheckOptions {
  /** Run the interactive Microsoft sign-in (opens a window). */
  testSignIn: boolean;
  /** Tenant for the test sign-in; default `organizations`. */
  tenant?: string;
}

export const SETUP_CHECK_IDS = [
  'host-permission',
  'instance',
  'identity-login',
  'read-connections',
  'oauth-client-id',
  'microsoft-client-id',
  'redirect-uri',
  'test-sign-in',
] as const;
export type SetupCheckId = (typeof SETUP_CHECK_IDS)[number];

const OPTIONS = 'in the extension’s options';
const EDIT_NOTE = 'Connecting also needs the “app-connections: create” permission, and updating an existing connection needs “app-connections: edit”.';
const ROLES = 'Infisical › Organization settings › Access control › Roles';

type Item = SetupCheckItem & { id: SetupCheckId };

export function createSetupCheck(deps: SetupCheckDeps) {
  return async function run(options: SetupCheckOptions): Promise<SetupCheckItem[]> {
    const settings = await deps.readSettings();
    const stored = await deps.readSecret();
    const origin = settings.infisicalUrl ? safeOrigin(settings.infisicalUrl) : null;
    // A secret entered for another address is not sent to this one (entrypoints/options/App.tsx).
    const secret = stored && stored.origin === origin ? stored.secret.trim() || null : null;
    const authMode = settings.identityAuth;
    const pastedToken = authMode === 'access-token' ? secret : null;
    /** Everything that must never appear in an item, whatever a server echoes back. */
    const secrets = [secret, pastedToken].filter((s): s is string => Boolean(s));

    const items: Item[] = [];
    const add = (item: Item) => {
      items.push(item);
      return item;
    };

    // 1. The address and the permission to contact it.
    const permission = add(await checkHostPermission(deps, settings.infisicalUrl, origin));

    // 2. Reachable, and Infisical.
    const client = origin ? deps.makeInfisical(origin) : null;
    const instance = add(
      permission.status === 'pass' && client && origin
        ? await checkInstance(client, origin)
        : skipped('instance', 'Infisical instance reachable', 'Not checked: the extension may not contact the Infisical instance yet (see above).'),
    );

    // 3. The identity logs in (or its pasted token is accepted).
    let token: string | null = null;
    let minted: string | null = null;
    /** The options answer, fetched once: the pasted-token check and check 5 both need it. */
    let oauthLookup: { ok: true; clientId: string | null } | { ok: false; error: unknown } | null = null;
    const loginLabel = authMode === 'access-token' ? 'Machine identity access token accepted' : 'Machine identity login (Universal Auth)';
    if (instance.status !== 'pass' || !client) {
      add(skipped('identity-login', loginLabel, 'Not checked: the Infisical instance check did not pass (see above).'));
    } else if (authMode === 'access-token') {
      if (!pastedToken) {
        add({ id: 'identity-login', label: loginLabel, status: 'fail', summary: 'No identity access token is saved.', fix: `Paste the machine identity’s access token ${OPTIONS} and save. It is kept only until the browser closes unless you ticked “remember”.` });
      } else {
        try {
          oauthLookup = { ok: true, clientId: await client.azureDevOpsOAuthClientId(pastedToken) };
          token = pastedToken;
          add({ id: 'identity-login', label: loginLabel, status: 'pass', summary: 'Infisical accepted the pasted identity access token.' });
        } catch (error) {
          add(pastedTokenFailure(loginLabel, error));
        }
      }
    } else if (!settings.identityClientId.trim() || !secret) {
      const missing = !settings.identityClientId.trim() ? 'client ID' : 'client secret';
      add({
        id: 'identity-login', label: loginLabel, status: 'fail',
        summary: `The machine identity’s ${missing} is not saved.`,
        fix: `Enter the Universal Auth client ID and client secret ${OPTIONS} and save. The secret is kept only until the browser closes unless you ticked “remember”.`,
      });
    } else {
      try {
        // A fresh login, never the background's cached token: the check must test the saved secret.
        const clientId = settings.identityClientId.trim();
        const creds = { clientId, clientSecret: secret, refused: stored?.refusedFor === clientId };
        minted = (await loginUnlessRefused(client, creds, (c) => deps.markRefused(c.clientSecret, c.clientId))).accessToken;
        token = minted;
        add({ id: 'identity-login', label: loginLabel, status: 'pass', summary: 'The machine identity logged in with Universal Auth.' });
      } catch (error) {
        add(failure('identity-login', loginLabel, error));
      }
    }

    // 4. May read app connections.
    const readLabel = 'Identity may read app connections';
    if (!token || !origin || !client) {
      add(skipped('read-connections', readLabel, 'Not checked: the machine identity login did not pass (see above).'));
    } else {
      try {
        const count = await client.countConnections(token);
        add({
          id: 'read-connections', label: readLabel, status: 'pass',
          summary: `The identity may read app connections (${count} Azure DevOps ${count === 1 ? 'connection' : 'connections'} in the organization). ${EDIT_NOTE}`,
        });
      } catch (error) {
        add(readFailure(readLabel, error));
      }
    }

    // 5. The instance's own Azure DevOps OAuth app: informational.
    const oauthLabel = 'Infisical’s Azure DevOps OAuth app';
    let instanceOAuthClientId: string | null | undefined; // undefined = unknown
    if (!token || !client) {
      add(skipped('oauth-client-id', oauthLabel, 'Not checked: the machine identity login did not pass (see above).'));
    } else {
      if (!oauthLookup) {
        try {
          oauthLookup = { ok: true, clientId: await client.azureDevOpsOAuthClientId(token) };
        } catch (error) {
          oauthLookup = { ok: false, error };
        }
      }
      if (oauthLookup.ok) {
        instanceOAuthClientId = oauthLookup.clientId;
        add(oauthInfo(oauthLabel, oauthLookup.clientId));
      } else {
        const message = describeError(oauthLookup.error);
        add({
          id: 'oauth-client-id', label: oauthLabel, status: 'warn',
          summary: `Could not read the instance’s app connection options: ${message.title}`,
          fix: message.fix, ...(message.details ? { details: message.details } : {}),
        });
      }
    }

    if (minted && client) await client.revoke(minted).catch(() => undefined);

    // 6. Which Entra app the sign-in uses.
    const { item: clientItem, clientId: signInClientId, clientSource } = checkMicrosoftClientId(settings.microsoftClientId, instanceOAuthClientId, deps.redirectUri);
    add(clientItem);

    // 7. The redirect URI to register: informational.
    add(redirectInfo(deps, signInClientId, clientSource));

    // 8. The interactive test sign-in, only on request.
    add(await testSignIn(deps, options, signInClientId));

    return items.map((item) => redactItem(item, secrets));
  };
}

async function checkHostPermission(deps: SetupCheckDeps, saved: string | null, origin: string | null): Promise<Item> {
  const label = 'Access to the Infisical instance';
  if (saved && !origin) {
    return {
      id: 'host-permission', label, status: 'fail',
      summary: 'The saved Infisical address is not a web address.',
      fix: `Enter the address of your Infisical instance ${OPTIONS} again (for example https://app.infisical.com) and save.`,
    };
  }
  if (!origin) {
    return {
      id: 'host-permission', label, status: 'fail',
      summary: 'No Infisical address is saved.',
      fix: `Enter the address of your Infisical instance ${OPTIONS} (for example https://app.infisical.com), save, and allow access when the browser asks.`,
    };
  }
  let granted = false;
  try {
    granted = await deps.hasHostPermission(origin);
  } catch {
    granted = false;
  }
  return granted
    ? { id: 'host-permission', label, status: 'pass', summary: `The extension may contact ${origin}.` }
    : {
        id: 'host-permission', label, status: 'fail',
        summary: `The extension may not contact ${origin} yet.`,
        fix: `Save the Infisical address again ${OPTIONS} and allow access when the browser asks.`,
      };
}

async function checkInstance(client: InfisicalClient, origin: string): Promise<Item> {
  const label = 'Infisical instance reachable';
  try {
    const status = await client.status();
    if (status.message === 'Ok') return { id: 'instance', label, status: 'pass', summary: `${origin} answers as an Infisical instance.` };
    return notInfisical(origin, `GET /api/status answered “${status.message.slice(0, 200)}” instead of “Ok”.`);
  } catch (error) {
    const e = asBoundaryError(error);
    if (!e || e.code === 'network' || e.code === 'timeout') {
      const message = describeError(error);
      return {
        id: 'instance', label, status: 'fail',
        summary: `${origin} could not be reached. ${message.title}`,
        fix: 'Check the address ' + OPTIONS + ', your network connection (and VPN, for a self-hosted instance), then try again.',
        ...(message.details ? { details: message.details } : {}),
      };
    }
    // It answered, but elsewhere: the catalogue's sentence names the address to enter instead.
    if (e.code === 'redirected') return failure('instance', label, error);
    if (e.status !== undefined && e.status >= 500) {
      return {
        id: 'instance', label, status: 'fail',
        summary: `${origin} answered with a server error (HTTP ${e.status}).`,
        fix: 'Infisical may be down or starting; try again in a minute, and check the server’s logs if it persists.',
        details: describeError(error).details ?? '',
      };
    }
    return notInfisical(origin, describeError(error).details ?? '');
  }
}

function notInfisical(origin: string, details: string): Item {
  return {
    id: 'instance', label: 'Infisical instance reachable', status: 'fail',
    summary: `${origin} answered, but it is not an Infisical instance (GET /api/status did not answer “Ok”).`,
    fix: `Check the Infisical address ${OPTIONS}: it is the address you open Infisical at, for example https://app.infisical.com or your self-hosted origin, without a path.`,
    details,
  };
}

/** A pasted token: 401 and token errors mean the token itself is the problem. */
function pastedTokenFailure(label: string, error: unknown): Item {
  const e = asBoundaryError(error);
  if (e?.source === 'infisical' && (e.status === 401 || e.code === 'TokenError')) {
    return {
      id: 'identity-login', label, status: 'fail',
      summary: `Infisical did not accept the pasted identity access token: ${e.message}`,
      fix: `The token is expired, revoked, malformed or from another instance. Create a new access token for the machine identity in Infisical (Token Auth) and paste it ${OPTIONS}, or switch to Universal Auth.`,
      ...(describeError(error).details ? { details: describeError(error).details } : {}),
    };
  }
  return failure('identity-login', label, error);
}

/** The read probe: a CASL denial names the exact permission and the role; anything else as usual. */
function readFailure(label: string, error: unknown): Item {
  const e = asBoundaryError(error);
  const details = describeError(error).details;
  if (e?.source === 'infisical' && e.status === 403 && e.code === 'PermissionDenied') {
    return {
      id: 'read-connections', label, status: 'fail',
      summary: 'The machine identity may not read app connections in Infisical.',
      fix: `In ${ROLES}, give the machine identity’s organization role the “app-connections: read” permission, or give the identity the Admin role (the built-in Member role lacks it). ${EDIT_NOTE}`,
      ...(details ? { details } : {}),
    };
  }
  const item = failure('read-connections', label, error);
  return { ...item, fix: `${item.fix ?? ''} ${EDIT_NOTE}`.trim() };
}

function oauthInfo(label: string, clientId: string | null): Item {
  return clientId
    ? {
        id: 'oauth-client-id', label, status: 'info',
        summary: `The instance has its own Azure DevOps OAuth app (client ID ${clientId}). The “Infisical’s OAuth app” method is offered, and the Microsoft sign-in can use this app when no Microsoft app (client) ID is set ${OPTIONS}.`,
      }
    : {
        id: 'oauth-client-id', label, status: 'info',
        summary: 'The instance has no Azure DevOps OAuth app configured, so the “Infisical’s OAuth app” method is hidden. The other methods work without it.',
        details: 'A self-hosted administrator enables it with INF_APP_CONNECTION_AZURE_DEVOPS_CLIENT_ID and INF_APP_CONNECTION_AZURE_DEVOPS_CLIENT_SECRET.',
      };
}

type ClientSource = 'options' | 'instance' | null;

function checkMicrosoftClientId(
  configured: string,
  instanceClientId: string | null | undefined,
  redirectUri: () => string,
): { item: Item; clientId: string | null; clientSource: ClientSource } {
  const label = 'Microsoft app (client) ID';
  const value = configured.trim();
  const register = 'Register an app in Microsoft Entra (App registrations › New registration), add the redirect URI below as a Single-page application redirect and the API permission Azure DevOps › user_impersonation, then enter its Application (client) ID ' + OPTIONS + '.';
  if (value) {
    const parsed = guidSchema('The Microsoft app (client) ID').safeParse(value);
    if (!parsed.success) {
      return {
        item: { id: 'microsoft-client-id', label, status: 'fail', summary: firstIssue(parsed.error), fix: `Copy the Application (client) ID from the Overview page of your Entra app registration ${OPTIONS}.` },
        clientId: null, clientSource: null,
      };
    }
    return { item: { id: 'microsoft-client-id', label, status: 'pass', summary: `The sign-in uses the Entra app ${parsed.data}.` }, clientId: parsed.data, clientSource: 'options' };
  }
  if (instanceClientId) {
    return {
      item: {
        id: 'microsoft-client-id', label, status: 'warn',
        summary: `No Microsoft app (client) ID is set, so the sign-in falls back to the instance’s OAuth app ${instanceClientId}.`,
        fix: `Ask the administrator of that Entra app to add ${safeRedirect(redirectUri)} as a Single-page application redirect (Authentication › Add a platform) with the API permission Azure DevOps › user_impersonation; or enter your own app’s client ID ${OPTIONS}.`,
      },
      clientId: instanceClientId, clientSource: 'instance',
    };
  }
  if (instanceClientId === null) {
    return {
      item: { id: 'microsoft-client-id', label, status: 'fail', summary: 'No Microsoft app (client) ID is set, and the instance has no OAuth app to fall back to.', fix: register },
      clientId: null, clientSource: null,
    };
  }
  return {
    item: {
      id: 'microsoft-client-id', label, status: 'warn',
      summary: 'No Microsoft app (client) ID is set, and whether the instance’s OAuth app can stand in is unknown until the Infisical checks above pass.',
      fix: register,
    },
    clientId: null, clientSource: null,
  };
}

function redirectInfo(deps: SetupCheckDeps, clientId: string | null, source: ClientSource): Item {
  const browser = deps.browserName === 'firefox' ? 'Firefox' : 'Chromium';
  const uri = safeRedirect(deps.redirectUri);
  const app = source === 'instance' ? `the instance’s OAuth app ${clientId}` : clientId ? `the Entra app ${clientId}` : 'your Entra app registration';
  return {
    id: 'redirect-uri', label: `Redirect URI to register (${browser})`, status: 'info',
    summary: uri,
    fix: `On ${app}: Authentication › Add a platform › register as Single-page application with this URI; then API permissions › Add › Azure DevOps › user_impersonation.`,
    details: 'It must be the Single-page application platform: Microsoft lets a browser redeem sign-in codes only for those redirects (AADSTS9002326 otherwise). Each browser has its own URI.',
  };
}

async function testSignIn(deps: SetupCheckDeps, options: SetupCheckOptions, clientId: string | null): Promise<Item> {
  const label = 'Test sign-in with Microsoft';
  if (!options.testSignIn) {
    return skipped('test-sign-in', label, 'Not run: it opens a Microsoft sign-in window. Tick “Include a test sign-in” and check again to run it.');
  }
  if (!clientId) return skipped('test-sign-in', label, 'Not run: there is no Microsoft app (client) ID to sign in with (see above).');
  const tenant = parseSignInTenant(options.tenant);
  if (!tenant.ok) {
    return { id: 'test-sign-in', label, status: 'fail', summary: 'The tenant for the test sign-in is not valid.', fix: tenant.message };
  }
  try {
    const result = await deps.signIn({ clientId, tenant: tenant.value, interactive: true });
    return {
      id: 'test-sign-in', label, status: 'pass',
      summary: `Signed in as ${result.username || 'an unnamed account'}${result.tenantId ? ` (tenant ${result.tenantId})` : ''}. The app registration works for this browser.`,
    };
  } catch (error) {
    const item = failure('test-sign-in', label, error);
    if (asBoundaryError(error)?.code === 'user-cancelled') {
      return { ...item, fix: 'Click “Check setup” again and complete the sign-in in the window. If the window showed a Microsoft error, that error names the problem; the checks above say how to fix the app registration.' };
    }
    return item;
  }
}

/** A failed check, in `describeError`'s words. */
function failure(id: SetupCheckId, label: string, error: unknown): Item {
  const message = describeError(error);
  return { id, label, status: 'fail', summary: message.title, fix: message.fix, ...(message.details ? { details: message.details } : {}) };
}

function skipped(id: SetupCheckId, label: string, summary: string): Item {
  return { id, label, status: 'skipped', summary };
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function safeRedirect(redirectUri: () => string): string {
  try {
    return redirectUri();
  } catch {
    return 'the redirect URI shown on this page';
  }
}
