import type { UserMessage } from '@/utils/flow/flow-state';
import { pageMessaging, type PageSyncAnswer } from '@/utils/messaging';
import type { SyncChoice, SyncLine, SyncPanelOptions, SyncPlan } from '@/utils/syncs/sync-line';
import { el, labelled, showOnly } from './dom';

const POLL_MS = 1000;
/** A run still queued after this long is left to the views (the page stops asking). */
const POLL_LIMIT = 120;

const STATUS_TEXT: Record<NonNullable<SyncLine['status']>, string> = {
  pending: 'Queued in Infisical…',
  running: 'Syncing…',
  succeeded: 'Synced',
  failed: 'The last sync failed',
};

/**
 * "Sync secrets from Infisical" on an Azure DevOps project page: pick the Infisical project,
 * environment and secret path (offered again next time), read what the sync will do and say it
 * plainly, then create it and follow its runs (utils/worker/syncs.ts does the work). Infisical's
 * Azure DevOps sync overwrites a whole variable group (docs/contracts.md A.9): the plan says so
 * before anything is written.
 */
export function createSyncPanel(wrap: HTMLElement, org: string, project: string): void {
  const button = el('button', { type: 'button', class: 'secondary', 'data-action': 'sync-open', 'aria-haspopup': 'true', 'aria-expanded': 'false' }, 'Sync secrets from Infisical');
  const panel = el('div', { class: 'panel sync', role: 'region', 'aria-label': `Secret syncs into ${project}`, 'aria-live': 'polite', hidden: '' });
  wrap.append(button, panel);
  let options: SyncPanelOptions | null = null;
  let polls = 0;

  const show = (...children: Node[]) => {
    panel.replaceChildren(...children);
    showOnly(wrap, panel);
    button.setAttribute('aria-expanded', 'true');
  };
  const close = () => {
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  };
  const errorOf = (error: UserMessage) => [el('p', { class: 'error', 'data-testid': 'sync-error' }, error.title), el('p', {}, error.fix)];

  /** One answer from the background: its value, or the error shown in the panel (null). */
  async function ask<T>(send: () => Promise<PageSyncAnswer<T>>, after: () => Node[] = () => []): Promise<T | null> {
    try {
      const answer = await send();
      if (answer.ok) return answer.value;
      show(...errorOf(answer.error), ...after());
    } catch (error) {
      show(el('p', { class: 'error', 'data-testid': 'sync-error' }, 'The extension could not answer.'), el('p', {}, error instanceof Error ? error.message : String(error)));
    }
    return null;
  }

  async function open() {
    show(el('p', {}, 'Reading the Infisical projects…'));
    options = await ask(() => pageMessaging.sendMessage('page.sync.options', { org, project }));
    if (options) renderForm(options, options.choice);
  }

  function renderForm(opts: SyncPanelOptions, choice: SyncChoice | null) {
    const lines = opts.syncs.map(lineView);
    if (opts.projects.length === 0) {
      return show(
        ...lines,
        el('p', { class: 'error' }, 'The machine identity is not a member of any Infisical project.'),
        el('p', {}, 'Add it to the project whose secrets belong here (Infisical › the project › Access control › Machine identities), then open this again.'),
      );
    }
    const projectSelect = el('select', { name: 'infisical-project' });
    for (const p of opts.projects) projectSelect.append(el('option', { value: p.id }, p.name));
    const envSelect = el('select', { name: 'environment' });
    const path = el('input', { name: 'secret-path', value: choice?.secretPath ?? '/', autocomplete: 'off', spellcheck: 'false' });
    const fillEnvironments = () => {
      const envs = opts.projects.find((p) => p.id === projectSelect.value)?.environments ?? [];
      envSelect.replaceChildren(...envs.map((e) => el('option', { value: e.slug }, e.name)));
    };
    if (choice) projectSelect.value = choice.infisicalProjectId;
    fillEnvironments();
    if (choice && [...envSelect.options].some((o) => o.value === choice.environment)) envSelect.value = choice.environment;
    projectSelect.addEventListener('change', fillEnvironments);
    const review = el('button', { type: 'submit', 'data-action': 'sync-review' }, 'Review');
    const form = el(
      'form',
      { class: 'stack' },
      labelled('Infisical project', projectSelect),
      labelled('Environment', envSelect),
      labelled('Secret path', path),
      opts.connection.exists
        ? el('p', { class: 'hint' }, `Uses the connection “${opts.connection.name}”.`)
        : el(
            'p',
            { class: 'hint', 'data-testid': 'sync-connection-first' },
            `There is no connection for ${org} yet: the extension makes “${opts.connection.name}” first (Sign in with Microsoft).`,
          ),
      el('div', { class: 'row' }, review),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void plan({ infisicalProjectId: projectSelect.value, environment: envSelect.value, secretPath: path.value.trim() || '/' });
    });
    show(...lines, form);
    projectSelect.focus();
  }

  async function plan(choice: SyncChoice) {
    show(el('p', {}, 'Reading the project and its variable groups…'));
    const back = () => [el('div', { class: 'row' }, backButton(choice))];
    const found = await ask(() => pageMessaging.sendMessage('page.sync.plan', { org, project, choice }), back);
    if (!found) return;
    show(...planView(found), el('div', { class: 'row' }, ...(found.existingSync ? [] : [createButton(choice, found)]), backButton(choice)));
  }

  function planView(p: SyncPlan): Node[] {
    const source = `every secret of ${p.infisicalProject.name} › ${p.environment.name} at ${p.secretPath}`;
    if (p.existingSync) {
      return [el('p', { class: 'error', 'data-testid': 'sync-exists' }, `The secret sync “${p.existingSync.name}” already syncs ${p.environment.name} into ${p.adoProject.name}.`)];
    }
    const count = p.existingGroup?.variableCount ?? 0;
    return [
      el(
        'p',
        { 'data-testid': 'sync-plan' },
        `Infisical will write ${source} into the variable group “${p.groupName}” of ${p.adoProject.name}, each one as a secret variable, now and whenever they change.`,
      ),
      p.existingGroup
        ? el(
            'p',
            { class: 'error', 'data-testid': 'sync-existing-group' },
            `A variable group named “${p.groupName}” already exists in ${p.adoProject.name} with ${count} variable${count === 1 ? '' : 's'}: ${count === 1 ? 'it' : 'all of them'} will be replaced, and variables added there by hand disappear at every sync.`,
          )
        : el('p', {}, `The group does not exist yet: Infisical creates it.`),
      el('p', {}, 'Every sync replaces all of the group’s variables; deleting the sync in Infisical with “remove secrets” deletes the whole group.'),
      p.connection.exists
        ? el('p', { class: 'hint' }, `With the connection “${p.connection.name}”.`)
        : el('p', { class: 'hint' }, `The connection “${p.connection.name}” is made first (Sign in with Microsoft).`),
    ];
  }

  function createButton(choice: SyncChoice, p: SyncPlan) {
    const create = el('button', { type: 'button', 'data-action': 'sync-create' }, p.existingGroup ? 'Replace its variables and sync' : 'Create the sync');
    create.addEventListener('click', () => void createSync(choice, p));
    queueMicrotask(() => create.focus());
    return create;
  }

  function backButton(choice: SyncChoice) {
    const back = el('button', { type: 'button', class: 'secondary', 'data-action': 'sync-back' }, 'Back');
    back.addEventListener('click', () => options && renderForm(options, choice));
    return back;
  }

  async function createSync(choice: SyncChoice, p: SyncPlan) {
    show(el('p', {}, p.connection.exists ? 'Creating the secret sync…' : `Making the connection “${p.connection.name}”, then the secret sync…`));
    const line = await ask(
      () => pageMessaging.sendMessage('page.sync.create', { org, project, choice }),
      () => [el('div', { class: 'row' }, backButton(choice))],
    );
    if (line) follow(line);
  }

  /** Show a sync and ask again while its run is queued or going. */
  function follow(line: SyncLine) {
    show(lineView(line));
    if (line.status === 'pending' || line.status === 'running') {
      if (polls++ < POLL_LIMIT) setTimeout(() => void refresh(line.syncId), POLL_MS);
    } else {
      polls = 0;
    }
  }

  async function refresh(syncId: string) {
    if (panel.hidden) return;
    const line = await ask(() => pageMessaging.sendMessage('page.sync.line', { org, project, syncId }));
    if (line) follow(line);
  }

  function lineView(line: SyncLine): HTMLElement {
    const when = line.lastSyncedAt ? ` ${new Date(line.lastSyncedAt).toLocaleString()}` : '';
    const state = line.status ? `${STATUS_TEXT[line.status]}${line.status === 'succeeded' ? when : ''}` : 'Not synced yet';
    const now = el('button', { type: 'button', class: 'secondary', 'data-action': 'sync-now' }, 'Sync now');
    now.disabled = line.status === 'pending' || line.status === 'running';
    now.addEventListener('click', async () => {
      now.disabled = true;
      const ran = await ask(() => pageMessaging.sendMessage('page.sync.run', { org, project, syncId: line.syncId }));
      if (ran) follow(ran);
    });
    return el(
      'div',
      { class: 'sync-line', 'data-testid': 'sync-line', 'data-sync-id': line.syncId },
      el('p', {}, `${line.infisicalProjectName} › ${line.environmentName} (${line.secretPath}) → variable group “${line.groupName}”`),
      el('p', { 'data-testid': 'sync-state', 'data-status': line.status ?? 'unknown', class: line.status === 'failed' ? 'error' : line.status === 'succeeded' ? 'ok' : '' }, state),
      ...(line.failure ? [el('p', {}, line.failure.title), el('p', {}, line.failure.fix)] : []),
      ...(line.readError ? [el('p', { class: 'hint' }, `${line.readError.title} ${line.readError.fix}`)] : []),
      el('div', { class: 'row' }, el('a', { href: line.url, target: '_blank', rel: 'noreferrer', 'data-testid': 'sync-link' }, 'Open in Infisical'), now),
    );
  }

  button.addEventListener('click', () => (panel.hidden ? void open() : close()));
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
  });
}
