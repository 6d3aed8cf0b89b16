import { METHODS, type Method } from '../flow/connect-request';
import { PAT_LIFETIMES, type PatLifetime } from '../inputs';
import { DEFAULT_SETTINGS, type Settings } from '../storage/settings';
import { MANAGED_KEY_NAMES, MANAGED_KEYS, type ManagedKeyName } from './managed-keys';

/** The policy's limits on what a person may choose (utils/policy/managed-keys.ts). */
export interface PolicyRules {
  /** The methods offered and accepted, in the popup's order; all of them when the policy is silent. */
  allowedMethods: readonly Method[];
  /** The longest PAT lifetime offered and accepted; null: any the extension offers. */
  maxPatLifetimeDays: number | null;
}

/** A value of the policy that was ignored, and why, for the options page. */
export interface PolicyNote {
  key: string;
  message: string;
}

/** The organization's policy as read: the settings it sets, its rules, and what it got wrong. */
export interface Policy {
  values: Partial<Settings>;
  rules: PolicyRules;
  /** The keys the policy set with a usable value: shown read-only, marked as the organization's. */
  managed: readonly ManagedKeyName[];
  notes: readonly PolicyNote[];
}

export const NO_RULES: PolicyRules = { allowedMethods: METHODS, maxPatLifetimeDays: null };
export const NO_POLICY: Policy = { values: {}, rules: NO_RULES, managed: [], notes: [] };

/** The managed keys that are settings of the form (the others are rules: allowedMethods, maxPatLifetimeDays). */
const SETTINGS_KEYS = MANAGED_KEY_NAMES.filter((key): key is ManagedKeyName & keyof Settings => Object.hasOwn(DEFAULT_SETTINGS, key));

const shown = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

/**
 * The policy the browser handed over (`storage.managed.get()`), each key checked alone: a value
 * that does not check is ignored with a note, the rest applies. Keys the extension does not know
 * are noted too (a misspelt key would otherwise be silently without effect).
 */
export function parsePolicy(raw: unknown): Policy {
  if (raw === undefined || raw === null) return NO_POLICY;
  // Firefox passes on whatever the policy holds for the add-on, a string or a list too.
  if (typeof raw !== 'object' || Array.isArray(raw))
    return { ...NO_POLICY, notes: [{ key: '3rdparty', message: `The extension’s policy is ${shown(raw)}, not a set of keys; ignored.` }] };
  const given = raw as Record<string, unknown>;
  const notes: PolicyNote[] = [];
  const ok: Partial<Record<ManagedKeyName, unknown>> = {};
  for (const [key, value] of Object.entries(given)) {
    if (!Object.hasOwn(MANAGED_KEYS, key)) {
      notes.push({ key, message: `“${key}” is not a setting of this extension (docs/deploying.md lists them); ignored.` });
      continue;
    }
    const parsed = MANAGED_KEYS[key as ManagedKeyName].value.safeParse(value);
    if (parsed.success) ok[key as ManagedKeyName] = parsed.data;
    else notes.push({ key, message: `${shown(value)} is not usable: ${(parsed.error.issues[0]?.message ?? 'wrong type').replace(/\.?$/, '.')} Ignored.` });
  }

  const allowedMethods = methodsRule(ok.allowedMethods as unknown[] | undefined, notes);
  const maxPatLifetimeDays = (ok.maxPatLifetimeDays as number | undefined) ?? null;
  const values: Partial<Settings> = {};
  for (const key of SETTINGS_KEYS) if (key in ok) Object.assign(values, { [key]: ok[key] });
  if (values.patLifetimeDays !== undefined && maxPatLifetimeDays !== null && values.patLifetimeDays > maxPatLifetimeDays) {
    notes.push({
      key: 'patLifetimeDays',
      message: `${values.patLifetimeDays} days is longer than maxPatLifetimeDays (${maxPatLifetimeDays}); ${longestAllowed(maxPatLifetimeDays)} days is used.`,
    });
    values.patLifetimeDays = longestAllowed(maxPatLifetimeDays);
  }
  const managed = MANAGED_KEY_NAMES.filter((key) => key in ok && !(key === 'allowedMethods' && allowedMethods === METHODS));
  return { values, rules: { allowedMethods, maxPatLifetimeDays }, managed, notes };
}

/** The methods a policy list allows, in the popup's order; unknown names are noted, and a list that allows none is ignored. */
function methodsRule(list: unknown[] | undefined, notes: PolicyNote[]): readonly Method[] {
  if (!list) return METHODS;
  const unknown = list.filter((m) => !(METHODS as readonly unknown[]).includes(m));
  if (unknown.length)
    notes.push({
      key: 'allowedMethods',
      message: `${unknown.map(shown).join(', ')} ${unknown.length === 1 ? 'is not a method' : 'are not methods'} of this extension (${METHODS.join(', ')}); ignored.`,
    });
  const allowed = METHODS.filter((m) => list.includes(m));
  if (allowed.length) return allowed;
  notes.push({ key: 'allowedMethods', message: 'The list allows no method the extension knows, so it is ignored and every method is offered.' });
  return METHODS;
}

/** The lifetimes offered under `rules`, shortest first. */
export function allowedLifetimes(rules: PolicyRules): PatLifetime[] {
  return PAT_LIFETIMES.filter((d) => rules.maxPatLifetimeDays === null || d <= rules.maxPatLifetimeDays);
}

/** The longest lifetime the extension offers that is not longer than `max` (max is at least the shortest). */
export const longestAllowed = (max: number): PatLifetime => PAT_LIFETIMES.filter((d) => d <= max).at(-1) ?? PAT_LIFETIMES[0];

/** A lifetime under the rules: `days` when allowed, else the longest allowed. */
export function lifetimeUnder(rules: PolicyRules, days: PatLifetime): PatLifetime {
  return rules.maxPatLifetimeDays !== null && days > rules.maxPatLifetimeDays ? longestAllowed(rules.maxPatLifetimeDays) : days;
}

/**
 * The settings in force: the policy's values over the person's, and the default lifetime brought
 * within the policy's maximum (a person's saved 365 days under a 90-day maximum reads as 90).
 */
export function applyPolicy(local: Settings, policy: Policy): Settings {
  const merged = { ...local, ...policy.values };
  return { ...merged, patLifetimeDays: lifetimeUnder(policy.rules, merged.patLifetimeDays) };
}

/**
 * What a save of the options page writes: the person's own settings, with what they edited, but
 * never a value only the policy gave. A field the policy sets keeps the person's own value, and so
 * does a default lifetime the policy's maximum merely brought down (365 shown as 90 stays 365,
 * unless the person chose another), so that all of it comes back if the policy goes.
 */
export function ownSettingsToSave(edited: Settings, own: Settings, policy: Policy): Settings {
  const kept = (key: keyof Settings) =>
    (policy.managed as readonly string[]).includes(key) || (key === 'patLifetimeDays' && edited.patLifetimeDays === lifetimeUnder(policy.rules, own.patLifetimeDays));
  return Object.fromEntries((Object.keys(edited) as (keyof Settings)[]).map((key) => [key, kept(key) ? own[key] : edited[key]])) as Settings;
}
