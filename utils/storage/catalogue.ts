import { z } from 'zod/mini';
import { flowStateSchema } from '../flow/flow-state';
import { KEYS } from './keys';
import { upgradeConnection, upgradePending } from './migrations';
import { connectionRecordSchema, pendingPatSchema } from './records';
import { setAsideSchema } from './set-aside';
import { settingsSchema } from './settings';
import { setAsideSyncSchema, storedSyncChoiceSchema, syncRecordSchema } from './sync-records';

/**
 * The storage catalogue: every key the extension writes, its area, its version and its schema.
 * zod/mini only, no @wxt-dev/storage: the options page counts unreadable records with plain
 * `browser.storage` (utils/storage/count-unreadable.ts). The writers are WXT items built from this
 * table: utils/storage/settings-item.ts and utils/storage/secret.ts (worker and options page), and
 * utils/storage/records-items.ts (the worker's ledger alone). The popup names its two keys through
 * utils/storage/keys.ts, so as not to bundle the record schemas.
 *
 * Secrets: Entra tokens, PATs and Infisical access tokens are never stored anywhere; the machine
 * identity's client secret lives in `session:` (memory, trusted contexts only) unless the user
 * ticked "remember on this device", and then in the IndexedDB of the extension's origin
 * (utils/storage/secret.ts), never in `local:` or `sync:`, which content scripts can read in both
 * browsers. Content scripts never get session storage (Chromium's default access level is trusted
 * contexts only) and run in the page's origin, so they cannot open the extension's IndexedDB.
 */
export const CATALOGUE = {
  settings: { area: 'local', key: KEYS.settings, version: 1, schema: settingsSchema },
  /** v2: records carry their ConnectionKey's scope, the sign-in client ID and the lifetime asked for (utils/storage/migrations.ts). */
  connections: { area: 'local', key: KEYS.connections, version: 2, schema: z.array(connectionRecordSchema) },
  /** v2: records carry their ConnectionKey's scope (`projectId`). */
  pendingPats: { area: 'local', key: KEYS.pendingPats, version: 2, schema: z.array(pendingPatSchema) },
  /** Records of the two lists above that did not read, kept raw (utils/storage/set-aside.ts). */
  unreadableRecords: { area: 'local', key: KEYS.unreadableRecords, version: 1, schema: z.array(setAsideSchema) },
  /**
   * Progress of running and recently finished flows, one per ConnectionKey. Version 1 still: session
   * storage is emptied when the extension is updated, so no build ever reads another build's flows.
   */
  flows: { area: 'session', key: KEYS.flows, version: 1, schema: z.array(flowStateSchema) },
  /** The secret when not remembered (utils/storage/secret.ts `storedSecretSchema`; a plain string in earlier builds). */
  sessionSecret: { area: 'session', key: KEYS.identityClientSecret, version: 1, schema: z.unknown() },
  /** Where earlier builds remembered the secret: read once to move it to IndexedDB, then removed. */
  legacyRememberedSecret: { area: 'local', key: KEYS.identityClientSecret, version: 1, schema: z.string() },
  /**
   * The OAuth consent tab's wait; defined, with its schema, beside the code that keeps it
   * (utils/worker/oauth-wait.ts), and listed here so the table names every key.
   */
  oauthWait: { area: 'session', key: KEYS.oauthWait, version: 1, schema: z.unknown() },
  /** Where a Renew all stands (utils/connections/view-model.ts `RenewalsState`); the options page follows it. No secret. */
  renewals: { area: 'session', key: KEYS.renewals, version: 1, schema: z.unknown() },
  /** The expiry notifications shown, one mark per connection, status and expiry (utils/connections/badge.ts `notificationsDue`). */
  notified: { area: 'local', key: KEYS.notified, version: 1, schema: z.array(z.string()) },
  /** The secret syncs this extension made, and the choices remembered per Azure DevOps project; entries that do not read are moved to `unreadableSyncs` (utils/storage/syncs.ts). No secret. */
  syncs: { area: 'local', key: KEYS.syncs, version: 1, schema: z.array(syncRecordSchema) },
  syncChoices: { area: 'local', key: KEYS.syncChoices, version: 1, schema: z.array(storedSyncChoiceSchema) },
  unreadableSyncs: { area: 'local', key: KEYS.unreadableSyncs, version: 1, schema: z.array(setAsideSyncSchema) },
} as const;

export const SETTINGS_KEY = KEYS.settings;
export const FLOWS_KEY = KEYS.flows;

/** How one record of each list is read, at any version it was written in. */
export const RECORD_READERS = { connections: upgradeConnection, pendingPats: upgradePending } as const;

/** The WXT storage key of a catalogue entry, e.g. `local:connections`. */
export const storageKey = <A extends string, K extends string>(entry: { area: A; key: K }) => `${entry.area}:${entry.key}` as `${A}:${K}`;
