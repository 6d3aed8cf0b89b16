import { browser } from 'wxt/browser';
import { PUBLIC_CLOUD } from '@/utils/config/endpoints';
import { createAzureDevOpsClient } from '@/utils/azure-devops/client';
import { ExtensionError } from '@/utils/errors/boundary-error';
import type { FetchLike } from '@/utils/http/request';
import { createInfisicalClient } from '@/utils/infisical/client';
import { createInfisicalSession, type InfisicalSession } from '@/utils/infisical/session';
import { originPattern } from '@/utils/inputs';
import type { MicrosoftSignIn } from '@/utils/microsoft/sign-in';
import { readIdentitySecret, readSettings } from '@/utils/storage';
import type { PreparedDeps } from './flow-runner';

/**
 * Builds a flow's dependencies from the current settings. The Infisical session (token in memory)
 * is reused while the instance and identity stay the same.
 */
export function createPrepare(options: { fetch: FetchLike; signIn: MicrosoftSignIn; now: () => Date }) {
  let cached: { key: string; session: InfisicalSession } | null = null;
  const ado = createAzureDevOpsClient({ endpoints: PUBLIC_CLOUD, fetch: options.fetch });

  return async function prepare(): Promise<PreparedDeps> {
    const settings = await readSettings();
    const instanceUrl = settings.infisicalUrl;
    if (!instanceUrl || !settings.identityClientId || !settings.microsoftClientId) {
      throw new ExtensionError('not-configured', 'The extension is not configured.');
    }
    const granted = await browser.permissions.contains({ origins: [originPattern(instanceUrl)] });
    if (!granted) throw new ExtensionError('permission-missing', `No host permission for ${instanceUrl}.`);

    const infisical = createInfisicalClient({ baseUrl: instanceUrl, fetch: options.fetch });
    const key = `${instanceUrl} ${settings.identityClientId}`;
    if (cached?.key !== key) {
      const clientId = settings.identityClientId;
      cached = {
        key,
        session: createInfisicalSession({
          client: infisical,
          now: () => options.now().getTime(),
          credentials: async () => {
            const clientSecret = await readIdentitySecret();
            return clientSecret ? { clientId, clientSecret } : null;
          },
        }),
      };
    }
    return {
      instanceUrl,
      infisical,
      session: cached.session,
      ado,
      signIn: options.signIn,
      microsoftClientId: settings.microsoftClientId,
      now: options.now,
    };
  };
}
