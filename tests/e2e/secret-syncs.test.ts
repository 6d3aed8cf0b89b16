import type { ElementHandle, Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { INFISICAL, INFISICAL_PROJECTS, ORGS } from '../sandbox/fixtures';
import { seedVariableGroup } from '../sandbox/seed';
import type { VariableGroupRecord } from '../sandbox/state';
import { BROWSERS, pollFor } from './support/browsers';
import { useWorld } from './support/world';

/**
 * "Sync secrets from Infisical" on Azure DevOps project pages (entrypoints/azure-devops.content/sync-panel.ts),
 * end to end in every browser against the sandbox: the plan said before anything is written, the
 * org's connection made first when there is none, the secret sync created in the fake Infisical,
 * its job run into the fake Azure DevOps' variable group, and the run followed in the panel.
 */
describe.each(BROWSERS)('%s', (browserName) => {
  const world = useWorld(browserName);

  const HOST = 'infisical-connect';
  const SYNC_OPEN = '::-p-aria([name="Sync secrets from Infisical"][role="button"])';
  const PAYMENTS = INFISICAL_PROJECTS.payments;
  const [ADO_PAYMENTS, ADO_PLATFORM] = ORGS.contoso.projects;
  const folder = (env: string, path: string): { secrets: Record<string, string> } => PAYMENTS.folders.find((f) => f.environment === env && f.path === path)!;
  /** Every secret of a folder as the group must hold it: each one secret. */
  const asSecretVariables = (secrets: Record<string, string>) => Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, { value: v, isSecret: true }]));

  /**
   * The control's closed shadow root: reached from an element inside it (ARIA selectors reach
   * closed roots in both browsers), whose root node it is. Found again once the control re-mounts.
   */
  const roots = new WeakMap<Page, ElementHandle<Node>>();
  async function root(page: Page): Promise<ElementHandle<Node>> {
    const known = roots.get(page);
    if (known && (await known.evaluate((r) => (r as ShadowRoot).host.isConnected).catch(() => false))) return known;
    const inside = await world.ext.waitForInClosedShadow(page, HOST, SYNC_OPEN, 10_000);
    const found = (await inside.evaluateHandle((el) => el.getRootNode())) as ElementHandle<Node>;
    roots.set(page, found);
    return found;
  }

  /** An element of the control, once there (polled from here: the tab may be in the background). */
  const find = (page: Page, selector: string, timeout = 15_000) =>
    pollFor(async () => (await (await root(page)).$(selector)) as ElementHandle<Element> | null, timeout, `${selector} in the page control`, 150).catch(async (error) => {
      throw new Error(`${(error as Error).message}; the panel reads: ${await panelText(page).catch(() => '?')}`);
    });

  /** What the control shows, as a person reads it (the panel, not the page). */
  const panelText = async (page: Page) => (await root(page)).evaluate((r) => ((r as ShadowRoot).querySelector('.panel.sync') as HTMLElement | null)?.innerText ?? '');

  /** The text of an element of the control once it matches. */
  async function textOf(page: Page, selector: string, pattern: RegExp, timeout = 15_000): Promise<string> {
    return pollFor(
      async () => {
        const el = await (await root(page)).$(selector);
        const text = el ? await el.evaluate((e) => (e as HTMLElement).innerText) : null;
        return text !== null && pattern.test(text) ? text : null;
      },
      timeout,
      `${selector} to read ${pattern}`,
      150,
    ).catch(async (error) => {
      throw new Error(`${(error as Error).message}; the panel reads: ${await panelText(page).catch(() => '?')}`);
    });
  }

  const click = async (page: Page, selector: string) => (await find(page, selector)).evaluate((el) => (el as HTMLElement).click());

  async function openProjectPage(project: string = ADO_PAYMENTS.name): Promise<Page> {
    const page = await world.ext.browser.newPage();
    await page.setViewport({ width: 1100, height: 800 });
    await page.goto(`https://dev.azure.com/contoso/${project}`);
    await root(page);
    return page;
  }

  interface Choice {
    project?: string;
    environment: string;
    path: string;
  }

  /** Open the panel and fill its form (the Infisical project, environment and secret path). */
  async function openAndChoose(page: Page, choice: Choice) {
    await click(page, '[data-action=sync-open]');
    const project = await find(page, 'select[name=infisical-project]');
    await project.select(choice.project ?? PAYMENTS.id);
    await (await find(page, 'select[name=environment]')).select(choice.environment);
    await (await find(page, 'input[name=secret-path]')).evaluate((input, path) => {
      (input as HTMLInputElement).value = path;
    }, choice.path);
  }

  /** The panel's plan, after Review. */
  async function review(page: Page): Promise<string> {
    await click(page, '[data-action=sync-review]');
    return textOf(page, '[data-testid=sync-plan]', /variable group/);
  }

  const groupsNamed = (name: string) => world.sandbox.state.variableGroups.filter((g) => g.org === 'contoso' && g.name === name);
  const groupIn = (name: string, adoProjectId: string): VariableGroupRecord | undefined =>
    groupsNamed(name).find((g) => g.variableGroupProjectReferences.some((r) => r.projectReference.id === adoProjectId));
  const variableGroupWrites = () => world.sandbox.requests.filter((r) => r.host === 'dev.azure.com' && /distributedtask\/variablegroups/.test(r.path) && r.method !== 'GET');
  const minted = () => world.sandbox.state.pats.filter((p) => p.displayName.startsWith('Infisical '));

  /** The sync's line in the panel once its run has ended (the panel asks again every second). */
  const runEnded = (page: Page, syncId: string, status: 'succeeded' | 'failed') =>
    find(page, `[data-testid=sync-line][data-sync-id="${syncId}"] [data-testid=sync-state][data-status=${status}]`, 20_000);

  /** Review and create from a fresh project page; answers the page and the sync once Infisical's first run has ended. */
  async function createFromPage(choice: Choice) {
    const page = await openProjectPage();
    await openAndChoose(page, choice);
    await review(page);
    await click(page, '[data-action=sync-create]');
    await find(page, '[data-testid=sync-line]', 45_000);
    expect(world.sandbox.state.secretSyncs).toHaveLength(1);
    const sync = world.sandbox.state.secretSyncs[0]!;
    await world.sandbox.syncsSettled();
    await runEnded(page, sync.id, 'succeeded');
    return { page, sync };
  }

  it('from a project page with no connection: the plan, then the connection and the sync in one go; the group holds the secrets, all secret; the choice is offered again', async () => {
    const page = await openProjectPage();
    await openAndChoose(page, { environment: 'dev', path: '/api' });
    expect(await textOf(page, '[data-testid=sync-connection-first]', /no connection/)).toBe(
      'There is no connection for contoso yet: the extension makes “azure-devops-contoso” first (Sign in with Microsoft).',
    );
    const plan = await review(page);
    expect(plan).toBe(
      `Infisical will write the secrets of ${PAYMENTS.name} › Development at /api (not its subfolders) into the variable group “Development” of ${ADO_PAYMENTS.name}, each one as a secret variable, now and whenever they change. The group is named after the environment; its name cannot be chosen.`,
    );
    const said = await panelText(page);
    expect(said).toContain('The group does not exist yet: Infisical creates it.');
    expect(said).toContain('The connection “azure-devops-contoso” is made first (Sign in with Microsoft).');
    // Reading is all the plan did.
    expect([world.sandbox.state.connections, world.sandbox.state.secretSyncs, world.sandbox.state.variableGroups, minted()]).toEqual([[], [], [], []]);

    await click(page, '[data-action=sync-create]');
    await find(page, '[data-testid=sync-line]', 45_000);
    // The one-click connection: Sign in with Microsoft, a PAT for contoso, held by the connection.
    const { connections, secretSyncs } = world.sandbox.state;
    expect(connections).toHaveLength(1);
    expect(connections[0]).toMatchObject({ name: 'azure-devops-contoso', method: 'access-token', projectId: null, credentials: { orgName: 'contoso' } });
    expect(minted().map((p) => [p.org, p.status])).toEqual([['contoso', 'active']]);
    expect(connections[0]!.secretCredentials.accessToken).toBe(minted()[0]!.token);
    expect(secretSyncs).toHaveLength(1);
    const sync = secretSyncs[0]!;
    expect(sync).toMatchObject({
      projectId: PAYMENTS.id,
      connectionId: connections[0]!.id,
      isAutoSyncEnabled: true,
      destinationConfig: { devopsProjectId: ADO_PAYMENTS.id, devopsProjectName: ADO_PAYMENTS.name },
    });

    await world.sandbox.syncsSettled();
    const group = groupIn('Development', ADO_PAYMENTS.id);
    expect(groupsNamed('Development')).toHaveLength(1);
    // Exactly the secrets at /api of dev: not those of dev's root, nor of another environment.
    expect(group?.variables).toEqual(asSecretVariables(folder('dev', '/api').secrets));

    const line = `[data-testid=sync-line][data-sync-id="${sync.id}"]`;
    await runEnded(page, sync.id, 'succeeded');
    expect(await textOf(page, `${line} [data-testid=sync-state]`, /^Synced/)).toMatch(/^Synced \S/);
    expect(await (await find(page, `${line} [data-testid=sync-link]`)).evaluate((a) => (a as HTMLAnchorElement).href)).toBe(
      `${INFISICAL.siteUrl}/projects/secret-management/${PAYMENTS.id}/integrations/secret-syncs/azure-devops/${sync.id}`,
    );
    await page.screenshot({ path: world.artifact('page-sync.png') });
    await page.close();

    // Another visit to the project: the same choice is offered, and the sync is listed with its state.
    const again = await openProjectPage();
    await click(again, '[data-action=sync-open]');
    await find(again, 'select[name=infisical-project]');
    const offered = await (await root(again)).evaluate((r) => {
      const value = (s: string) => ((r as ShadowRoot).querySelector(s) as HTMLInputElement | HTMLSelectElement).value;
      return [value('select[name=infisical-project]'), value('select[name=environment]'), value('input[name=secret-path]')];
    });
    expect(offered).toEqual([PAYMENTS.id, 'dev', '/api']);
    await find(again, `${line} [data-testid=sync-state][data-status=succeeded]`);
    await again.close();
  });

  it('an existing variable group of that name is warned about, with its count, before anything is written; creating replaces its variables', async () => {
    const existing = seedVariableGroup(world.sandbox, {
      project: ADO_PAYMENTS.name,
      name: 'Staging',
      variables: { ADDED_BY_HAND: 'keep-me?', FEATURE_FLAG: 'on', LEGACY_URL: 'https://old' },
    });
    const before = structuredClone(existing);
    const page = await openProjectPage();
    await openAndChoose(page, { environment: 'staging', path: '/' });
    await review(page);
    expect(await textOf(page, '[data-testid=sync-existing-group]', /already exists/)).toBe(
      `A variable group named “Staging” already exists in ${ADO_PAYMENTS.name} with 3 variables: all of them will be replaced, and variables added there by hand disappear at every sync.`,
    );
    // The moment the warning shows: no sync, no connection, no PAT, the group as it was, no write sent to Azure DevOps.
    expect(world.sandbox.state.secretSyncs).toEqual([]);
    expect(world.sandbox.state.connections).toEqual([]);
    expect(minted()).toEqual([]);
    expect(world.sandbox.state.variableGroups).toEqual([before]);
    expect(variableGroupWrites()).toEqual([]);

    const create = await find(page, '[data-action=sync-create]');
    expect(await create.evaluate((b) => b.textContent)).toBe('Replace its variables and sync');
    await create.evaluate((b) => (b as HTMLElement).click());
    await find(page, '[data-testid=sync-line]', 45_000);
    await world.sandbox.syncsSettled();
    const sync = world.sandbox.state.secretSyncs[0]!;
    await runEnded(page, sync.id, 'succeeded');
    // The same group (no second one), its variables replaced by staging's secrets: the hand-added ones are gone.
    expect(world.sandbox.state.variableGroups.map((g) => g.id)).toEqual([existing.id]);
    expect(groupIn('Staging', ADO_PAYMENTS.id)?.variables).toEqual(asSecretVariables(folder('staging', '/').secrets));
    await page.close();
  });

  it('an identity that may not create secret syncs gets the catalogue’s sentence; no sync is created, the group is untouched and the connection made for it is removed again', async () => {
    world.sandbox.config.infisical.identity.projectActions['secret-syncs'] = ['read'];
    const existing = seedVariableGroup(world.sandbox, { project: ADO_PAYMENTS.name, name: 'Development', variables: 2 });
    const before = structuredClone(existing);
    const page = await openProjectPage();
    await openAndChoose(page, { environment: 'dev', path: '/' });
    await review(page);
    await click(page, '[data-action=sync-create]');
    expect(await textOf(page, '[data-testid=sync-error]', /./, 45_000)).toBe('The machine identity may not create secret syncs in this Infisical project.');
    expect(await panelText(page)).toContain(
      'In Infisical › your project › Access Control › Roles, give the identity’s project role the “secret-syncs: create” permission (syncing from Azure DevOps pages needs read, create and sync-secrets), or make the identity a project Admin in Infisical › your project › Access Control › Machine Identities.',
    );
    const creates = world.sandbox.requests.filter((r) => r.host.startsWith('infisical') && r.method === 'POST' && /^\/api\/v1\/secret-syncs\/azure-devops\/?$/.test(r.path));
    expect(creates.map((r) => r.status)).toEqual([403]);
    await world.sandbox.syncsSettled();
    expect(world.sandbox.state.secretSyncs).toEqual([]);
    expect(world.sandbox.state.secretSyncJobs).toEqual([]);
    expect(world.sandbox.state.variableGroups).toEqual([before]);
    // The connection made for this sync alone is not left behind: deleted again, its PAT revoked.
    expect(world.sandbox.state.connections).toEqual([]);
    expect(minted().map((p) => p.status)).toEqual(['revoked']);
    expect(variableGroupWrites()).toEqual([]);
    await page.close();
  });

  it('follows the page: after an in-page move to another project the panel is about that project', async () => {
    const page = await openProjectPage();
    await click(page, '[data-action=sync-open]');
    await find(page, 'select[name=infisical-project]');
    expect(await (await find(page, '.panel.sync')).evaluate((p) => p.getAttribute('aria-label'))).toBe(`Secret syncs into ${ADO_PAYMENTS.name}`);

    await page.click(`.navigation-container a[href="/contoso/${ADO_PLATFORM.name}"]`);
    await page.waitForFunction((name) => document.querySelector('.project-name')?.textContent === name, { polling: 200 }, ADO_PLATFORM.name);
    expect(page.url()).toBe(`https://dev.azure.com/contoso/${ADO_PLATFORM.name}`);
    // A new control for the new project (the old one is gone with its open panel).
    await pollFor(async () => ((await (await root(page)).$('.panel.sync[aria-label="Secret syncs into Platform"]')) ? true : null), 10_000, 'the control for Platform');
    expect(await page.$$eval(HOST, (hosts) => hosts.length)).toBe(1);
    await openAndChoose(page, { environment: 'prod', path: '/' });
    expect(await review(page)).toBe(
      `Infisical will write the secrets of ${PAYMENTS.name} › Production at / (not its subfolders) into the variable group “Production” of ${ADO_PLATFORM.name}, each one as a secret variable, now and whenever they change. The group is named after the environment; its name cannot be chosen.`,
    );
    // The plan was read for Platform's id, never Payments'.
    const reads = world.sandbox.requests.filter((r) => r.host === 'dev.azure.com' && /distributedtask\/variablegroups/.test(r.path));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.path.includes(ADO_PLATFORM.id) && !r.path.includes(ADO_PAYMENTS.id))).toBe(true);
    await page.close();
  });

  it('Sync now runs the sync again (a changed secret reaches the group); a failed run is shown with the catalogue’s sentence', async () => {
    const { page, sync } = await createFromPage({ environment: 'dev', path: '/' });
    const line = `[data-testid=sync-line][data-sync-id="${sync.id}"]`;
    const secrets = world.sandbox.state.infisicalProjects.find((p) => p.id === PAYMENTS.id)!.folders.find((f) => f.environment === 'dev' && f.path === '/')!.secrets as Record<
      string,
      string
    >;
    secrets.STRIPE_SECRET_KEY = 'sk_test_51Sandbox0Rotated';
    // Not until the sync runs again.
    expect(groupIn('Development', ADO_PAYMENTS.id)?.variables.STRIPE_SECRET_KEY?.value).toBe(folder('dev', '/').secrets.STRIPE_SECRET_KEY);

    await click(page, `${line} [data-action=sync-now]`);
    await pollFor(async () => (world.sandbox.state.secretSyncJobs.length === 2 ? true : null), 10_000, 'a second sync job');
    await world.sandbox.syncsSettled();
    expect(groupIn('Development', ADO_PAYMENTS.id)?.variables).toEqual(asSecretVariables({ ...folder('dev', '/').secrets, STRIPE_SECRET_KEY: 'sk_test_51Sandbox0Rotated' }));
    await runEnded(page, sync.id, 'succeeded');

    // The connection turned into one the sync cannot use (Infisical: "Unsupported connection method").
    world.sandbox.state.connections[0]!.method = 'client-secret';
    await click(page, `${line} [data-action=sync-now]`);
    await pollFor(async () => (world.sandbox.state.secretSyncJobs.length === 3 ? true : null), 10_000, 'a third sync job');
    await world.sandbox.syncsSettled();
    expect(world.sandbox.state.secretSyncs[0]).toMatchObject({ syncStatus: 'failed', lastSyncMessage: 'Unsupported connection method' });
    await runEnded(page, sync.id, 'failed');
    const shown = await textOf(page, line, /cannot sync/);
    expect(shown).toContain('The last sync failed');
    expect(shown).toContain('This Infisical instance cannot sync with a service-principal (client secret) connection.');
    expect(shown).toContain('Make the organization’s connection with “Sign in with Microsoft” (a personal access token) or with Infisical’s OAuth app, then choose it for the sync.');
    await page.close();
  });
});
