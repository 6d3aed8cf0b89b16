// GET /{tenant}/oauth2/v2.0/authorize and its login page (docs/contracts.md C.1). Order of checks follows
// Entra: an untrusted client_id or redirect_uri ends on an error page (never a redirect); every later
// problem is reported to the redirect URI with `error` and an AADSTS `error_description`.
import { entraErrorPage } from './entra-errors.ts';
import { accountIn, appUsableIn, clientInfoOf, homeUser, resolveTenant } from './entra-issue.ts';
import { bodyForm, escapeHtml, html, page, redirect, type RequestContext, type SandboxResponse } from './http.ts';
import { opaque, uuid } from './ids.ts';
import { isoNow, now, type AuthorizeLog } from './state.ts';
import type { EntraAppConfig, EntraUserConfig, RedirectType } from './config.ts';

interface Checked {
  app: EntraAppConfig;
  /** The signed-in person's account in the tenant: their own, or their guest account there. */
  account: EntraUserConfig;
  redirectUri: string;
  redirectType: RedirectType;
  tenantId: string;
  params: Record<string, string>;
}

/** Puts response params where response_mode asks: `?` (query, default), `#` (fragment) or a POST form. */
function respond(redirectUri: string, mode: string, params: Record<string, string>): SandboxResponse {
  const encoded = new URLSearchParams(params).toString();
  if (mode === 'fragment') return redirect(`${redirectUri}#${encoded}`);
  if (mode === 'form_post') {
    const inputs = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    return html(200, `<html><body onload="document.forms[0].submit()"><form method="POST" action="${escapeHtml(redirectUri)}">${inputs}</form></body></html>`);
  }
  return redirect(`${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${encoded}`);
}

function errorRedirect(c: Pick<Checked, 'redirectUri' | 'params'>, error: string, description: string): SandboxResponse {
  const params: Record<string, string> = { error, error_description: description };
  if (c.params['state'] !== undefined) params['state'] = c.params['state'];
  return respond(c.redirectUri, c.params['response_mode'] ?? 'query', params);
}

function codeRedirect(ctx: RequestContext, c: Checked): SandboxResponse {
  const p = c.params;
  const oid = c.account.oid;
  const code = `1.sandbox.${opaque(48)}`;
  ctx.state.authCodes.push({
    code,
    clientId: c.app.clientId,
    redirectUri: c.redirectUri,
    redirectType: c.redirectType,
    scope: p['scope'] ?? '',
    tenantId: c.tenantId,
    userOid: oid,
    codeChallenge: p['code_challenge'] ?? null,
    codeChallengeMethod: p['code_challenge'] ? (p['code_challenge_method'] ?? 'plain') : null,
    nonce: p['nonce'] ?? null,
    issuedAt: now(ctx.state),
    used: false,
  });
  const params: Record<string, string> = { code };
  if (p['client_info'] === '1') params['client_info'] = clientInfoOf(oid, c.tenantId, homeUser(ctx.config, c.account));
  if (p['state'] !== undefined) params['state'] = p['state'];
  return respond(c.redirectUri, p['response_mode'] ?? 'query', params);
}

/** Validates an authorize request; returns either a finished response or the checked request. */
function check(ctx: RequestContext, tenantPath: string, params: Record<string, string>, log: AuthorizeLog): SandboxResponse | Checked {
  const fail = (code: number, text: string): SandboxResponse => {
    log.outcome = 'error-page';
    log.error = `AADSTS${code}`;
    return entraErrorPage(code, text);
  };
  const resolved = resolveTenant(ctx.config, tenantPath);
  if (!resolved) return fail(90002, `Tenant '${tenantPath}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
  const user = ctx.config.entra.users[ctx.config.entra.signedInUser];
  const tenantId = resolved.tenant?.id ?? user?.tenantId ?? '';
  const directory = ctx.config.entra.tenants[tenantId]?.name ?? tenantPath;
  const clientId = params['client_id'] ?? '';
  const app = ctx.config.entra.apps[clientId];
  if (!app || !appUsableIn(app, tenantId)) {
    return fail(
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${directory}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const redirectUri = params['redirect_uri'] ?? '';
  const registered = app.redirectUris.find((r) => r.uri === redirectUri);
  if (!registered) {
    return fail(
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    );
  }
  const c = { redirectUri, params };
  const err = (error: string, code: number, text: string): SandboxResponse => {
    log.outcome = 'error';
    log.error = `${error} AADSTS${code}`;
    return errorRedirect(c, error, `AADSTS${code}: ${text}`);
  };
  const responseType = params['response_type'];
  if (!responseType) return err('invalid_request', 900144, "The request body must contain the following parameter: 'response_type'.");
  if (responseType !== 'code') return err('unsupported_response_type', 700054, `response_type '${responseType}' is not enabled for the application.`);
  if (!params['scope']) return err('invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
  const challenge = params['code_challenge'];
  const method = params['code_challenge_method'];
  if (registered.type === 'spa' && !challenge) return err('invalid_request', 9002325, 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.');
  if (challenge && (challenge.length < 43 || challenge.length > 128)) return err('invalid_request', 50147, 'The code_challenge parameter has an invalid size.');
  // Entra also accepts "plain"; this sandbox insists on S256 for SPA redirects, as MSAL always sends it.
  if (challenge && (method ?? 'plain') !== 'S256' && (registered.type === 'spa' || method !== 'plain')) {
    return err('invalid_request', 50149, `The code_challenge_method '${method ?? ''}' is not supported; use S256.`);
  }
  // Request errors come back before anyone signs in; this one only once the person has.
  const account = accountIn(ctx.config, tenantId);
  if (!account) {
    // Entra shows it on its own page, with no redirect (docs/contracts.md C.6).
    return fail(
      50020,
      `User account '${user?.upn ?? ''}' from identity provider 'https://sts.windows.net/${user?.tenantId ?? ''}/' does not exist in tenant '${directory}' and cannot access the application '${clientId}'(${app.displayName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`,
    );
  }
  if (!app.consented) {
    // Real Entra shows a consent prompt; the sandbox models "consent missing and not grantable".
    const text = `The user or administrator hasn't consented to use the application with ID '${clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`;
    return params['prompt'] === 'none' ? err('consent_required', 65001, text) : err('access_denied', 65001, text);
  }
  return { app, account, redirectUri, redirectType: registered.type, tenantId, params };
}

function loginPage(ctx: RequestContext, c: Checked, tenantPath: string, log: AuthorizeLog): SandboxResponse {
  const txn = uuid();
  const logIndex = ctx.state.authorizeLog.indexOf(log);
  ctx.state.pendingAuthorizations.push({ txn, tenantPath, params: c.params, createdAt: now(ctx.state), logIndex });
  const user = ctx.config.entra.users[ctx.config.entra.signedInUser];
  return html(
    200,
    page(
      'Sign in to your account',
      `<h1>Sign in</h1>
<p><strong>${escapeHtml(c.app.displayName)}</strong> wants to access Azure DevOps as <span id="user">${escapeHtml(user?.upn ?? '')}</span>.</p>
<form method="POST" action="/${encodeURIComponent(tenantPath)}/login">
<input type="hidden" name="txn" value="${txn}">
<button id="signin" type="submit" name="action" value="signin">Sign in</button>
<button id="cancel" type="submit" name="action" value="cancel">Cancel</button>
</form>`,
    ),
  );
}

function newLog(ctx: RequestContext, tenant: string, p: Record<string, string>, record = true): AuthorizeLog {
  const log: AuthorizeLog = {
    at: isoNow(ctx.state),
    tenant,
    clientId: p['client_id'] ?? null,
    redirectUri: p['redirect_uri'] ?? null,
    scope: p['scope'] ?? null,
    responseType: p['response_type'] ?? null,
    responseMode: p['response_mode'] ?? null,
    codeChallengeMethod: p['code_challenge_method'] ?? null,
    prompt: p['prompt'] ?? null,
    outcome: 'code',
  };
  if (record) ctx.state.authorizeLog.push(log);
  return log;
}

export function authorize(ctx: RequestContext): SandboxResponse {
  const tenantPath = ctx.params[0] ?? '';
  const params = Object.fromEntries(ctx.query);
  const log = newLog(ctx, tenantPath, params);
  const c = check(ctx, tenantPath, params, log);
  if (!('app' in c)) return c;
  const mode = ctx.config.entra.authorizeMode;
  if (mode === 'error') {
    log.outcome = 'error';
    log.error = ctx.config.entra.errorRedirect.error;
    return errorRedirect(c, ctx.config.entra.errorRedirect.error, ctx.config.entra.errorRedirect.description);
  }
  if (mode === 'login-page' && params['prompt'] !== 'none') {
    log.outcome = 'page';
    return loginPage(ctx, c, tenantPath, log);
  }
  return codeRedirect(ctx, c);
}

/** POST /{tenant}/login from the login page: "Sign in" finishes the flow, "Cancel" declines. */
export function loginSubmit(ctx: RequestContext): SandboxResponse {
  const form = bodyForm(ctx);
  const i = ctx.state.pendingAuthorizations.findIndex((p) => p.txn === form.get('txn'));
  const pending = ctx.state.pendingAuthorizations[i];
  if (!pending) return entraErrorPage(50058, 'The sign-in session was not found or has already been used. Start the sign-in again.');
  ctx.state.pendingAuthorizations.splice(i, 1);
  // The page's outcome updates the log entry of the authorize request that showed it.
  const log = ctx.state.authorizeLog[pending.logIndex] ?? newLog(ctx, pending.tenantPath, pending.params, false);
  const c = check(ctx, pending.tenantPath, pending.params, log);
  if (!('app' in c)) return c;
  if (form.get('action') !== 'signin') {
    log.outcome = 'error';
    log.error = 'access_denied';
    return errorRedirect(c, 'access_denied', 'AADSTS65004: User declined to consent to access the app.');
  }
  log.outcome = 'code';
  return codeRedirect(ctx, c);
}
