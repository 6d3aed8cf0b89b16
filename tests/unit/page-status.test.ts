import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { registerPageHandlers } from '@/entrypoints/background/page-handlers';
import { initialFlowState } from '@/utils/flow/flow-state';
import { METHOD_STEPS } from '@/utils/flow/run-connect';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';
import { readSettings } from '@/utils/storage/view';

/** What an Azure DevOps page learns of flows: its org's, told apart by connection key (entrypoints/background/page-handlers.ts). */
const INSTANCE = 'https://infisical.example';
const flow = (id: string, org: string, connectionName: string, instanceUrl = INSTANCE) =>
  initialFlowState({ id, method: 'microsoft', update: false, org, connectionName, instanceUrl, projectId: null }, METHOD_STEPS.microsoft, new Date());

function pageStatus() {
  const handlers = new Map<string, (m: { data: unknown; sender: unknown }) => Promise<unknown>>();
  const messaging = { onMessage: (type: string, handler: never) => handlers.set(type, handler) };
  registerPageHandlers(messaging as never, { services: { settings: readSettings } as never, runner: {} as never, inventory: {} as never, renewals: {} as never });
  return (org: string, data: object) =>
    handlers.get('page.status')!({ data: { org, ...data }, sender: { id: fakeBrowser.runtime.id, url: `https://dev.azure.com/${org}/x`, frameId: 0, tab: { id: 1 } } }) as Promise<{
      id: string;
    } | null>;
}

beforeEach(async () => {
  fakeBrowser.reset();
  await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, infisicalUrl: INSTANCE, connectionNameTemplate: 'ado-{org}' } });
});

describe('page.status', () => {
  it('shows the flow of the page’s connection key: the template’s name, or the name the page follows; never another org’s or instance’s', async () => {
    await fakeBrowser.storage.session.set({
      flows: [
        flow('elsewhere', 'contoso', 'ado-contoso', 'https://other-infisical.example'),
        flow('second-name', 'contoso', 'contoso-second'),
        flow('template', 'contoso', 'ado-contoso'),
        flow('northwind', 'northwind', 'contoso-second'),
      ],
    });
    const status = pageStatus();
    expect((await status('contoso', {}))?.id).toBe('template');
    expect((await status('contoso', { name: 'contoso-second' }))?.id).toBe('second-name');
    expect((await status('northwind', { name: 'contoso-second' }))?.id).toBe('northwind');
    expect(await status('northwind', {})).toBeNull();
  });
});
