import { connectionRecordSchema, connectionRecordV1Schema, pendingPatSchema, pendingPatV1Schema, type ConnectionRecord, type PendingPat } from './records';

/**
 * Storage versions and their migrations, one record at a time. WXT's migrations take a key's whole
 * value (node_modules/@wxt-dev/storage: `migrations[v](value)`, and a throw leaves the key as it was,
 * at its old version); ours map over the array and leave a record that reads as no known version exactly as
 * it was, so a bad record neither stops the others from migrating nor is lost: the per-record read
 * (utils/storage/per-record.ts) sets it aside. The same upgrades run on every read, so a context that
 * reads the raw keys (the options page's count, utils/storage/count-unreadable.ts) sees v2 even
 * before the worker migrated.
 */

/** A connection record of any known version, as version 2; null when it reads as none. */
export function upgradeConnection(item: unknown): ConnectionRecord | null {
  const current = connectionRecordSchema.safeParse(item);
  if (current.success) return current.data;
  const v1 = connectionRecordV1Schema.safeParse(item);
  // v1 knew neither the scope (every connection was the organization's), nor the client signed in
  // with, nor the lifetime asked for: null says "not known", and a renewal asks again.
  return v1.success ? { ...v1.data, projectId: null, clientId: null, patLifetimeDays: null } : null;
}

/** A pending-PAT record of any known version, as version 2; null when it reads as none. */
export function upgradePending(item: unknown): PendingPat | null {
  const current = pendingPatSchema.safeParse(item);
  if (current.success) return current.data;
  const v1 = pendingPatV1Schema.safeParse(item);
  return v1.success ? { ...v1.data, projectId: null } : null;
}

/** A whole-value migration made of a per-record one: unreadable records, and a value that is no list, pass through untouched. */
function eachRecord(upgrade: (item: unknown) => unknown) {
  return (value: unknown) => (Array.isArray(value) ? value.map((item) => upgrade(item) ?? item) : value);
}

export const CONNECTIONS_MIGRATIONS = { 2: eachRecord(upgradeConnection) };
export const PENDING_PATS_MIGRATIONS = { 2: eachRecord(upgradePending) };
