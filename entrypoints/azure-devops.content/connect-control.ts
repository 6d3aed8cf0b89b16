import { STEP_LABELS } from '@/utils/flow/steps';
import type { FlowState } from '@/utils/flow/flow-state';
import { pageMessaging, type PageConnectAnswer } from '@/utils/messaging';
import { methodName } from '@/utils/flow/method-names';
import { el, showOnly } from './dom';

const POLL_MS = 400;

/**
 * The button and its panel, in plain DOM to keep the content script small. Progress is read back
 * from the background (content scripts cannot read session storage) while a flow runs.
 */
export function createConnectControl(container: HTMLElement, org: string): HTMLElement {
  const wrap = el('div', { class: 'wrap' });
  const button = el('button', { type: 'button', 'aria-label': `Connect ${org} to Infisical`, 'aria-haspopup': 'true', 'aria-expanded': 'false' }, 'Connect to Infisical');
  const panel = el('div', { class: 'panel', role: 'status', 'aria-live': 'polite', hidden: '' });
  wrap.append(button, panel);
  container.append(wrap);

  const show = (...children: Node[]) => {
    panel.replaceChildren(...children);
    showOnly(wrap, panel);
    button.setAttribute('aria-expanded', 'true');
  };

  async function connect(mode: 'create' | 'update' | 'renew') {
    button.disabled = true;
    show(el('p', {}, 'Starting…'));
    try {
      render(await pageMessaging.sendMessage('page.connect', { org, mode }));
    } catch (error) {
      show(el('p', { class: 'error' }, 'The extension could not start.'), el('p', {}, error instanceof Error ? error.message : String(error)));
      button.disabled = false;
    }
  }

  function render(answer: PageConnectAnswer) {
    if (answer.kind === 'started') return follow(answer.flow);
    button.disabled = false;
    if (answer.kind === 'setup') return show(el('p', {}, 'Finish setting up the extension in the tab that just opened, then click again.'));
    if (answer.kind === 'error') return show(el('p', { class: 'error' }, answer.error.title), el('p', {}, answer.error.fix));
    const update = el('button', { type: 'button', 'data-action': 'update' }, 'Update credentials');
    update.disabled = !answer.canUpdate;
    update.addEventListener('click', () => void connect('update'));
    const cancel = el('button', { type: 'button', class: 'secondary' }, 'Cancel');
    cancel.addEventListener('click', () => {
      panel.hidden = true;
      button.setAttribute('aria-expanded', 'false');
      button.focus();
    });
    // Its token is due: renewal first (a new PAT, the connection updated, the old PAT revoked).
    const renew = el('button', { type: 'button', 'data-action': 'renew' }, 'Renew its token');
    renew.addEventListener('click', () => void connect('renew'));
    const due = answer.renewal;
    show(
      el('p', {}, `A connection named “${answer.name}” already exists (made with ${methodName(answer.method)}).`),
      el(
        'p',
        {},
        due
          ? `Its token ${due}. Renew it now, before the secret syncs that use it stop?`
          : answer.canUpdate
            ? 'Update its credentials with a new least-privilege token?'
            : 'It uses another method, which cannot change; update it from the toolbar popup.',
      ),
      el('div', { class: 'row' }, due ? renew : update, cancel),
    );
    (due ? renew : update).focus();
  }

  function follow(flow: FlowState) {
    const steps = el('ol', {}, ...flow.steps.map((s) => el('li', { 'data-state': s.state }, STEP_LABELS[s.id])));
    if (flow.status === 'running') {
      show(steps);
      setTimeout(() => void poll(flow.connectionName), POLL_MS);
      return;
    }
    button.disabled = false;
    if (flow.status === 'succeeded' && flow.result) {
      const link = el('a', { href: flow.result.connectionUrl, target: '_blank', rel: 'noreferrer' }, 'Open app connections in Infisical');
      show(steps, el('p', { class: 'ok' }, `Connection “${flow.connectionName}” is ready in Infisical.`), el('p', {}, link));
    } else {
      show(steps, el('p', { class: 'error' }, flow.error?.title ?? 'The connection failed.'), el('p', {}, flow.error?.fix ?? ''));
    }
  }

  /** The progress of the flow making the connection of this name (its ConnectionKey, completed by the background). */
  async function poll(name: string) {
    const flow = await pageMessaging.sendMessage('page.status', { org, name }).catch(() => null);
    if (flow) follow(flow);
  }

  button.addEventListener('click', () => void connect('create'));
  // Escape closes the panel and returns focus to the button, like any popover.
  wrap.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || panel.hidden) return;
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  });
  // Mounted again mid-flow (navigation rebuilt the header): pick the running flow back up.
  void pageMessaging.sendMessage('page.status', { org }).then(
    (flow) => flow?.status === 'running' && follow(flow),
    () => undefined,
  );
  return wrap;
}
