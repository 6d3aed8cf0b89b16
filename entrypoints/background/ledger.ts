import type { FlowState } from '@/utils/flow/flow-state';
import { createSerial } from '@/utils/serial';
import { connectionsItem, flowsItem, pendingPatsItem, readConnections, readPendingPats, type ConnectionRecord, type PendingPat } from '@/utils/storage';
import { readFlows } from '@/utils/storage-view';

/** Finished flows kept for the popup and pages to show, besides the running ones. */
const KEEP_FINISHED = 5;

/**
 * The storage arrays flows share — their progress (`session:flows`), the PATs minted and not yet
 * delivered (`local:pendingPats`) and the connections made (`local:connections`) — written
 * through one queue, so flows running side by
 * side (and the recovery at start) never overwrite each other's entries.
 */
export function createLedger() {
  const serial = createSerial();
  /**
   * The flows as this ledger last wrote them (set once a write landed). The worker's one ledger is
   * their only writer, and session storage is cleared only when the extension restarts, worker
   * included; so after one read each write is a single set. The last one is on the path to
   * showing success (issue 7).
   */
  let flowsWritten: FlowState[] | null = null;
  const currentFlows = async () => flowsWritten ?? (await readFlows());
  const writeFlows = async (flows: FlowState[]) => {
    await flowsItem.setValue(flows);
    flowsWritten = flows;
  };

  return {
    /**
     * Write a flow's state. One flow per org is kept, the one started last: this one replaces an
     * earlier flow for its org, and is itself dropped if a later one is there (a recovered flow
     * written while a new one runs).
     */
    putFlow: (flow: FlowState) =>
      serial(async () => {
        const org = flow.org.toLowerCase();
        const all = await currentFlows();
        const sameOrg = (f: FlowState) => f.id !== flow.id && f.org.toLowerCase() === org;
        if (all.some((f) => sameOrg(f) && f.startedAt > flow.startedAt)) return;
        const others = all.filter((f) => f.id !== flow.id && !sameOrg(f));
        const finished = others.filter((f) => f.status !== 'running');
        const kept = others.filter((f) => f.status === 'running' || finished.indexOf(f) >= finished.length - (KEEP_FINISHED - 1));
        await writeFlows([...kept, flow]);
      }),
    /** Forget a finished flow (the person dismissed it); a running one stays. */
    dismissFlow: (id: string) =>
      serial(async () => {
        const flows = await currentFlows();
        const remaining = flows.filter((f) => f.id !== id || f.status === 'running');
        if (remaining.length !== flows.length) await writeFlows(remaining);
      }),
    /** Add or replace (by id) the record of a connection this extension made. */
    recordConnection: (record: ConnectionRecord) =>
      serial(async () => {
        await connectionsItem.setValue([...(await readConnections()).filter((c) => c.id !== record.id), record]);
      }),
    putPending: (pending: PendingPat) =>
      serial(async () => {
        const others = (await readPendingPats()).filter((p) => p.authorizationId !== pending.authorizationId);
        await pendingPatsItem.setValue([...others, pending]);
      }),
    /** Forget pending PATs: one by authorization id, or every one a flow minted. */
    dropPending: (which: { authorizationId: string } | { flowId: string }) =>
      serial(async () => {
        const all = await readPendingPats();
        const keep = all.filter((p) => ('flowId' in which ? p.flowId !== which.flowId : p.authorizationId !== which.authorizationId));
        if (keep.length !== all.length) await pendingPatsItem.setValue(keep);
      }),
  };
}

export type Ledger = ReturnType<typeof createLedger>;
