import { z } from 'zod/mini';
import { assertAllowedByPolicy } from '@/utils/policy/enforce';
import { toUserFacing } from '@/utils/errors/to-user-facing';
import { connectionScopes } from '@/utils/infisical/scopes';
import { orgNameSchema, connectionNameSchema, infisicalProjectIdSchema, tenantIdSchema } from '@/utils/inputs';
import { parseInput } from '@/utils/parse-input';
import { signInTenantSchema } from '@/utils/setup/check-items';
import type { backgroundMessaging as Messaging } from '@/utils/messaging';
import type { MicrosoftSignIn } from '@/utils/microsoft/sign-in';
import type { createFlowRunner } from '@/utils/worker/flow-runner';
import type { createOAuthTab } from '@/utils/worker/oauth-tab';
import type { createExpiryWatch } from '@/utils/worker/expiry-watch';
import type { Inventory } from '@/utils/worker/inventory';
import type { createRemoval } from '@/utils/worker/removal';
import type { createRenewals } from '@/utils/worker/renewals';
import type { Syncs } from '@/utils/worker/syncs';
import { assertFromExtensionPage, assertFromPage } from './senders';
import type { Services } from './services';
import { createBackgroundSetupCheck } from './setup-check';

interface Parts {
  services: Services;
  runner: ReturnType<typeof createFlowRunner>;
  oauthTab: ReturnType<typeof createOAuthTab>;
  signIn: MicrosoftSignIn;
  syncs: Syncs;
  connections: {
    inventory: Inventory;
    renewals: ReturnType<typeof createRenewals>;
    removal: ReturnType<typeof createRemoval>;
    watch: ReturnType<typeof createExpiryWatch>;
  };
}

/** An Infisical connection id as a page sends it. */
const idInput = z.object({ id: z.string().check(z.minLength(1), z.maxLength(100)) });

/**
 * Every message the background answers. Each handler checks the sender first and validates its
 * input with zod; nothing returned carries a secret.
 */
export function registerHandlers(bus: typeof Messaging, { services, runner, oauthTab, signIn, connections, syncs }: Parts): void {
  // Errors go back to the page already written as sentences (the pages carry no error catalogue).
  const messaging = {
    onMessage: ((type: Parameters<typeof bus.onMessage>[0], handler: (m: never) => unknown) =>
      bus.onMessage(type, (async (message: never) => {
        try {
          return await handler(message);
        } catch (error) {
          throw toUserFacing(error);
        }
      }) as never)) as typeof bus.onMessage,
  };
  const setupCheck = createBackgroundSetupCheck({ fetch: (input, init) => fetch(input, init), signIn });

  messaging.onMessage('connect.start', ({ data, sender }) => {
    assertFromExtensionPage(sender);
    return runner.start(data);
  });
  messaging.onMessage('flow.dismiss', ({ data, sender }) => {
    assertFromExtensionPage(sender);
    return runner.dismiss(parseInput(idInput, data).id);
  });
  messaging.onMessage('discover.tenant', ({ data, sender }) => {
    assertFromExtensionPage(sender);
    const { org } = parseInput(z.object({ org: orgNameSchema }), data);
    return services.ado.discoverTenant(org);
  });
  messaging.onMessage('connection.lookup', async ({ data, sender }) => {
    assertFromExtensionPage(sender);
    const { name, projectId } = parseInput(z.object({ name: connectionNameSchema, projectId: z._default(z.nullable(infisicalProjectIdSchema), null) }), data);
    const { infisical } = await services.infisical();
    const found = await infisical.appConnections.findByName(name, projectId);
    return found ? { id: found.id, method: found.method, org: found.credentials.orgName, updatedAt: found.updatedAt ?? null } : null;
  });
  messaging.onMessage('orgs.list', async ({ data, sender }) => {
    assertFromExtensionPage(sender);
    const { tenant } = parseInput(z.object({ tenant: signInTenantSchema }), data);
    // The list is part of "Sign in with Microsoft" (the popup offers it only there): not where the policy forbids it.
    assertAllowedByPolicy({ method: 'microsoft' }, await services.rules());
    const token = await services.entraToken({ clientId: await services.microsoftClientId(), tenant });
    return services.ado.listOrganizations(token.accessToken);
  });
  messaging.onMessage('instance.methods', async ({ sender }) => {
    assertFromExtensionPage(sender);
    const { infisical } = await services.infisical();
    return { oauth: Boolean(await infisical.appConnections.oauthClientId()) };
  });
  messaging.onMessage('instance.scopes', async ({ sender }) => {
    assertFromExtensionPage(sender);
    const { infisical } = await services.infisical();
    return connectionScopes(infisical);
  });
  messaging.onMessage('signin.prepare', async ({ data, sender }) => {
    assertFromExtensionPage(sender);
    const { tenant } = parseInput(z.object({ tenant: tenantIdSchema }), data);
    assertAllowedByPolicy({ method: 'microsoft' }, await services.rules());
    const clientId = await services.microsoftClientId();
    // With a token in hand no sign-in follows: do not open an offscreen document for nothing.
    if (!services.entraToken.has({ clientId, tenant })) await signIn.prepare({ clientId, tenant });
  });
  messaging.onMessage('setup.check', ({ data, sender }) => {
    assertFromExtensionPage(sender);
    const input = parseInput(z.object({ testSignIn: z.boolean(), tenant: z.optional(signInTenantSchema) }), data);
    return setupCheck(input);
  });
  messaging.onMessage('oauth.callback', ({ data, sender }) => {
    assertFromPage(sender, '/oauth-callback.html');
    const { url } = parseInput(z.object({ url: z.url() }), data);
    return oauthTab.deliver(sender, url);
  });

  // The connections view (utils/connections/view-model.ts); the badge follows every view read and
  // every change (the records' writes, entrypoints/background/index.ts).
  messaging.onMessage('connections.list', async ({ data, sender }) => {
    assertFromExtensionPage(sender);
    const { refresh } = parseInput(z.object({ refresh: z.boolean() }), data);
    const view = await connections.inventory.view(refresh);
    void connections.watch.show(view);
    return view;
  });
  messaging.onMessage('connections.renew', ({ data, sender }) => {
    assertFromExtensionPage(sender);
    return connections.renewals.renewOne(parseInput(idInput, data).id);
  });
  messaging.onMessage('connections.renewAll', ({ sender }) => {
    assertFromExtensionPage(sender);
    return connections.renewals.renewAll();
  });
  messaging.onMessage('syncs.list', ({ data, sender }) => {
    assertFromExtensionPage(sender);
    return syncs.all(parseInput(z.object({ refresh: z.boolean() }), data).refresh);
  });
  messaging.onMessage('syncs.run', async ({ data, sender }) => {
    assertFromExtensionPage(sender);
    return syncs.run(parseInput(z.object({ syncId: z.string().check(z.minLength(1), z.maxLength(100)) }), data).syncId);
  });
  messaging.onMessage('connections.remove', ({ data, sender }) => {
    assertFromExtensionPage(sender);
    return connections.removal.remove(parseInput(idInput, data).id);
  });
  messaging.onMessage('connections.forget', ({ data, sender }) => {
    assertFromExtensionPage(sender);
    return connections.removal.forget(parseInput(idInput, data).id);
  });
}
