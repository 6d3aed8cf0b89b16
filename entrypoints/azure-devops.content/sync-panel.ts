import type { FlowState, UserMessage } from '@/utils/flow/flow-state';
import { STEP_LABELS } from '@/utils/flow/steps';
import { pageMessaging, type PageSyncAnswer } from '@/utils/messaging';
import type { SyncChoice, SyncLine, SyncPanelOptions, SyncPlan } from '@/utils/syncs/sync-line';
import { el, labelled, showOnly } from './dom';

const POLL_MS = 1000;
/** How often a connect flow's steps are read while the org's connection is made (as connect-control.ts). */
const CONNECT_POLL_MS = 400;
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
  const panelId = `infisical-sync-${Math.random().toString(36).slice(2)}`;
  const button = el('button', { type: 'button', class: 'secondary', 'data-action': 'sync-open', 'aria-controls': panelId, 'aria-expanded': 'false' }, 'Sync secrets from Infisical');
  const panel = el('div', { id: panelId, class: 'panel sync', role: 'region', 'aria-label': `Secret syncs into ${project}`, hidden: '' });
  // Changes worth announcing (progress, outcomes) go here, once each; the panel itself is not live.
  const status = el('p', { class: 'sr-only', role: 'status' });
  wrap.append(button, panel);
  let options: SyncPanelOptions | null = null;
  let polls = 0;

  /** Show these in the panel, focusing `focus` (else the first heading-like line), so focus never drops to the page. */
  const show = (...children: Node[]) => {
    // A re-render while a run is followed keeps focus on the same control (Sync now, the link).
    const active = (panel.getRootNode() as Document | ShadowRoot).activeElement;
    const kept = active && panel.contains(active) ? active.getAttribute('data-action') : null;
    panel.replaceChildren(status, ...children);
    showOnly(wrap, panel);
    button.setAttribute('aria-expanded', 'true');
    const same = kept ? panel.querySelector<HTMLElement>(`[data-action="${kept}"]:not(:disabled)`) : null;
    const target = same ?? panel.querySelector<HTMLElement>('[data-focus]') ?? panel.querySelector<HTMLElement>('p:not(.sr-only)');
    if (target) {
      if (!target.matches('button, select, input, a')) target.setAttribute('tabindex', '-1');
      target.focus();
    }
  };
  const announce = (text: string) => {
    if (status.textContent !== text) status.textContent = text;
  };
  /** This panel is still the one on the page (the header may have been rebuilt, mounting a new control). */
  const live = () => panel.isConnected && !panel.hidden;
  const close = () => {
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  };
  const errorOf = (error: UserMessage) => [el('p', { class: 'error', 'data-testid': 'sync-error', 'data-focus': '' }, error.title), el('p', {}, error.fix)];

  /** One answer from the background: its value, or the error shown in the panel (null). */
  async function ask<T>(send: () => Promise<PageSyncAnswer<T>>, after: () => Node[] = () => []): Promise<T | null> {
    try {
      const answer = await send();
      if (!panel.isConnected) return null;
      if (answer.ok) return answer.value;
      show(...errorOf(answer.error), ...after());
      announce(answer.error.title);
    } catch (error) {
      if (!panel.isConnected) return null;
      show(
        el('p', { class: 'error', 'data-testid': 'sync-error', 'data-focus': '' }, 'The extension could not answer.'),
        el('p', {}, error instanceof Error ? error.message : String(error)),
      );
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
    const projectSelect = el('select', { name: 'infisical-project', 'data-focus': '' });
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
  }

  async function plan(choice: SyncChoice) {
    show(el('p', {}, 'Reading the project and its variable groups…'));
    const back = () => [el('div', { class: 'row' }, backButton(choice))];
    const found = await ask(() => pageMessaging.sendMessage('page.sync.plan', { org, project, choice }), back);
    if (!found) return;
    show(...planView(found), el('div', { class: 'row' }, ...(found.text.canCreate ? [createButton(choice, found)] : []), backButton(choice)));
  }

  /** The plan's lines, worded by the worker (utils/syncs/plan-text.ts); a warning takes focus. */
  function planView(p: SyncPlan): Node[] {
    return p.text.lines.map((line) =>
      el(
        'p',
        {
          class: line.tone === 'warn' ? 'error' : line.tone === 'hint' ? 'hint' : '',
          ...(line.testid ? { 'data-testid': line.testid } : {}),
          ...(line.tone === 'warn' ? { 'data-focus': '' } : {}),
        },
        line.text,
      ),
    );
  }

  function createButton(choice: SyncChoice, p: SyncPlan) {
    const create = el('button', { type: 'button', 'data-action': 'sync-create' }, p.text.createLabel);
    create.addEventListener('click', () => void createSync(choice, p));
    return create;
  }

  function backButton(choice: SyncChoice) {
    const back = el('button', { type: 'button', class: 'secondary', 'data-action': 'sync-back' }, 'Back');
    back.addEventListener('click', () => options && renderForm(options, choice));
    return back;
  }

  /** `afterConnect`: asked again once the org's connection was made; a second `connecting` is not followed again. */
  async function createSync(choice: SyncChoice, p: SyncPlan, afterConnect = false) {
    show(el('p', {}, p.connection.exists ? 'Creating the secret sync…' : `Making the connection “${p.connection.name}”, then the secret sync…`));
    const confirmed = { existingGroupVariables: p.existingGroup?.variableCount ?? null, clashingGroup: p.clashingGroup?.name ?? null, connectionExists: p.connection.exists };
    announce('Creating the secret sync…');
    const again = () => {
      const review = el('button', { type: 'button', 'data-action': 'sync-review' }, 'Review again');
      review.addEventListener('click', () => void plan(choice));
      return [el('div', { class: 'row' }, review, backButton(choice))];
    };
    const answer = await ask(() => pageMessaging.sendMessage('page.sync.create', { org, project, choice, confirmed }), again);
    if (!answer) return;
    if (answer.kind === 'created') return follow(answer.line);
    if (afterConnect)
      return show(
        ...errorOf({
          title: `The connection “${p.connection.name}” was not made.`,
          fix: 'Try again; if it keeps happening, connect the organization with the button beside this one first.',
        }),
        ...again(),
      );
    // The org's connection is being made first: its steps show here; the create is asked again
    // once it exists (the connection then being what the plan expects), or once its flow is gone.
    followConnect(answer.flow, () => void createSync(choice, { ...p, connection: { ...p.connection, exists: true } }, true), again);
  }

  function followConnect(flow: FlowState, then: () => void, again: () => Node[]) {
    if (!panel.isConnected) return;
    const steps = el('ol', {}, ...flow.steps.map((s) => el('li', { 'data-state': s.state }, STEP_LABELS[s.id])));
    if (flow.status === 'running') {
      show(el('p', { 'data-testid': 'sync-connecting' }, `Making the connection “${flow.connectionName}” first…`), steps);
      announce(`Making the connection “${flow.connectionName}” first…`);
      setTimeout(async () => {
        const next = await pageMessaging.sendMessage('page.status', { org, name: flow.connectionName }).catch(() => null);
        if (!panel.isConnected) return;
        // A flow no longer listed (dismissed in the popup) has ended: the create is asked again.
        if (next) followConnect(next, then, again);
        else then();
      }, CONNECT_POLL_MS);
      return;
    }
    if (flow.status === 'succeeded') return then();
    show(steps, ...errorOf(flow.error ?? { title: 'The connection was not made.', fix: 'Try again.' }), ...again());
    announce(flow.error?.title ?? 'The connection was not made.');
  }

  /** Show a sync and ask again while its run is queued or going. */
  function follow(line: SyncLine) {
    if (!panel.isConnected) return;
    show(lineView(line));
    announce(line.status ? STATUS_TEXT[line.status] : 'Not synced yet');
    if (line.status === 'pending' || line.status === 'running') {
      if (polls++ < POLL_LIMIT) setTimeout(() => void refresh(line.syncId), POLL_MS);
    } else {
      polls = 0;
    }
  }

  async function refresh(syncId: string) {
    if (!live()) return;
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
  // Escape closes it from anywhere in the control, the opener included.
  wrap.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !panel.hidden) close();
  });
}
