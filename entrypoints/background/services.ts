import { browser } from 'wxt/browser';
import { PUBLIC_CLOUD } from '@/utils/config/endpoints';
import { createAzureDevOpsClient } from '@/utils/azure-devops/client';
import { createProjectReads } from '@/utils/azure-devops/project-reads';
import { signInClientId } from '@/utils/flow/sign-in-client-id';
import { ExtensionError } from '@/utils/errors/boundary-error';
import type { FetchLike } from '@/utils/http/request';
import { createInfisicalApi, type InfisicalApi } from '@/utils/infisical/api';
import { originPattern } from '@/utils/inputs';
import type { MicrosoftSignIn } from '@/utils/microsoft/sign-in';
import { createEntraTokenCache } from '@/utils/microsoft/token-cache';
import { SETTINGS_KEY } from '@/utils/storage/catalogue';
import { markSecretRefused, readIdentitySecret } from '@/utils/storage/secret';
import type { Settings } from '@/utils/storage/settings';
import type { PolicyRules } from '@/utils/policy/policy';
import { onPolicyChanged } from '@/utils/policy/read-policy';
import { readSettingsAndPolicy } from '@/utils/storage/view';
import type { PreparedDeps } from '@/utils/worker/flow-runner';

/**
 * The background's long-lived clients, built from the real edges (fetch, sign-in, clock, OAuth
 * tab). The Infisical session (token in memory) is reused while instance and identity stay the same.
 */
export function createServices(options: { fetch: FetchLike; signIn: MicrosoftSignIn; oauthConsent: PreparedDeps['oauthConsent']; now: () => Date }) {
  const ado = createAzureDevOpsClient({ endpoints: PUBLIC_CLOUD, fetch: options.fetch });
  // A project and its variable groups, for secret syncs (utils/worker/syncs.ts).
  const projectReads = createProjectReads({ endpoints: PUBLIC_CLOUD, fetch: options.fetch });
  const entraToken = createEntraTokenCache(options.signIn, () => options.now().getTime());
  let cached: { key: string; infisical: InfisicalApi } | null = null;

  /**
   * The settings in force (the organization's policy over the person's), the policy's rules and
   * whether the instance's host permission is granted, read once and kept until one changes: every
   * flow and lookup starts here, and reads through the browser are not worth their milliseconds on
   * the click's path (docs/performance.md).
   */
  let read: Promise<{ settings: Settings; rules: PolicyRules; permitted: boolean }> | null = null;
  const forget = () => {
    read = null;
  };
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && SETTINGS_KEY in changes) forget();
  });
  // A policy changed while the browser runs applies to the next flow (utils/policy/read-policy.ts).
  onPolicyChanged(forget);
  browser.permissions.onAdded.addListener(forget);
  browser.permissions.onRemoved.addListener(forget);
  function current(): Promise<{ settings: Settings; rules: PolicyRules; permitted: boolean }> {
    if (read) return read;
    const reading = readSettingsAndPolicy().then(async ({ settings, policy }) => ({
      settings,
      rules: policy.rules,
      permitted: Boolean(settings.infisicalUrl) && (await browser.permissions.contains({ origins: [originPattern(settings.infisicalUrl!)] })),
    }));
    // A failed read is not kept: the next call reads again.
    reading.catch(() => {
      if (read === reading) forget();
    });
    read = reading;
    return reading;
  }

  /**
   * The configured Infisical instance and its API, bound to the identity's session.
   * @throws ExtensionError `not-configured` or `permission-missing`.
   */
  async function infisical(): Promise<{ settings: Settings; instanceUrl: string; infisical: InfisicalApi }> {
    const { settings, permitted } = await current();
    const instanceUrl = settings.infisicalUrl;
    const identityReady = settings.identityAuth === 'access-token' || Boolean(settings.identityClientId);
    if (!instanceUrl || !identityReady) throw new ExtensionError('not-configured', 'The extension is not configured.');
    if (!permitted) throw new ExtensionError('permission-missing', `No host permission for ${instanceUrl}.`);
    const { identityAuth, identityClientId: clientId } = settings;
    const key = `${instanceUrl} ${identityAuth} ${clientId}`;
    if (cached?.key !== key) {
      // Another instance or identity: the old session's token is dropped, never sent to the new one.
      cached?.infisical.session.reset();
      cached = {
        key,
        infisical: createInfisicalApi({
          instanceUrl,
          fetch: options.fetch,
          now: () => options.now().getTime(),
          credentials: async () => {
            const stored = await readIdentitySecret();
            // A secret entered for another Infisical address is never sent here (entrypoints/options/App.tsx).
            if (!stored || stored.origin !== instanceUrl) return null;
            const { secret } = stored;
            return identityAuth === 'access-token' ? { accessToken: secret } : { clientId, clientSecret: secret, refused: stored.refusedFor === clientId };
          },
          onRefused: (creds) => markSecretRefused(creds.clientSecret, creds.clientId),
        }),
      };
    }
    return { settings, instanceUrl, infisical: cached.infisical };
  }

  /** A flow's dependencies from the current settings. */
  async function prepare(): Promise<PreparedDeps> {
    const { settings, instanceUrl, infisical: api } = await infisical();
    return {
      instanceUrl,
      infisical: api,
      ado,
      entraToken,
      oauthConsent: options.oauthConsent,
      microsoftClientId: settings.microsoftClientId,
      now: options.now,
      random: () => crypto.randomUUID(),
    };
  }

  /** The Microsoft client ID to sign in with (see `signInClientId`). */
  async function microsoftClientId(): Promise<string> {
    const { settings, infisical: api } = await infisical();
    return signInClientId({ microsoftClientId: settings.microsoftClientId, infisical: api });
  }

  /** The settings as this worker knows them (read once, until they change): what flows and pages go by. */
  const settings = async () => (await current()).settings;

  /** The organization's rules: the methods and PAT lifetimes a flow may use (utils/policy/policy.ts). */
  const rules = async () => (await current()).rules;

  return { ado, projectReads, entraToken, infisical, prepare, microsoftClientId, settings, rules };
}

export type Services = ReturnType<typeof createServices>;
