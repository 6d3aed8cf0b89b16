import { describe, expect, it } from 'vitest';
import { sandboxFetch } from './client.ts';
import { ADA, ADO_RESOURCE_ID, EXTENSION_APP, INFISICAL_OAUTH_APP, INFISICAL_OAUTH_AUTHORIZE, SERVICE_PRINCIPAL, TENANT } from './fixtures.ts';
import { ADO_SCOPE, authorizeUrl, getCode, pkcePair, redeem, redirectParams } from './flows.ts';
import { sandboxPerFile } from './per-file.ts';
import type { Sandbox } from './server.ts';

let sb: Sandbox;
sandboxPerFile((started) => {
  sb = started;
});

const ORIGIN = 'chrome-extension://caiekacklhaldebomccfigafhmmkpmla';
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
const codeForm = (code: string, verifier: string, extra: Record<string, string> = {}) => ({
  client_id: EXTENSION_APP.clientId,
  grant_type: 'authorization_code',
  code,
  code_verifier: verifier,
  redirect_uri: EXTENSION_APP.chromiumRedirect,
  scope: `${ADO_SCOPE} openid profile offline_access`,
  ...extra,
});

describe('fake Entra /authorize', () => {
  it('redirects at once with code and state, in the query or the fragment as asked', async () => {
    const { challenge } = pkcePair();
    const q = await sandboxFetch(sb, authorizeUrl({ challenge, state: 'abc' }));
    expect(q.status).toBe(302);
    expect(`${q.location?.origin}/`).toBe(EXTENSION_APP.chromiumRedirect);
    expect(q.location?.searchParams.get('state')).toBe('abc');
    expect(q.location?.searchParams.get('code')).toBeTruthy();
    const f = await sandboxFetch(sb, authorizeUrl({ challenge, responseMode: 'fragment', tenant: TENANT.domain }));
    expect(f.location?.search).toBe('');
    expect(new URLSearchParams(f.location?.hash.slice(1)).get('code')).toBeTruthy();
    expect(sb.state.authorizeLog).toHaveLength(2);
    expect(sb.state.authorizeLog[0]).toMatchObject({ clientId: EXTENSION_APP.clientId, codeChallengeMethod: 'S256', tenant: TENANT.id, outcome: 'code' });
  });

  it('shows an error page, without redirecting, for an unknown client or redirect URI', async () => {
    const unknown = await sandboxFetch(sb, authorizeUrl({ challenge: pkcePair().challenge, clientId: '11111111-2222-4333-8444-555555555555' }));
    expect(unknown.status).toBe(400);
    expect(unknown.location).toBeNull();
    expect(unknown.text).toContain("AADSTS700016: Application with identifier '11111111-2222-4333-8444-555555555555' was not found");
    const mismatch = await sandboxFetch(sb, authorizeUrl({ challenge: pkcePair().challenge, redirectUri: 'https://evil.example/' }));
    expect(mismatch.status).toBe(400);
    expect(mismatch.location).toBeNull();
    expect(mismatch.text).toContain('AADSTS50011');
  });

  it('requires PKCE for SPA redirects', async () => {
    const res = await sandboxFetch(sb, authorizeUrl({ challenge: null }));
    const p = redirectParams(res);
    expect(p.get('error')).toBe('invalid_request');
    expect(p.get('error_description')).toMatch(/^AADSTS9002325: /);
    expect(p.get('state')).toBe('state-1');
  });

  it('login-page mode: Sign in finishes, Cancel declines with AADSTS65004', async () => {
    sb.config.entra.authorizeMode = 'login-page';
    const pageRes = await sandboxFetch(sb, authorizeUrl({ challenge: pkcePair().challenge }));
    expect(pageRes.status).toBe(200);
    expect(pageRes.text).toContain('id="signin"');
    expect(pageRes.text).toContain('id="cancel"');
    expect(pageRes.text).toContain(EXTENSION_APP.displayName);
    const txn = /name="txn" value="([^"]+)"/.exec(pageRes.text)![1]!;
    const cancel = await sandboxFetch(sb, `https://login.microsoftonline.com/${TENANT.id}/login`, { method: 'POST', body: new URLSearchParams({ txn, action: 'cancel' }) });
    const p = redirectParams(cancel);
    expect(p.get('error')).toBe('access_denied');
    expect(p.get('error_description')).toBe('AADSTS65004: User declined to consent to access the app.');
    // The transaction is single use.
    const again = await sandboxFetch(sb, `https://login.microsoftonline.com/${TENANT.id}/login`, { method: 'POST', body: new URLSearchParams({ txn, action: 'signin' }) });
    expect(again.location).toBeNull();

    const page2 = await sandboxFetch(sb, authorizeUrl({ challenge: pkcePair().challenge }));
    const txn2 = /name="txn" value="([^"]+)"/.exec(page2.text)![1]!;
    const signin = await sandboxFetch(sb, `https://login.microsoftonline.com/${TENANT.id}/login`, { method: 'POST', body: new URLSearchParams({ txn: txn2, action: 'signin' }) });
    expect(redirectParams(signin).get('code')).toBeTruthy();
    expect(sb.state.authorizeLog.map((l) => l.outcome)).toEqual(['error', 'code']);
  });

  it('error mode and missing consent redirect with the AADSTS text', async () => {
    sb.config.entra.authorizeMode = 'error';
    const p = redirectParams(await sandboxFetch(sb, authorizeUrl({ challenge: pkcePair().challenge })));
    expect(p.get('error')).toBe('access_denied');
    expect(p.get('error_description')).toMatch(/^AADSTS65001: /);
    sb.config.entra.authorizeMode = 'auto';
    sb.config.entra.apps[EXTENSION_APP.clientId]!.consented = false;
    const c = redirectParams(await sandboxFetch(sb, authorizeUrl({ challenge: pkcePair().challenge, extra: { prompt: 'none' } })));
    expect(c.get('error')).toBe('consent_required');
    expect(c.get('error_description')).toContain(EXTENSION_APP.clientId);
  });
});

describe('fake Entra /token', () => {
  it('redeems a PKCE code from the extension origin: tokens, nonce, client_info, scope echo', async () => {
    const { code, verifier } = await getCode(sb, { nonce: 'n-42' });
    const res = await redeem(sb, codeForm(code, verifier, { client_info: '1' }), ORIGIN);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const body = res.json();
    expect(body).toMatchObject({ token_type: 'Bearer', scope: ADO_SCOPE, expires_in: 3599, ext_expires_in: 3599 });
    expect(body.refresh_token).toBeTruthy();
    expect(claims(body.id_token)).toMatchObject({
      aud: EXTENSION_APP.clientId,
      nonce: 'n-42',
      oid: ADA.oid,
      tid: TENANT.id,
      ver: '2.0',
      preferred_username: ADA.upn,
      iss: `https://login.microsoftonline.com/${TENANT.id}/v2.0`,
    });
    expect(claims(body.access_token)).toMatchObject({ aud: ADO_RESOURCE_ID, tid: TENANT.id, oid: ADA.oid, scp: 'user_impersonation' });
    expect(JSON.parse(Buffer.from(body.client_info, 'base64url').toString())).toEqual({ uid: ADA.oid, utid: TENANT.id });
    expect(sb.state.tokenExchanges).toEqual([
      expect.objectContaining({ grantType: 'authorization_code', pkce: 'S256', origin: ORIGIN, ok: true, redirectUri: EXTENSION_APP.chromiumRedirect }),
    ]);
  });

  it('rejects a wrong or missing code_verifier (AADSTS501481 / 50148) in the Entra error shape', async () => {
    const { code } = await getCode(sb);
    const wrong = await redeem(sb, codeForm(code, pkcePair().verifier), ORIGIN);
    expect(wrong.status).toBe(400);
    const body = wrong.json();
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [501481], error_uri: 'https://login.microsoftonline.com/error?code=501481' });
    expect(body.error_description).toMatch(/^AADSTS501481: .+\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
    const { code_verifier: _unused, ...withoutVerifier } = codeForm(code, '');
    const missing = await redeem(sb, withoutVerifier, ORIGIN);
    expect(missing.json().error_codes).toEqual([50148]);
    expect(sb.state.tokenExchanges.map((e) => e.errorCode)).toEqual([501481, 50148]);
  });

  it('codes are single use (AADSTS54005) and expire after 10 minutes (AADSTS70008)', async () => {
    const { code, verifier } = await getCode(sb);
    expect((await redeem(sb, codeForm(code, verifier), ORIGIN)).status).toBe(200);
    const reuse = await redeem(sb, codeForm(code, verifier), ORIGIN);
    expect(reuse.json()).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
    const late = await getCode(sb);
    sb.advanceClock(11 * 60_000);
    expect((await redeem(sb, codeForm(late.code, late.verifier), ORIGIN)).json().error_codes).toEqual([70008]);
  });

  it('enforces the SPA Origin rules (AADSTS9002327 / 9002326) and no secrets with an Origin', async () => {
    const spa = await getCode(sb);
    expect((await redeem(sb, codeForm(spa.code, spa.verifier), null)).json().error_codes).toEqual([9002327]);
    expect((await redeem(sb, codeForm(spa.code, spa.verifier, { client_secret: 'x' }), ORIGIN)).json().error_codes).toEqual([90023]);
    const web = await sandboxFetch(sb, authorizeUrl(INFISICAL_OAUTH_AUTHORIZE));
    const webCode = redirectParams(web).get('code')!;
    const form = {
      client_id: INFISICAL_OAUTH_APP.clientId,
      grant_type: 'authorization_code',
      code: webCode,
      redirect_uri: INFISICAL_OAUTH_APP.redirectUri,
      scope: 'https://app.vssps.visualstudio.com/.default',
    };
    const crossOrigin = await redeem(sb, form, 'https://infisical.sandbox.test');
    expect(crossOrigin.json().error_codes).toEqual([9002326]);
    expect(crossOrigin.json().error_description).toContain("Request origin: 'https://infisical.sandbox.test'");
    expect((await redeem(sb, form, null)).status).toBe(401);
    const ok = await redeem(sb, { ...form, client_secret: INFISICAL_OAUTH_APP.clientSecret }, null);
    expect(ok.status).toBe(200);
    expect(ok.json().refresh_token).toBeTruthy();
    expect(sb.state.tokenExchanges.at(-1)).toMatchObject({ pkce: 'none', ok: true, origin: null });
  });

  it('refreshes SPA tokens for 24 hours only (AADSTS700084)', async () => {
    const { code, verifier } = await getCode(sb);
    const first = (await redeem(sb, codeForm(code, verifier), ORIGIN)).json();
    const form = { client_id: EXTENSION_APP.clientId, grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: `${ADO_SCOPE} openid offline_access` };
    const refreshed = await redeem(sb, form, ORIGIN);
    expect(refreshed.status).toBe(200);
    expect(refreshed.json().access_token).not.toBe(first.access_token);
    sb.advanceClock(24 * 3_600_000 + 1000);
    expect((await redeem(sb, form, ORIGIN)).json().error_codes).toEqual([700084]);
  });

  it('issues app tokens by client_credentials for the service principal', async () => {
    const form = {
      client_id: SERVICE_PRINCIPAL.clientId,
      client_secret: SERVICE_PRINCIPAL.clientSecret,
      grant_type: 'client_credentials',
      scope: 'https://app.vssps.visualstudio.com/.default',
    };
    const ok = await redeem(sb, form, null);
    expect(ok.status).toBe(200);
    expect(claims(ok.json().access_token)).toMatchObject({ aud: ADO_RESOURCE_ID, oid: SERVICE_PRINCIPAL.objectId, idtyp: 'app' });
    const bad = await redeem(sb, { ...form, client_secret: 'nope' }, null);
    expect(bad.status).toBe(401);
    expect(bad.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
  });

  it('answers CORS preflights and can be forced to fail', async () => {
    const pre = await sandboxFetch(sb, `https://login.microsoftonline.com/${TENANT.id}/oauth2/v2.0/token`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.status).toBe(200);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    expect(pre.headers['access-control-allow-headers']).toBe('content-type');
    sb.config.entra.tokenFault = { status: 400, error: 'invalid_grant', code: 50173, description: 'The provided grant has expired due to it being revoked.' };
    const { code, verifier } = await getCode(sb);
    const res = await redeem(sb, codeForm(code, verifier), ORIGIN);
    expect(res.json()).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });
    expect(res.json().error_description).toMatch(/^AADSTS50173: The provided grant has expired/);
  });

  it('serves OIDC metadata for the tenant', async () => {
    const res = await sandboxFetch(sb, `https://login.microsoftonline.com/${TENANT.id}/v2.0/.well-known/openid-configuration`);
    expect(res.json()).toMatchObject({
      token_endpoint: `https://login.microsoftonline.com/${TENANT.id}/oauth2/v2.0/token`,
      issuer: `https://login.microsoftonline.com/${TENANT.id}/v2.0`,
    });
  });
});
