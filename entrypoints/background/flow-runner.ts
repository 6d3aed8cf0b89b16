import { ExtensionError } from '@/utils/errors/boundary-error';
import { describeError } from '@/utils/errors/describe-error';
import { connectRequestSchema, INFISICAL_METHOD } from '@/utils/flow/connect-request';
import type { ConnectDeps } from '@/utils/flow/deps';
import { initialFlowState, withActiveStep, withFailure, withSuccess, type FlowState } from '@/utils/flow/flow-state';
import { METHOD_STEPS, runConnect } from '@/utils/flow/run-connect';
import { appConnectionsPageUrl } from '@/utils/infisical/client';
import { firstIssue } from '@/utils/inputs';
import { connectionsItem, flowItem, pendingPatItem, readConnections, readPendingPat } from '@/utils/storage';
import { readFlow } from '@/utils/storage-view';

export type PreparedDeps = Omit<ConnectDeps, 'onStep' | 'recordedPat' | 'pendingPat' | 'leftoverPat'> & { instanceUrl: string };

/**
 * Runs one connect flow at a time in the background, writing its progress to session storage so
 * the popup can close and reopen without losing it, and recording the result (no secrets).
 */
export function createFlowRunner(options: { prepare: () => Promise<PreparedDeps>; now: () => Date; newId: () => string }) {
  let running: Promise<void> | null = null;

  /**
   * Validate and start; resolves with the first progress state while the flow goes on.
   * @throws ExtensionError `invalid-input` or `flow-running`.
   */
  async function start(input: unknown): Promise<FlowState> {
    const parsed = connectRequestSchema.safeParse(input);
    if (!parsed.success) throw new ExtensionError('invalid-input', firstIssue(parsed.error));
    if (running) throw new ExtensionError('flow-running', 'A connection is already being created.');
    const request = parsed.data;

    let state = initialFlowState(
      { id: options.newId(), method: request.method, update: request.mode === 'update', org: request.org, connectionName: request.connectionName },
      METHOD_STEPS[request.method],
      options.now(),
    );
    // Progress writes are queued in order but not waited for by the flow: a storage write is not
    // worth a delay on the sign-in's path (issue 7). The final state is awaited below.
    let writes: Promise<void> = flowItem.setValue(state);
    const save = (next: FlowState) => {
      state = next;
      writes = writes.then(() => flowItem.setValue(next)).catch(() => undefined);
      return Promise.resolve();
    };

    running = (async () => {
      try {
        const deps = await options.prepare();
        const outcome = await runConnect(request, {
          ...deps,
          recordedPat: async (id) => (await readConnections()).find((c) => c.id === id)?.patAuthorizationId ?? null,
          pendingPat: (pending) => (pending ? pendingPatItem.setValue(pending) : pendingPatItem.removeValue()),
          leftoverPat: readPendingPat,
          onStep: (step) => save(withActiveStep(state, step)),
        });
        await connectionsItem.setValue([
          ...(await readConnections()).filter((c) => c.id !== outcome.connection.id),
          {
            id: outcome.connection.id,
            name: outcome.connection.name,
            instanceUrl: deps.instanceUrl,
            org: request.org,
            tenantId: outcome.tenantId,
            method: INFISICAL_METHOD[request.method],
            patAuthorizationId: outcome.pat?.authorizationId ?? null,
            patValidTo: outcome.pat?.validTo ?? null,
            createdAt: options.now().toISOString(),
          },
        ]);
        await save(
          withSuccess(
            state,
            {
              connectionId: outcome.connection.id,
              connectionUrl: appConnectionsPageUrl(deps.instanceUrl),
              patValidTo: outcome.pat?.validTo ?? null,
              expiryClamped: outcome.expiryClamped,
            },
            options.now(),
          ),
        );
      } catch (error) {
        await save(withFailure(state, describeError(error), options.now()));
      }
      await writes;
    })().finally(() => {
      running = null;
    });
    return state;
  }

  return {
    start,
    /** Clear a finished flow; a running one stays. */
    async dismiss(): Promise<void> {
      const current = await readFlow();
      if (current && current.status !== 'running') await flowItem.removeValue();
    },
    /** Resolves when the current flow (if any) has ended; for tests. */
    idle: () => running ?? Promise.resolve(),
  };
}
