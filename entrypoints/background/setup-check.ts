import { browser } from 'wxt/browser';
import type { FetchLike } from '@/utils/http/request';
import { createInfisicalEndpoints } from '@/utils/infisical/api';
import type { SignIn } from '@/utils/microsoft/sign-in';
import { createSetupCheck } from '@/utils/setup/run-setup-check';
import { setupInfisical } from '@/utils/setup/setup-infisical';
import { markSecretRefused, readIdentitySecret } from '@/utils/storage/secret';
import { readSettings } from '@/utils/storage/view';

/** The setup check (utils/setup/run-setup-check.ts) wired to this browser, its storage and `fetch`. */
export function createBackgroundSetupCheck(edges: { fetch: FetchLike; signIn: SignIn }) {
  return createSetupCheck({
    readSettings,
    readSecret: readIdentitySecret,
    infisical: (origin) => setupInfisical(createInfisicalEndpoints({ instanceUrl: origin, fetch: edges.fetch }), markSecretRefused),
    signIn: edges.signIn,
    redirectUri: () => browser.identity.getRedirectURL(),
    browserName: import.meta.env.FIREFOX ? 'firefox' : 'chromium',
    hasHostPermission: (origin) => browser.permissions.contains({ origins: [`${origin}/*`] }),
  });
}
