import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MANAGED_KEY_DESCRIPTIONS, managedSchema } from '@/build/managed-schema';
import { describeError } from '@/utils/errors/describe-error';
import { METHODS } from '@/utils/flow/connect-request';
import { PAT_LIFETIMES } from '@/utils/inputs';
import { assertAllowedByPolicy } from '@/utils/policy/enforce';
import { MANAGED_KEY_NAMES } from '@/utils/policy/managed-keys';
import { allowedLifetimes, applyPolicy, lifetimeUnder, NO_POLICY, NO_RULES, ownSettingsToSave, parsePolicy } from '@/utils/policy/policy';
import { DEFAULT_SETTINGS, type Settings } from '@/utils/storage/settings';
import { settingsItem } from '@/utils/storage/settings-item';
import { readSettings, readSettingsAndPolicy } from '@/utils/storage/view';
import { createFlowRunner } from '@/utils/worker/flow-runner';
import { createLedger } from '@/utils/worker/ledger';

const CLIENT = '0f9c1a52-2a55-4b9e-9a41-0cbe3e0e5f11';
const MS_APP = '6b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';
const LOCAL: Settings = { ...DEFAULT_SETTINGS, infisicalUrl: 'https://mine.example', identityClientId: CLIENT, patLifetimeDays: 365, expiryWarningDays: 7 };

beforeEach(() => fakeBrowser.reset());
afterEach(() => vi.restoreAllMocks());

describe('parsePolicy: each key checked alone', () => {
  it('is no policy for nothing, and a noted one for a value that is no set of keys (Firefox passes any JSON on)', () => {
    for (const raw of [undefined, null, {}]) expect(parsePolicy(raw)).toEqual(NO_POLICY);
    for (const raw of ['https://x.example', 42, ['a']]) {
      const policy = parsePolicy(raw);
      expect(policy).toMatchObject({ values: {}, rules: NO_RULES, managed: [] });
      expect(policy.notes).toEqual([{ key: '3rdparty', message: expect.stringContaining('not a set of keys; ignored') }]);
    }
  });

  it('takes every key with a usable value, normalised as the options page would save it', () => {
    const policy = parsePolicy({
      infisicalUrl: 'infisical.corp.example/some/path',
      identityAuth: 'universal-auth',
      identityClientId: CLIENT.toUpperCase(),
      microsoftClientId: MS_APP,
      connectionNameTemplate: 'ado-{org}',
      patLifetimeDays: 60,
      maxPatLifetimeDays: 90,
      allowedMethods: ['pat', 'microsoft'],
      expiryWarningDays: 30,
      expiryNotifications: true,
    });
    expect(policy.notes).toEqual([]);
    expect(policy.values).toEqual({
      infisicalUrl: 'https://infisical.corp.example',
      identityAuth: 'universal-auth',
      identityClientId: CLIENT,
      microsoftClientId: MS_APP,
      connectionNameTemplate: 'ado-{org}',
      patLifetimeDays: 60,
      expiryWarningDays: 30,
      expiryNotifications: true,
    });
    // In the popup's order, whatever the policy's.
    expect(policy.rules).toEqual({ allowedMethods: ['microsoft', 'pat'], maxPatLifetimeDays: 90 });
    expect([...policy.managed].sort()).toEqual([...MANAGED_KEY_NAMES].sort());
  });

  it('ignores a malformed value with a note that names the key, and keeps the others', () => {
    const policy = parsePolicy({ infisicalUrl: 'ftp://files.example', identityClientId: 'not-a-guid', patLifetimeDays: 45, expiryWarningDays: 7 });
    expect(policy.values).toEqual({ expiryWarningDays: 7 });
    expect(policy.managed).toEqual(['expiryWarningDays']);
    expect(policy.notes.map((n) => n.key)).toEqual(['infisicalUrl', 'identityClientId', 'patLifetimeDays']);
    expect(policy.notes[0]!.message).toMatch(/^"ftp:\/\/files\.example" is not usable: Use https:\/\//);
    expect(policy.notes[1]!.message).toContain('must be a GUID');
  });

  it('notes values of the wrong type (Firefox passes them on unchecked) and keys it does not know', () => {
    const policy = parsePolicy({ maxPatLifetimeDays: 'ninety', expiryNotifications: 'yes', allowedMethod: ['pat'] });
    expect(policy.values).toEqual({});
    expect(policy.rules).toEqual(NO_RULES);
    expect(policy.notes.map((n) => n.key)).toEqual(['maxPatLifetimeDays', 'expiryNotifications', 'allowedMethod']);
    expect(policy.notes[2]!.message).toContain('is not a setting of this extension');
  });

  it('reads 1 and 0 as true and false (Firefox on Windows hands a REG_DWORD over as a number)', () => {
    expect(parsePolicy({ expiryNotifications: 1 }).values).toEqual({ expiryNotifications: true });
    expect(parsePolicy({ expiryNotifications: 0 }).values).toEqual({ expiryNotifications: false });
    expect(parsePolicy({ expiryNotifications: 2 }).notes).toHaveLength(1);
  });

  it('keeps the known methods of a list, notes the unknown ones, and ignores a list that allows none', () => {
    const some = parsePolicy({ allowedMethods: ['service-principal', 'carrier-pigeon', 3] });
    expect(some.rules.allowedMethods).toEqual(['service-principal']);
    expect(some.managed).toEqual(['allowedMethods']);
    expect(some.notes).toEqual([{ key: 'allowedMethods', message: expect.stringContaining('"carrier-pigeon", 3 are not methods') }]);
    const none = parsePolicy({ allowedMethods: ['carrier-pigeon'] });
    expect(none.rules.allowedMethods).toEqual(METHODS);
    expect(none.managed).toEqual([]);
    expect(none.notes.map((n) => n.message).join(' ')).toContain('allows no method the extension knows');
  });

  it('brings a default lifetime longer than the maximum within it, and refuses a maximum below the shortest lifetime', () => {
    const clamped = parsePolicy({ patLifetimeDays: 365, maxPatLifetimeDays: 100 });
    expect(clamped.values.patLifetimeDays).toBe(90);
    expect(clamped.notes).toEqual([{ key: 'patLifetimeDays', message: expect.stringContaining('90 days is used') }]);
    const tooShort = parsePolicy({ maxPatLifetimeDays: 7 });
    expect(tooShort.rules.maxPatLifetimeDays).toBeNull();
    expect(tooShort.notes[0]!.message).toContain('Use at least 30 days');
  });
});

describe('merging managed, local and default values', () => {
  it('lets the policy win where it sets a value, the person’s own value elsewhere, and defaults under both', () => {
    const policy = parsePolicy({ infisicalUrl: 'https://org.example', expiryNotifications: true });
    expect(applyPolicy(LOCAL, policy)).toEqual({ ...LOCAL, infisicalUrl: 'https://org.example', expiryNotifications: true });
    expect(applyPolicy(DEFAULT_SETTINGS, NO_POLICY)).toEqual(DEFAULT_SETTINGS);
    expect(applyPolicy(DEFAULT_SETTINGS, parsePolicy({ patLifetimeDays: 30 }))).toEqual({ ...DEFAULT_SETTINGS, patLifetimeDays: 30 });
  });

  it('reads a person’s lifetime beyond the maximum as the longest allowed', () => {
    expect(applyPolicy(LOCAL, parsePolicy({ maxPatLifetimeDays: 180 })).patLifetimeDays).toBe(180);
    expect(applyPolicy(LOCAL, parsePolicy({ maxPatLifetimeDays: 59 })).patLifetimeDays).toBe(30);
    expect(allowedLifetimes({ ...NO_RULES, maxPatLifetimeDays: 90 })).toEqual([30, 60, 90]);
    expect(allowedLifetimes(NO_RULES)).toEqual([...PAT_LIFETIMES]);
    expect(lifetimeUnder({ ...NO_RULES, maxPatLifetimeDays: 1000 }, 365)).toBe(365);
  });

  it('a save keeps the person’s own values where the policy set one, and their lifetime where the maximum only brought it down', () => {
    const policy = parsePolicy({ infisicalUrl: 'https://org.example', maxPatLifetimeDays: 90 });
    const shown = applyPolicy(LOCAL, policy);
    expect(shown.patLifetimeDays).toBe(90);
    // Another field edited: the policy's address and the lowered lifetime are not written.
    expect(ownSettingsToSave({ ...shown, expiryWarningDays: 30 }, LOCAL, policy)).toEqual({ ...LOCAL, expiryWarningDays: 30 });
    // A lifetime the person chose is theirs.
    expect(ownSettingsToSave({ ...shown, patLifetimeDays: 30 }, LOCAL, policy)).toEqual({ ...LOCAL, patLifetimeDays: 30 });
    // With no policy, what was edited is what is written.
    expect(ownSettingsToSave({ ...LOCAL, infisicalUrl: 'https://new.example' }, LOCAL, NO_POLICY)).toEqual({ ...LOCAL, infisicalUrl: 'https://new.example' });
  });

  it('reads the browser’s managed storage over local storage, and no policy when the browser refuses (Firefox without one)', async () => {
    await settingsItem.setValue(LOCAL);
    await fakeBrowser.storage.managed.set({ infisicalUrl: 'https://org.example', maxPatLifetimeDays: 60, bogus: true });
    const read = await readSettingsAndPolicy();
    expect(read.local).toEqual(LOCAL);
    expect(read.settings).toEqual({ ...LOCAL, infisicalUrl: 'https://org.example', patLifetimeDays: 60 });
    expect(read.policy.managed).toEqual(['infisicalUrl', 'maxPatLifetimeDays']);
    expect(read.policy.notes.map((n) => n.key)).toEqual(['bogus']);

    vi.spyOn(fakeBrowser.storage.managed, 'get').mockRejectedValue(new Error('Managed storage manifest not found'));
    expect(await readSettings()).toEqual(LOCAL);
  });
});

describe('what the policy forbids is refused in the background', () => {
  const rules = { allowedMethods: ['pat', 'service-principal'] as const, maxPatLifetimeDays: 60 };

  it('names the method and the ones allowed, or the longest lifetime, in the catalogue’s words', () => {
    const method = (() => {
      try {
        assertAllowedByPolicy({ method: 'microsoft', patLifetimeDays: 30 }, rules);
      } catch (e) {
        return describeError(e);
      }
    })();
    expect(method?.title).toBe('Your organization’s policy does not allow “Sign in with Microsoft” connections.');
    expect(method?.fix).toContain('Use “Paste a personal access token” or “Service principal” in the toolbar popup');
    expect(() => assertAllowedByPolicy({ method: 'pat' }, rules)).not.toThrow();
    const lifetime = (() => {
      try {
        assertAllowedByPolicy({ method: 'microsoft', patLifetimeDays: 90 }, { ...NO_RULES, maxPatLifetimeDays: 60 });
      } catch (e) {
        return describeError(e);
      }
    })();
    expect(lifetime?.title).toBe('Your organization’s policy allows tokens of at most 60 days.');
  });

  it('a start the policy forbids is refused before anything runs', async () => {
    const prepare = vi.fn();
    const runner = createFlowRunner({
      prepare,
      now: () => new Date(),
      newId: () => crypto.randomUUID(),
      ledger: createLedger(),
      instanceUrl: async () => 'https://org.example',
      rules: async () => rules,
      recovered: async () => undefined,
    });
    const request = { method: 'microsoft', org: 'contoso', tenant: 'contoso.com', connectionName: 'azure-devops-contoso', patLifetimeDays: 30 };
    await expect(runner.start(request)).rejects.toMatchObject({ code: 'policy-method' });
    await expect(runner.start({ ...request, method: 'infisical-oauth' })).rejects.toMatchObject({ code: 'policy-method' });
    expect(prepare).not.toHaveBeenCalled();
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });
});

describe('Chromium’s managed_schema', () => {
  it('lists every managed key with its type and a description, and nothing else', () => {
    const schema = managedSchema();
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual(MANAGED_KEY_NAMES);
    expect(schema.properties.allowedMethods).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(schema.properties.expiryNotifications).toMatchObject({ type: 'boolean' });
    expect(schema.properties.maxPatLifetimeDays).toMatchObject({ type: 'integer' });
    for (const name of MANAGED_KEY_NAMES) expect(MANAGED_KEY_DESCRIPTIONS[name].length).toBeGreaterThan(20);
  });
});
