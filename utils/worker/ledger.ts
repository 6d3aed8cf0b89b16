import { keyId, type ConnectionKey } from '@/utils/connection-key';
import type { FlowState } from '@/utils/flow/flow-state';
import { createSerial } from '@/utils/serial';
import { RECORD_READERS } from '@/utils/storage/catalogue';
import { splitRecords } from '@/utils/storage/per-record';
import { connectionsItem, flowsItem, pendingPatsItem, unreadableRecordsItem } from '@/utils/storage/records-items';
import { pendingPatSchema, type ConnectionRecord, type PendingPat } from '@/utils/storage/records';
import { parseSetAside, setAsideId, withoutToken, type SetAside } from '@/utils/storage/set-aside';
import { flowKey, readFlows } from '@/utils/storage/view';

/** Finished flows kept for the popup and pages to show, besides the running ones. */
const KEEP_FINISHED = 5;

/** The ConnectionKey of a pending-PAT record. */
export const pendingKey = (p: PendingPat): ConnectionKey => ({ instanceUrl: p.instanceUrl, projectId: p.projectId, name: p.connectionName });

/**
 * A storage array this ledger alone writes: read from storage once, then known as last read or
 * written (set once a write has landed, so a failed write changes nothing). Used only inside the
 * ledger's queue, so a read and a write never overlap.
 */
function remembered<T>(item: { setValue(value: T[]): Promise<void> }, read: () => Promise<T[]>) {
  let known: T[] | null = null;
  return {
    get: async () => (known ??= await read()),
    set: async (value: T[]) => {
      await item.setValue(value);
      known = value;
    },
  };
}

/**
 * The storage arrays flows share — their progress (`session:flows`), the PATs minted and not yet
 * delivered (`local:pendingPats`) and the connections made (`local:connections`) — written
 * through one queue, so flows running side by side (and the recovery at start) never overwrite
 * each other's entries. The worker's one ledger is their only writer, so after one read each write
 * is a single set: the writes of the pending-PAT record and of success are on the flow's path
 * (docs/performance.md). (A restarted worker has a new ledger, which reads again.)
 *
 * Records are read one by one: one that does not read is moved, raw, to `local:unreadableRecords`
 * before its list is written back without it (set aside first, so a worker stopped in between
 * keeps it twice at worst, and a value kept twice is counted once), never dropped.
 */
export function createLedger() {
  const serial = createSerial();

  async function setAside(from: SetAside['from'], raws: unknown[]): Promise<void> {
    const kept = parseSetAside(await unreadableRecordsItem.getValue());
    const known = new Set(kept.map(setAsideId));
    const at = new Date().toISOString();
    const added = raws.map((raw) => ({ from, raw: withoutToken(raw), at })).filter((e) => !known.has(setAsideId(e)));
    if (added.length > 0) await unreadableRecordsItem.setValue([...kept, ...added]);
  }

  /** A list read record by record, what does not read set aside first (see above). */
  function readList<T>(from: SetAside['from'], item: { getValue(): Promise<unknown>; setValue(value: T[]): Promise<void> }, read: (raw: unknown) => T | null) {
    return async () => {
      const { records, unreadable } = splitRecords(await item.getValue(), read);
      if (unreadable.length > 0) {
        await setAside(from, unreadable);
        await item.setValue(records);
      }
      return records;
    };
  }

  const flows = remembered<FlowState>(flowsItem, readFlows);
  const pending = remembered<PendingPat>(pendingPatsItem, readList('pendingPats', pendingPatsItem, RECORD_READERS.pendingPats));
  const connections = remembered<ConnectionRecord>(connectionsItem, readList('connections', connectionsItem, RECORD_READERS.connections));

  return {
    /** The flows' progress, after the writes queued before this read. */
    flows: () => serial(flows.get),
    /** The pending PATs, after the writes queued before this read (unreadable ones set aside). */
    pending: () => serial(pending.get),
    /** The connection records, after the writes queued before this read (unreadable ones set aside). */
    connections: () => serial(connections.get),
    /** The records set aside, after the pending PATs and connection records were read (so with theirs). */
    unreadable: () =>
      serial(async () => {
        await pending.get();
        await connections.get();
        return parseSetAside(await unreadableRecordsItem.getValue());
      }),
    /** The PAT a set-aside pending-PAT record named was revoked: say so on it (it stays, for the person to see). */
    markRevoked: (entry: SetAside, at: string) =>
      serial(async () => {
        const all = parseSetAside(await unreadableRecordsItem.getValue());
        const id = setAsideId(entry);
        await unreadableRecordsItem.setValue(all.map((e) => (setAsideId(e) === id ? { ...e, revokedAt: at } : e)));
      }),
    /**
     * Write a flow's state. One flow per ConnectionKey is kept, the one started last: this one
     * replaces an earlier flow for its key, and is itself dropped if a later one is there (a
     * recovered flow written while a new one runs).
     */
    putFlow: (flow: FlowState) =>
      serial(async () => {
        const id = keyId(flowKey(flow));
        const all = await flows.get();
        const sameOne = (f: FlowState) => f.id !== flow.id && keyId(flowKey(f)) === id;
        if (all.some((f) => sameOne(f) && f.startedAt > flow.startedAt)) return;
        const others = all.filter((f) => f.id !== flow.id && !sameOne(f));
        const finished = others.filter((f) => f.status !== 'running');
        const kept = others.filter((f) => f.status === 'running' || finished.indexOf(f) >= finished.length - (KEEP_FINISHED - 1));
        await flows.set([...kept, flow]);
      }),
    /** Forget a finished flow (the person dismissed it); a running one stays. */
    dismissFlow: (id: string) =>
      serial(async () => {
        const all = await flows.get();
        const remaining = all.filter((f) => f.id !== id || f.status === 'running');
        if (remaining.length !== all.length) await flows.set(remaining);
      }),
    /**
     * Add or replace (by Infisical id) the record of a connection this extension made. A record of
     * the same key and another id (that connection was deleted and made again) stays: it names the
     * PAT the deleted one held.
     */
    recordConnection: (record: ConnectionRecord) =>
      serial(async () => {
        const others = (await connections.get()).filter((c) => c.id !== record.id);
        await connections.set([...others, record]);
      }),
    /** Forget the record of a connection: it was removed, or it is gone from Infisical and its PAT revoked. */
    forgetConnection: (id: string) =>
      serial(async () => {
        const all = await connections.get();
        const keep = all.filter((c) => c.id !== id);
        if (keep.length !== all.length) await connections.set(keep);
      }),
    /** Add or replace a flow's pending-PAT record (one per flow: it mints one PAT). */
    putPending: (record: PendingPat) =>
      serial(async () => {
        // Only the schema's fields are kept: whatever else the caller's object carries (a PAT's
        // token, once) never reaches storage.
        const stored = pendingPatSchema.parse(record);
        await pending.set([...(await pending.get()).filter((p) => p.flowId !== record.flowId), stored]);
      }),
    /** Forget a flow's pending-PAT record. */
    dropPending: (flowId: string) =>
      serial(async () => {
        const all = await pending.get();
        const keep = all.filter((p) => p.flowId !== flowId);
        if (keep.length !== all.length) await pending.set(keep);
      }),
  };
}

export type Ledger = ReturnType<typeof createLedger>;
