/**
 * The names of the catalogue's keys (utils/storage/catalogue.ts lists each with its area, version
 * and schema). Apart, so that the popup's read path (utils/storage/view.ts) names its two keys
 * without bundling every record schema: the popup is size-budgeted (docs/performance.md).
 */
export const KEYS = {
  settings: 'settings',
  connections: 'connections',
  pendingPats: 'pendingPats',
  unreadableRecords: 'unreadableRecords',
  flows: 'flows',
  identityClientSecret: 'identityClientSecret',
  oauthWait: 'oauthWait',
  renewals: 'renewals',
  notified: 'notified',
  syncs: 'syncs',
  syncChoices: 'syncChoices',
  unreadableSyncs: 'unreadableSyncs',
} as const;
