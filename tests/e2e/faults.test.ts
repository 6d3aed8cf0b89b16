import { describe, expect, it } from 'vitest';
import { ELSEWHERE_HOST, EXTENSION_APP, INFISICAL, ORGS, SEEDED_PATS, UNTRUSTED_HOST } from '../sandbox/fixtures';
import type { Sandbox } from '../sandbox/server';
import { leaks } from './support/audit';
import { BROWSERS, pollFor } from './support/browsers';
import { connectFromPopup, dumpStorage, text, waitForOutcome, type PopupInput } from './support/extension-pages';
import { useInstance, useWorld } from './support/world';

/**
 * The fault matrix (docs/reliability.md: docs/reliability.md), in every browser: each fault ends in the
 * sentence that names the fix, leaves no live PAT behind, and leaks nothing into storage.
 */
const INFISICAL_HOST = 'infisical.sandbox.test';
const CREATE = /^\/api\/v1\/app-connections\/azure-devops\/?$/;

describe.each(BROWSERS)('%s', (browserName) => {
  const world = useWorld(browserName);

  /** Connect `org`, expect failure; returns the sentence shown. */
  async function failWith(setUp: (sandbox: Sandbox) => void | Promise<void>, during?: () => Promise<void>, org: string = ORGS.contoso.name, input: Partial<PopupInput> = {}) {
    await setUp(world.sandbox);
    // The popup keeps the method last used: name it, so a case that pastes a PAT does not change the next.
    const popup = await connectFromPopup(world.ext.browser, world.base, { org, connectionName: 'faulty', method: 'microsoft', ...input });
    await during?.();
    // A failed flow, or a failure before it could start (e.g. the name lookup could not reach Infisical).
    await popup.waitForSelector('[data-testid=error]', { timeout: 30_000 });
    expect(await popup.$('[data-testid=flow][data-status=running], [data-testid=flow][data-status=succeeded]')).toBeNull();
    const sentence = `${await text(popup, '[data-testid=error-title]')} ${await text(popup, '[data-testid=error-fix]')}`;
    const details = await popup.$eval('[data-testid=error] details pre', (e) => e.textContent ?? '').catch(() => '');
    // Nothing left behind: every PAT this attempt minted is revoked; no connection; no secret stored.
    const minted = world.sandbox.state.pats.filter((p) => p.displayName === 'Infisical faulty');
    expect(minted.filter((p) => p.status !== 'revoked')).toEqual([]);
    expect(world.sandbox.state.connections).toEqual([]);
    expect(leaks(await dumpStorage(popup), world.sandbox.state, world.sandbox.config)).toEqual([]);
    await popup.close();
    return { sentence, details, minted: minted.length };
  }

  describe('recovered faults', () => {
    it('the Infisical token expires mid-flow: the extension logs in again and the create goes through once', async () => {
      world.sandbox.config.infisical.identity.accessTokenTTL = 600;
      // The PAT request is held for 1.5 s when it arrives (the fault is used up then): time to move
      // Infisical's clock past the token's TTL, so the create that follows meets an expired token.
      const held = world.sandbox.faults.add({ host: 'vssps.dev.azure.com', method: 'POST', path: /\/_apis\/tokens\/pats\/?$/, delayMs: 1500, times: 1 });
      const popup = await connectFromPopup(world.ext.browser, world.base, { org: ORGS.contoso.name, connectionName: 'expiring' });
      await pollFor(async () => !world.sandbox.faults.list().some((f) => f.id === held) || null, 20_000, 'the PAT request', 20);
      world.sandbox.advanceClock(601_000);
      expect(await waitForOutcome(popup)).toBe('succeeded');
      const creates = world.sandbox.requests.filter((r) => r.host === INFISICAL_HOST && r.method === 'POST' && CREATE.test(r.path));
      expect(creates.map((r) => r.status)).toEqual([403, 200]);
      expect(world.sandbox.requests.filter((r) => r.path.endsWith('/universal-auth/login')).length).toBeGreaterThanOrEqual(1);
      expect(world.sandbox.state.connections.map((c) => c.name)).toEqual(['expiring']);
      await popup.close();
    });

    it('the org limits token lifetimes: the shorter expiry is used and the popup says so', async () => {
      world.sandbox.config.azureDevOps.orgs.contoso!.policy.maxLifespanDays = 30;
      const popup = await connectFromPopup(world.ext.browser, world.base, { org: ORGS.contoso.name, connectionName: 'clamped' });
      expect(await waitForOutcome(popup)).toBe('succeeded');
      expect(await text(popup, '[data-testid=flow]')).toMatch(/earlier than chosen: your organization limits token lifetimes/);
      const pat = world.sandbox.state.pats.find((p) => p.displayName === 'Infisical clamped')!;
      const days = (Date.parse(pat.validTo) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29);
      expect(days).toBeLessThanOrEqual(30.01);
      await popup.close();
    });
  });

  describe('fault matrix', () => {
    it('the user closes the Microsoft window', async () => {
      const { sentence, minted } = await failWith(
        (s) => {
          s.config.entra.authorizeMode = 'login-page';
        },
        async () => (await world.ext.waitForPage((url) => url.startsWith('https://login.microsoftonline.com/'), 10_000)).close(),
      );
      expect(sentence).toMatch(/window was closed/i);
      expect(minted).toBe(0);
    });

    it('Entra redirects with access_denied (consent declined)', async () => {
      const { sentence } = await failWith((s) => {
        s.config.entra.authorizeMode = 'error';
        s.config.entra.errorRedirect = { error: 'access_denied', description: 'AADSTS65004: User declined to consent to access the app.' };
      });
      expect(sentence).toMatch(/declined/i);
    });

    it('the token endpoint answers 503', async () => {
      const { sentence, minted } = await failWith((s) => {
        s.config.entra.tokenFault = { status: 503 };
      });
      expect(sentence).not.toMatch(/inside the extension/);
      expect(minted).toBe(0);
    });

    it('the redirect URI is registered as Web, not SPA (AADSTS9002326)', async () => {
      const { sentence } = await failWith((s) => {
        for (const r of s.config.entra.apps[EXTENSION_APP.clientId]!.redirectUris) r.type = 'web';
      });
      expect(sentence).toMatch(/Single-page application/);
    });

    it('Azure DevOps answers 403 on the projects check: nothing is minted', async () => {
      const { sentence, minted } = await failWith((s) => {
        s.faults.add({
          host: 'dev.azure.com',
          method: 'GET',
          path: /\/_apis\/projects\/?$/,
          status: 403,
          body: { message: 'TF400813: The user is not authorized to access this resource.', typeKey: 'UnauthorizedRequestException' },
        });
      });
      expect(sentence).toMatch(/may not do this in the Azure DevOps organization/);
      expect(minted).toBe(0);
    });

    it.each([
      ['globalPatPolicyViolation', /spans all organizations|span all organizations/],
      ['fullScopePatPolicyViolation', /full-access/],
      ['patLifespanPolicyViolation', /lifetime is longer than your organization allows/],
      ['disablePatCreationPolicyViolation', /does not allow you to create personal access tokens/],
      ['accessDenied', /denied creating the personal access token/],
    ])('PAT creation refused by policy (%s): its own sentence, nothing minted', async (value, pattern) => {
      const { sentence, minted } = await failWith((s) => {
        s.config.azureDevOps.forcePatTokenError = value;
      });
      expect(sentence).toMatch(pattern);
      expect(minted).toBe(0);
    });

    it('the PAT API takes the request and never answers: after the timeout the token it made is found and revoked', async () => {
      const { sentence, minted } = await failWith((s) => {
        s.faults.add({ host: 'vssps.dev.azure.com', method: 'POST', path: /\/_apis\/tokens\/pats\/?$/, mode: 'after-handler-hang', times: 1 });
      });
      expect(sentence).toMatch(/did not answer|try again/i);
      expect(minted).toBe(1);
    }, 90_000);

    it('Azure DevOps refuses the account for the org (not a member)', async () => {
      const { sentence, minted } = await failWith(() => undefined, undefined, ORGS.northwind.name);
      expect(sentence).toMatch(/member/i);
      expect(minted).toBe(0);
    });

    it('the PAT API answers 503', async () => {
      const { sentence } = await failWith((s) => {
        s.faults.add({ host: 'vssps.dev.azure.com', method: 'POST', status: 503, body: { message: 'Service Unavailable' } });
      });
      expect(sentence).toMatch(/Azure DevOps/);
    });

    it.each([
      [
        422,
        { statusCode: 422, error: 'ValidationFailure', message: [{ code: 'custom', path: ['name'], message: 'name field can only contain lowercase letters, numbers, and hyphens' }] },
        {},
        /rejected the connection details|name/i,
      ],
      [429, { statusCode: 429, error: 'RateLimitError', message: 'Rate limit exceeded. Please try again in 30 seconds' }, { 'Retry-After': '30' }, /30 seconds|wait/i],
      [500, { statusCode: 500, error: 'InternalServerError', message: 'Something went wrong' }, {}, /internal error|try again/i],
    ])('Infisical answers %i on create: sentence, and the minted PAT is revoked', async (status, body, headers, pattern) => {
      const { sentence, minted } = await failWith((s) => {
        s.faults.add({ host: INFISICAL_HOST, method: 'POST', path: CREATE, status, body: { reqId: 'req-sandboxfault01', ...body }, headers });
      });
      expect(sentence).toMatch(pattern);
      expect(minted).toBe(1);
    });

    it('a pasted PAT revoked after the extension checked it: Azure DevOps answers Infisical’s own check with its sign-in page, and the popup says what to do', async () => {
      const pat = SEEDED_PATS.contosoPasted.token;
      const { sentence, minted } = await failWith(
        (s) => {
          s.config.azureDevOps.unusablePatAnswer = 'sign-in-page';
          // The create is held when it arrives, after the extension's own check of the token passed.
          s.faults.add({ host: INFISICAL_HOST, method: 'POST', path: CREATE, delayMs: 1500, times: 1 });
        },
        async () => {
          await pollFor(async () => world.sandbox.faults.list().length === 0 || null, 20_000, 'the create request', 20);
          world.sandbox.state.pats.find((p) => p.token === pat)!.status = 'revoked';
        },
        ORGS.contoso.name,
        { method: 'pat', pat },
      );
      expect(sentence).toMatch(
        /did not accept the personal access token when Infisical checked it: it answered with its sign-in page\. Check in Azure DevOps › User settings › Personal access tokens/,
      );
      // The extension's check passed; Infisical's own call, the one with its api-version, met the 203.
      const checks = world.sandbox.requests.filter((r) => r.host === 'dev.azure.com' && r.path === '/contoso/_apis/projects');
      expect(checks.map((r) => [r.query.includes('7.2-preview.2'), r.auth, r.status])).toEqual([
        [false, 'basic', 200],
        [true, 'basic', 203],
      ]);
      expect(world.sandbox.requests.filter((r) => r.host === INFISICAL_HOST && r.method === 'POST' && CREATE.test(r.path)).map((r) => r.status)).toEqual([400]);
      expect(minted).toBe(0);
    });

    it('Infisical is unreachable: nothing is minted', async () => {
      const { sentence, minted } = await failWith((s) => {
        s.faults.add({ host: INFISICAL_HOST, mode: 'reset' });
      });
      expect(sentence).toMatch(/reach|network/i);
      expect(minted).toBe(0);
    });

    it('Infisical’s certificate is not trusted (TLS failure): the sentence points at the certificate, nothing is minted', async () => {
      await useInstance(world.ext, `https://${UNTRUSTED_HOST}`);
      try {
        const { sentence, minted } = await failWith(() => undefined);
        expect(sentence).toMatch(new RegExp(`Could not reach ${UNTRUSTED_HOST.replace(/\./g, '\\.')}.*trusts its HTTPS certificate`));
        expect(minted).toBe(0);
        expect(world.sandbox.requests.filter((r) => r.host === UNTRUSTED_HOST)).toEqual([]);
      } finally {
        await useInstance(world.ext, INFISICAL.siteUrl);
      }
    });

    // 307 and 308 keep the method and the body: a client that followed them would re-send the
    // client secret, or the PAT, to whatever address the Location names.
    const LOGIN = '/api/v1/auth/universal-auth/login';
    const REDIRECTED = /redirect.*did not send your credentials there.*final address/i;
    const redirectTo = (path: string, status: number) => ({ status, headers: { location: `https://${ELSEWHERE_HOST}${path}` }, body: '' });

    it('Infisical answers the login with a 307 to another address: the secret is not sent there, nothing is minted', async () => {
      const { sentence, details, minted } = await failWith((s) => {
        s.faults.add({ host: INFISICAL_HOST, method: 'POST', path: LOGIN, ...redirectTo(LOGIN, 307) });
      });
      expect(world.sandbox.state.elsewhere).toEqual([]);
      expect(sentence).toMatch(REDIRECTED);
      // No "HTTP 307" first: the browser gave an opaque redirect (status 0), as utils/http/request.ts expects.
      expect(details).toMatch(/^redirected\b/);
      expect(minted).toBe(0);
    });

    it('Infisical answers the create with a 308 to another address: the PAT is not sent there, and is revoked', async () => {
      const { sentence, details, minted } = await failWith((s) => {
        s.faults.add({ host: INFISICAL_HOST, method: 'POST', path: CREATE, ...redirectTo('/api/v1/app-connections/azure-devops', 308) });
      });
      expect(world.sandbox.state.elsewhere).toEqual([]);
      expect(sentence).toMatch(REDIRECTED);
      expect(details).toMatch(/^redirected\b/);
      expect(minted).toBe(1);
    });

    it('Infisical rejects the machine identity (401 Invalid credentials): nothing is minted', async () => {
      const { sentence, minted } = await failWith((s) => {
        s.config.infisical.identity.clientSecret = 'rotated-elsewhere';
      });
      expect(sentence).toMatch(/client ID or secret/i);
      expect(minted).toBe(0);
    });
  });
});
