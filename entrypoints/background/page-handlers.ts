import { browser } from 'wxt/browser';
import { assertAllowedByPolicy } from '@/utils/policy/enforce';
import { z } from 'zod/mini';
import { parseAdoUrl } from '@/utils/azure-devops/page-url';
import { asBoundaryError, ExtensionError } from '@/utils/errors/boundary-error';
import { describeError } from '@/utils/errors/describe-error';
import { connectionNameFor, connectionNameSchema, orgNameSchema } from '@/utils/inputs';
import { parseInput } from '@/utils/parse-input';
import type { PageConnectAnswer, pageMessaging as PageMessaging } from '@/utils/messaging';
import type { ConnectionKey } from '@/utils/connection-key';
import { readIdentitySecret, secretUsable } from '@/utils/storage/secret';
import type { Settings } from '@/utils/storage/settings';
import { flowFor, readFlows } from '@/utils/storage/view';
import type { createFlowRunner } from '@/utils/worker/flow-runner';
import type { Inventory } from '@/utils/worker/inventory';
import type { createRenewals } from '@/utils/worker/renewals';
import { statusPhrase } from '@/utils/connections/badge';
import { needsAttention } from '@/utils/connections/status';
import type { Services } from './services';

interface Parts {
  services: Services;
  runner: ReturnType<typeof createFlowRunner>;
  inventory: Pick<Inventory, 'view'>;
  renewals: Pick<ReturnType<typeof createRenewals>, 'startOne'>;
}

interface Sender {
  id?: string;
  url?: string;
  frameId?: number;
  tab?: { id?: number };
}

/**
 * The sender is this extension's content script, in the top frame of an Azure DevOps page of
 * exactly this org. Web pages cannot message the extension at all (no externally_connectable).
 * @throws ExtensionError `forbidden-sender`.
 */
export function assertFromOrgPage(sender: Sender, org: string): void {
  const page = parseAdoUrl(sender.url);
  const ok = sender.id === browser.runtime.id && sender.tab?.id !== undefined && sender.frameId === 0 && page?.org.toLowerCase() === org.toLowerCase();
  if (!ok) throw new ExtensionError('forbidden-sender', 'Only the extension’s own script on this organization’s Azure DevOps page may ask for that.');
}

const input = z.object({ org: orgNameSchema, mode: z.optional(z.enum(['create', 'update', 'renew'])) });
const statusInput = z.object({ org: orgNameSchema, name: z.optional(connectionNameSchema) });

/** One-click connect from Azure DevOps pages: the default method, the page's org, the discovered tenant. */
export function registerPageHandlers(messaging: typeof PageMessaging, { services, runner, inventory, renewals }: Parts) {
  messaging.onMessage('page.connect', async ({ data, sender }): Promise<PageConnectAnswer> => {
    const { org, mode } = parseInput(input, data);
    assertFromOrgPage(sender, org);
    const settings = await services.settings();
    const missing = await missingSetting(settings);
    if (missing) return openSetup(missing);
    // A click while this page's connection is being made (another tab, a second click) joins it.
    const key = pageKey(org, settings);
    const running = runner.runningFor(key);
    if (running) return { kind: 'started', flow: running };
    try {
      const { infisical } = await services.infisical();
      const { name } = key;
      const found = await infisical.appConnections.findByName(name);
      // Names are cut to 32 characters, so two orgs' template names can meet: a page may update or
      // renew only a connection of its own org.
      const ours = !found || found.credentials.orgName.toLowerCase() === org.toLowerCase();
      const existing = ours ? found : null;
      if (found && !ours) {
        return { kind: 'exists', name, method: found.method, updatedAt: found.updatedAt ?? null, canUpdate: false, renewal: null };
      }
      // Its renewal, when it is due (utils/worker/renewals.ts): a new PAT, PATCH, the old one revoked.
      const due = existing ? (await inventory.view(false)).rows.find((r) => r.id === existing.id && r.renew === 'renew') : undefined;
      const renewal = due && needsAttention(due.status) ? statusPhrase(due.status) : null;
      if (existing && mode === 'renew' && renewal) return { kind: 'started', flow: (await renewals.startOne(existing.id)).flow };
      if (existing && mode !== 'update') {
        return { kind: 'exists', name, method: existing.method, updatedAt: existing.updatedAt ?? null, canUpdate: existing.method === 'access-token', renewal };
      }
      // One-click connects sign in with Microsoft: refused here, before any request, when the policy forbids it.
      assertAllowedByPolicy({ method: 'microsoft', patLifetimeDays: settings.patLifetimeDays }, await services.rules());
      const { tenantId, msa } = await services.ado.discoverTenant(org);
      if (msa) throw new ExtensionError('msa-org', `'${org}' signs in with Microsoft accounts.`);
      const flow = await runner.start({
        method: 'microsoft',
        org,
        tenant: tenantId,
        connectionName: name,
        patLifetimeDays: settings.patLifetimeDays,
        mode: existing ? 'update' : 'create',
      });
      return { kind: 'started', flow };
    } catch (error) {
      if (asBoundaryError(error)?.code === 'permission-missing') return openSetup('infisicalUrl');
      return { kind: 'error', error: describeError(error) };
    }
  });

  messaging.onMessage('page.status', async ({ data, sender }) => {
    const { org, name } = parseInput(statusInput, data);
    assertFromOrgPage(sender, org);
    // Only a flow of this org: a page never learns about another org's connection. The flow it
    // follows by name (the template may have changed since it started), else the template's.
    const settings = await services.settings();
    return flowFor(await readFlows(), pageKey(org, settings, name), org);
  });
}

/** The connection a page's one-click connect makes: the configured instance, the organization's scope, the template's name. */
function pageKey(org: string, settings: Settings, name = connectionNameFor(org, settings.connectionNameTemplate)): ConnectionKey {
  return { instanceUrl: settings.infisicalUrl ?? '', projectId: null, name };
}

/** The first setting a page's action needs that is not there yet, or null. */
export async function missingSetting(settings: Settings): Promise<string | null> {
  if (!settings.infisicalUrl) return 'infisicalUrl';
  if (settings.identityAuth === 'universal-auth' && !settings.identityClientId) return 'identityClientId';
  return secretUsable(await readIdentitySecret(), settings) ? null : 'identityClientSecret';
}

/** Not set up yet: open the options page at the missing field. */
export async function openSetup(missing: string): Promise<{ kind: 'setup'; missing: string }> {
  await browser.tabs.create({ url: browser.runtime.getURL(`/options.html#${missing}`) });
  return { kind: 'setup', missing };
}
