import { storage } from 'wxt/utils/storage';
import type { RenewalsState } from '../connections/view-model';
import type { FlowState } from '../flow/flow-state';
import { CATALOGUE, RECORD_READERS, storageKey } from './catalogue';
import { CONNECTIONS_MIGRATIONS, PENDING_PATS_MIGRATIONS } from './migrations';
import { splitRecords } from './per-record';
import type { ConnectionRecord, PendingPat } from './records';
import type { SetAside } from './set-aside';

/**
 * The lists the worker's ledger keeps (utils/worker/ledger.ts), as WXT storage items with
 * the catalogue's versions and migrations (utils/storage/catalogue.ts). Imported by the worker alone
 * (tests/unit/conventions.test.ts): WXT migrates an item in every context that defines it, and two
 * contexts migrating at once could write back a list read before the other's write. The options
 * page reads these keys only to count what does not read (utils/storage/count-unreadable.ts).
 */

export const connectionsItem = storage.defineItem<ConnectionRecord[]>(storageKey(CATALOGUE.connections), {
  fallback: [],
  version: CATALOGUE.connections.version,
  migrations: CONNECTIONS_MIGRATIONS,
});

/** Every minted, undelivered PAT, each with the flow that minted it (flows can run side by side). */
export const pendingPatsItem = storage.defineItem<PendingPat[]>(storageKey(CATALOGUE.pendingPats), {
  fallback: [],
  version: CATALOGUE.pendingPats.version,
  migrations: PENDING_PATS_MIGRATIONS,
});

export const unreadableRecordsItem = storage.defineItem<SetAside[]>(storageKey(CATALOGUE.unreadableRecords), {
  fallback: [],
  version: CATALOGUE.unreadableRecords.version,
});

/**
 * Progress of the running and last finished flows, one per ConnectionKey, so a reopened popup (or the
 * org's page) shows where its flow is. The ledger keeps what it last wrote: nothing else may write
 * or clear this key.
 */
export const flowsItem = storage.defineItem<FlowState[]>(storageKey(CATALOGUE.flows), { fallback: [], version: CATALOGUE.flows.version });

/** The last Renew all's progress (utils/worker/renewals.ts), written by the worker, followed by the options page. */
export const renewalsItem = storage.defineItem<RenewalsState | null>(storageKey(CATALOGUE.renewals), { fallback: null, version: CATALOGUE.renewals.version });

/** The expiry notifications already shown (utils/worker/expiry-watch.ts); a mark that does not read is simply shown again. */
export const notifiedItem = storage.defineItem<unknown>(storageKey(CATALOGUE.notified), { fallback: [], version: CATALOGUE.notified.version });

/** The connection records that read (any version, as v2); see the ledger for the ones that do not. */
export async function readConnections(): Promise<ConnectionRecord[]> {
  return splitRecords(await connectionsItem.getValue(), RECORD_READERS.connections).records;
}

/** The pending-PAT records that read (any version, as v2). */
export async function readPendingPats(): Promise<PendingPat[]> {
  return splitRecords(await pendingPatsItem.getValue(), RECORD_READERS.pendingPats).records;
}
