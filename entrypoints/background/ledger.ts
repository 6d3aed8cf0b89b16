import type { FlowState } from '@/utils/flow/flow-state';
import { createSerial } from '@/utils/serial';
import { connectionsItem, flowsItem, pendingPatsItem, readConnections, readPendingPats, type ConnectionRecord, type PendingPat } from '@/utils/storage';
import { readFlows } from '@/utils/storage-view';

/** Finished flows kept for the popup and pages to show, besides the running ones. */
const KEEP_FINISHED = 5;

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
 */
export function createLedger() {
  const serial = createSerial();
  const flows = remembered<FlowState>(flowsItem, readFlows);
  const pending = remembered<PendingPat>(pendingPatsItem, readPendingPats);
  const connections = remembered<ConnectionRecord>(connectionsItem, readConnections);

  return {
    /** The flows' progress, after the writes queued before this read. */
    flows: () => serial(flows.get),
    /** The pending PATs, after the writes queued before this read. */
    pending: () => serial(pending.get),
    /**
     * Write a flow's state. One flow per org is kept, the one started last: this one replaces an
     * earlier flow for its org, and is itself dropped if a later one is there (a recovered flow
     * written while a new one runs).
     */
    putFlow: (flow: FlowState) =>
      serial(async () => {
        const org = flow.org.toLowerCase();
        const all = await flows.get();
        const sameOrg = (f: FlowState) => f.id !== flow.id && f.org.toLowerCase() === org;
        if (all.some((f) => sameOrg(f) && f.startedAt > flow.startedAt)) return;
        const others = all.filter((f) => f.id !== flow.id && !sameOrg(f));
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
    /** Add or replace (by id) the record of a connection this extension made. */
    recordConnection: (record: ConnectionRecord) =>
      serial(async () => {
        await connections.set([...(await connections.get()).filter((c) => c.id !== record.id), record]);
      }),
    /** Add or replace a flow's pending-PAT record (one per flow: it mints one PAT). */
    putPending: (record: PendingPat) =>
      serial(async () => {
        await pending.set([...(await pending.get()).filter((p) => p.flowId !== record.flowId), record]);
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
