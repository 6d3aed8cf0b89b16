import { z } from 'zod/mini';
import { parseAdoUrl } from '@/utils/azure-devops/page-url';
import { asBoundaryError, ExtensionError } from '@/utils/errors/boundary-error';
import { describeError } from '@/utils/errors/describe-error';
import { checkSecretPath } from '@/utils/flow/sync-to-project';
import { infisicalProjectIdSchema, orgNameSchema } from '@/utils/inputs';
import type { PageSyncAnswer, pageMessaging as PageMessaging } from '@/utils/messaging';
import { parseInput } from '@/utils/parse-input';
import type { Syncs } from '@/utils/worker/syncs';
import { assertFromOrgPage, missingSetting, openSetup } from './page-handlers';
import type { Services } from './services';

/** Azure DevOps project names: at most 64 characters (docs/contracts.md B.6). */
const projectName = z.string().check(z.trim(), z.minLength(1, 'Open an Azure DevOps project first.'), z.maxLength(64, 'Azure DevOps project names have at most 64 characters.'));
const page = { org: orgNameSchema, project: projectName };
const choice = z.object({
  infisicalProjectId: infisicalProjectIdSchema,
  environment: z
    .string()
    .check(
      z.minLength(1, 'Choose an environment.'),
      z.maxLength(64, 'That is not an environment of the project.'),
      z.regex(/^[A-Za-z0-9_-]+$/, 'That is not an environment of the project.'),
    ),
  secretPath: z.string().check(z.trim(), z.maxLength(1000, 'The secret path may be at most 1000 characters long.')),
});
const onPage = z.object(page);
const withChoice = z.object({ ...page, choice });
const count = z.nullable(z.number().check(z.int(), z.nonnegative()));
const confirmed = z.object({ existingGroupVariables: count, clashingGroup: z.nullable(z.string().check(z.maxLength(256))), connectionExists: z.boolean() });
const toCreate = z.object({ ...page, choice, confirmed });
const withSync = z.object({ ...page, syncId: z.string().check(z.minLength(1), z.maxLength(100)) });

/**
 * The sender is the extension's script on a page of exactly this org and project: a page reads and
 * creates syncs of its own project only (project names compare without case, as Azure DevOps does).
 * @throws ExtensionError `forbidden-sender`.
 */
export function assertFromProjectPage(sender: Parameters<typeof assertFromOrgPage>[0] & { tab?: { url?: string } }, org: string, project: string): void {
  assertFromOrgPage(sender, org);
  // Chromium keeps `sender.url` at the address the script started on: after Azure DevOps' in-page
  // move to another project it still names the first. The tab's address (the top frame's) is where the page is now.
  const at = (sender.frameId === 0 && sender.tab?.url) || sender.url;
  if (parseAdoUrl(at)?.project?.toLowerCase() !== project.toLowerCase()) {
    throw new ExtensionError('forbidden-sender', 'Only the extension’s own script on this project’s Azure DevOps page may ask for that.');
  }
}

/**
 * "Sync secrets from Infisical" on Azure DevOps project pages (utils/worker/syncs.ts). Every answer
 * is `{ ok }` with the value, or the error in words; a setup not finished opens the options page.
 */
export function registerPageSyncHandlers(messaging: typeof PageMessaging, { services, syncs }: { services: Pick<Services, 'settings'>; syncs: Syncs }) {
  async function answer<T>(run: () => Promise<T>): Promise<PageSyncAnswer<T>> {
    const missing = await missingSetting(await services.settings());
    if (missing)
      return {
        ok: false,
        ...(await openSetup(missing)),
        error: { title: 'The extension is not set up yet.', fix: 'Finish setting it up in the tab that just opened, then try again.' },
      };
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      if (asBoundaryError(error)?.code === 'permission-missing') return { ok: false, ...(await openSetup('infisicalUrl')), error: describeError(error) };
      return { ok: false, error: describeError(error) };
    }
  }

  messaging.onMessage('page.sync.options', ({ data, sender }) => {
    const { org, project } = parseInput(onPage, data);
    assertFromProjectPage(sender, org, project);
    return answer(() => syncs.options(org, project));
  });
  messaging.onMessage('page.sync.plan', ({ data, sender }) => {
    const { org, project, choice: picked } = parseInput(withChoice, data);
    assertFromProjectPage(sender, org, project);
    return answer(() => syncs.plan(org, project, { ...picked, secretPath: checkSecretPath(picked.secretPath || '/') }));
  });
  messaging.onMessage('page.sync.create', ({ data, sender }) => {
    const { org, project, choice: picked, confirmed: seen } = parseInput(toCreate, data);
    assertFromProjectPage(sender, org, project);
    return answer(() => syncs.create(org, project, { ...picked, secretPath: checkSecretPath(picked.secretPath || '/') }, seen));
  });
  // A sync id from a page is one of this project's, by its record, before anything is read or run.
  const ofThisProject = async (org: string, project: string, syncId: string) => {
    const record = await syncs.record(syncId).catch(() => null);
    if (!record || record.org.toLowerCase() !== org.toLowerCase() || record.adoProjectName.toLowerCase() !== project.toLowerCase()) {
      throw new ExtensionError('sync-unknown', `The extension has no record of the secret sync '${syncId}' in this project.`);
    }
  };
  messaging.onMessage('page.sync.line', ({ data, sender }) => {
    const { org, project, syncId } = parseInput(withSync, data);
    assertFromProjectPage(sender, org, project);
    return answer(async () => {
      await ofThisProject(org, project, syncId);
      return syncs.line(syncId);
    });
  });
  messaging.onMessage('page.sync.run', ({ data, sender }) => {
    const { org, project, syncId } = parseInput(withSync, data);
    assertFromProjectPage(sender, org, project);
    return answer(async () => {
      await ofThisProject(org, project, syncId);
      return syncs.run(syncId);
    });
  });
}
