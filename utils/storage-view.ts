import { browser } from 'wxt/browser';
import { z } from 'zod/mini';
import { DEFAULT_NAME_TEMPLATE, patLifetimeSchema } from './inputs';
import { flowStateSchema, type FlowState } from './flow/flow-state';

/**
 * Read-only view of the two keys extension pages show (settings, the flows), with plain
 * `browser.storage` calls: the popup then loads neither @wxt-dev/storage nor its lock library
 * (docs/performance.md: popup ≤ 25 KB gzip). The catalogue in storage.ts defines and writes these same keys.
 */

export const SETTINGS_KEY = 'settings';
export const FLOWS_KEY = 'flows';

export const settingsSchema = z.object({
  /** Origin of the Infisical instance, e.g. https://app.infisical.com. */
  infisicalUrl: z.nullable(z.string()),
  /** Universal Auth (client ID + secret) or a pasted identity access token (docs/contracts.md A.1, A.2). */
  identityAuth: z.enum(['universal-auth', 'access-token']),
  /** Machine identity Universal Auth client ID (not a secret). */
  identityClientId: z.string(),
  /** Keep the client secret on this device (the extension’s IndexedDB, utils/storage.ts) instead of session storage. */
  rememberSecret: z.boolean(),
  /** Entra app (client) ID for the PKCE sign-in. */
  microsoftClientId: z.string(),
  /** Connection name for one-click connects from Azure DevOps pages; `{org}` is replaced. */
  connectionNameTemplate: z.string().check(z.maxLength(64)),
  /** Default lifetime of minted PATs, in days. */
  patLifetimeDays: patLifetimeSchema,
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  infisicalUrl: null,
  identityAuth: 'universal-auth',
  identityClientId: '',
  rememberSecret: false,
  microsoftClientId: '',
  connectionNameTemplate: DEFAULT_NAME_TEMPLATE,
  patLifetimeDays: 90,
};

/** Settings as stored, validated; anything malformed falls back to the defaults. */
export async function readSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY];
  const parsed = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...(typeof stored === 'object' && stored ? stored : {}) });
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

function parseFlows(value: unknown): FlowState[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const parsed = flowStateSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Every flow the background holds (one per organization, oldest first). */
export async function readFlows(): Promise<FlowState[]> {
  return parseFlows((await browser.storage.session.get(FLOWS_KEY))[FLOWS_KEY]);
}

/**
 * The flow a view shows: `id` when it is still there; else this organization's; else the one
 * started last (not the one written last: with two running, that changes at every step).
 */
export function pickFlow(flows: FlowState[], prefer: { id?: string | null; org?: string | null }): FlowState | null {
  const byId = prefer.id ? flows.find((f) => f.id === prefer.id) : undefined;
  if (byId) return byId;
  const org = prefer.org?.toLowerCase();
  const byOrg = org ? flows.find((f) => f.org.toLowerCase() === org) : undefined;
  const latest = flows.reduce<FlowState | null>((a, f) => (!a || f.startedAt > a.startedAt ? f : a), null);
  return byOrg ?? latest;
}

/**
 * The flows as they are now, then at every write by the background. A write whose change event
 * arrives while the first read is still on its way wins over that read: the read may have been
 * taken before the write, and showing it last would leave a popup opened just as a flow ended
 * showing it running. `first` settles once the first value has been passed on.
 */
export function followFlows(onChange: (flows: FlowState[]) => void): { first: Promise<void>; stop: () => void } {
  let changed = false;
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area !== 'session' || !(FLOWS_KEY in changes)) return;
    changed = true;
    onChange(parseFlows(changes[FLOWS_KEY]?.newValue));
  };
  browser.storage.onChanged.addListener(listener);
  const first = readFlows().then((flows) => {
    if (!changed) onChange(flows);
  });
  return { first, stop: () => browser.storage.onChanged.removeListener(listener) };
}
