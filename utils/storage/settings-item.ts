import { storage } from 'wxt/utils/storage';
import { CATALOGUE, storageKey } from './catalogue';
import { DEFAULT_SETTINGS, type Settings } from './settings';

/** Settings as the options page saves them; read them with `readSettings` (utils/storage/view.ts), field by field. */
export const settingsItem = storage.defineItem<Settings>(storageKey(CATALOGUE.settings), {
  fallback: DEFAULT_SETTINGS,
  version: CATALOGUE.settings.version,
});
