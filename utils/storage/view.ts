import { browser } from 'wxt/browser';
import { sameKey, type ConnectionKey } from '../connection-key';
import { flowStateSchema, type FlowState } from '../flow/flow-state';
import { KEYS } from './keys';
import { parseSettings, type Settings } from './settings';
import { applyPolicy, type Policy } from '../policy/policy';
import { readPolicy } from '../policy/read-policy';

/**
 * The light read path for extension pages: the catalogue's keys read with plain `browser.storage`
 * calls, so the popup loads neither @wxt-dev/storage nor its lock library (docs/performance.md: popup
 * ≤ 25 KB gzip). Reads only; the writers are utils/storage/settings-item.ts and the worker's ledger.
 */

/** The person's own settings as stored, each field validated alone (utils/storage/settings.ts `parseSettings`). */
export async function readLocalSettings(): Promise<Settings> {
  return parseSettings((await browser.storage.local.get(KEYS.settings))[KEYS.settings]);
}

/**
 * The settings in force and the organization's policy: the policy's values win over the person's
 * (utils/policy/policy.ts `applyPolicy`), and its rules say which methods and lifetimes are allowed.
 */
export async function readSettingsAndPolicy(): Promise<{ settings: Settings; local: Settings; policy: Policy }> {
  const [local, policy] = await Promise.all([readLocalSettings(), readPolicy()]);
  return { settings: applyPolicy(local, policy), local, policy };
}

/** The settings in force (the policy's over the person's): what every flow and view uses. */
export async function readSettings(): Promise<Settings> {
  return (await readSettingsAndPolicy()).settings;
}

/** Flows one by one: progress only (no PAT), so one that does not read is simply not shown. */
function parseFlows(value: unknown): FlowState[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const parsed = flowStateSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Every flow the background holds (one per ConnectionKey, oldest first). */
export async function readFlows(): Promise<FlowState[]> {
  return parseFlows((await browser.storage.session.get(KEYS.flows))[KEYS.flows]);
}

/** The ConnectionKey of a flow (utils/connection-key.ts). */
export const flowKey = (flow: FlowState): ConnectionKey => ({ instanceUrl: flow.instanceUrl, projectId: flow.projectId, name: flow.connectionName });

/**
 * The flow a view shows: `id` when it is still there; else the one for this organization and
 * connection name (the form's); else the one started last (not the one written last: with two
 * running, that changes at every step).
 */
export function pickFlow(flows: FlowState[], prefer: { id?: string | null; org?: string | null; name?: string | null }): FlowState | null {
  const byId = prefer.id ? flows.find((f) => f.id === prefer.id) : undefined;
  if (byId) return byId;
  const org = prefer.org?.toLowerCase();
  const name = prefer.name?.toLowerCase();
  const byOrgAndName = org && name ? flows.find((f) => f.org.toLowerCase() === org && f.connectionName.toLowerCase() === name) : undefined;
  const latest = flows.reduce<FlowState | null>((a, f) => (!a || f.startedAt > a.startedAt ? f : a), null);
  return byOrgAndName ?? latest;
}

/** The flow of this key and organization, if one is kept (an Azure DevOps page shows only its org's). */
export function flowFor(flows: FlowState[], key: ConnectionKey, org: string): FlowState | null {
  return flows.find((f) => sameKey(flowKey(f), key) && f.org.toLowerCase() === org.toLowerCase()) ?? null;
}

/**
 * A session key's value as it is now, then at every write by the background. A write whose change
 * event arrives while the first read is still on its way wins over that read: the read may have
 * been taken before the write, and showing it last would leave a popup opened just as a flow ended
 * showing it running. `first` settles once the first value has been passed on.
 */
export function followSession<T>(key: string, parse: (value: unknown) => T, onChange: (value: T) => void): { first: Promise<void>; stop: () => void } {
  let changed = false;
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area !== 'session' || !(key in changes)) return;
    changed = true;
    onChange(parse(changes[key]?.newValue));
  };
  browser.storage.onChanged.addListener(listener);
  const first = browser.storage.session.get(key).then((stored) => {
    if (!changed) onChange(parse(stored[key]));
  });
  return { first, stop: () => browser.storage.onChanged.removeListener(listener) };
}

/** The flows as they are now, then at every write by the background (`followSession`). */
export const followFlows = (onChange: (flows: FlowState[]) => void) => followSession(KEYS.flows, parseFlows, onChange);
