import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { readIdentitySecret, settingsItem, writeIdentitySecret } from '@/utils/storage';
import { DEFAULT_SETTINGS, readSettings } from '@/utils/storage-view';

beforeEach(() => fakeBrowser.reset());

describe('settings', () => {
  it('falls back to defaults when nothing or something malformed is stored', async () => {
    expect(await readSettings()).toEqual(DEFAULT_SETTINGS);
    await fakeBrowser.storage.local.set({ settings: { infisicalUrl: 42, patLifetimeDays: 7 } });
    expect(await readSettings()).toEqual(DEFAULT_SETTINGS);
  });

  it('round-trips valid settings', async () => {
    const s = { ...DEFAULT_SETTINGS, infisicalUrl: 'https://app.infisical.com', patLifetimeDays: 30 as const };
    await settingsItem.setValue(s);
    expect(await readSettings()).toEqual(s);
  });
});

describe('identity secret', () => {
  it('lives in session storage unless remembered, and only ever in one place', async () => {
    await writeIdentitySecret('s3cret-value', false);
    expect(await fakeBrowser.storage.session.get(null)).toEqual({ identityClientSecret: 's3cret-value' });
    expect(await fakeBrowser.storage.local.get('identityClientSecret')).toEqual({});

    await writeIdentitySecret('s3cret-value', true);
    expect(await fakeBrowser.storage.local.get('identityClientSecret')).toEqual({ identityClientSecret: 's3cret-value' });
    expect(await fakeBrowser.storage.session.get('identityClientSecret')).toEqual({});
    expect(await readIdentitySecret()).toBe('s3cret-value');
  });
});
