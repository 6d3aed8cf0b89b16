import { ExtensionError } from '@/utils/errors/boundary-error';
import { describeError } from '@/utils/errors/describe-error';
import { connectRequestSchema, INFISICAL_METHOD, type ConnectRequest } from '@/utils/flow/connect-request';
import type { ConnectDeps, ConnectOutcome } from '@/utils/flow/deps';
import { initialFlowState, withActiveStep, withFailure, withSuccess, type FlowState } from '@/utils/flow/flow-state';
import { METHOD_STEPS, runConnect } from '@/utils/flow/run-connect';
import { appConnectionsPageUrl } from '@/utils/infisical/app-connections';
import { parseInput } from '@/utils/parse-input';
import { assertAllowedByPolicy } from '@/utils/policy/enforce';
import type { PolicyRules } from '@/utils/policy/policy';
import { keyId, type ConnectionKey } from '@/utils/connection-key';
import { flowKey } from '@/utils/storage/view';
import type { OAuthWaitStart } from '@/utils/flow/connect-with-infisical-oauth';
import { pendingKey, type Ledger } from './ledger';

/** How long a flow waits, at most, for the recovery at start before it reads leftover records. */
const RECOVERY_WAIT_MS = 15_000;

export type PreparedDeps = Omit<ConnectDeps, 'onStep' | 'pats' | 'oauthConsent'> & {
  instanceUrl: string;
  /** The consent tab's wait is kept with its flow's id, for a restarted worker to finish it. */
  oauthConsent: (authorizeUrl: string, wait: OAuthWaitStart & { flowId: string }) => Promise<string>;
};

interface Running {
  state: FlowState;
  done: Promise<void>;
}

/**
 * Runs connect flows in the background, one per ConnectionKey (utils/connection-key.ts: instance,
 * scope, name): a second start for a key whose flow is running joins it (one flow, one connection);
 * flows for other keys run side by side, two names for one org too.
 * Each writes its progress to session storage so the popup and the org's page can close and reopen
 * without losing it, and records the result (no secrets).
 */
export function createFlowRunner(options: {
  prepare: () => Promise<PreparedDeps>;
  now: () => Date;
  newId: () => string;
  ledger: Ledger;
  /** The Infisical instance configured now (its origin), which a new flow's key names; null: none yet (the flow then fails, saying so). */
  instanceUrl: () => Promise<string | null>;
  /** The organization's rules now (utils/policy/policy.ts): a start they forbid is refused. */
  rules: () => Promise<PolicyRules>;
  /** Settles when the recovery at start has finished with the records interrupted flows left. */
  recovered: () => Promise<void>;
}) {
  const { ledger } = options;
  /** Running flows by `keyId` of their ConnectionKey. */
  const running = new Map<string, Running>();
  const runningIds = () => new Set([...running.values()].map((r) => r.state.id));
  /** The running flow (other than `exceptId`) making the connection of this key, if any. */
  const creating = (key: ConnectionKey, exceptId?: string) => {
    const found = running.get(keyId(key));
    return found && found.state.id !== exceptId ? found : undefined;
  };

  /**
   * Validate and start (or join the running flow of the same key); resolves with its current state
   * while the flow goes on.
   * @throws ExtensionError `invalid-input`, `policy-method` or `policy-lifetime` (utils/policy/enforce.ts), or `flow-running` when the flow running for this key
   * (whatever its org) uses another method or serves another org.
   */
  async function start(input: unknown): Promise<FlowState> {
    const request = parseInput(connectRequestSchema, input);
    const [instanceUrl, rules] = await Promise.all([options.instanceUrl(), options.rules()]);
    assertAllowedByPolicy(request, rules);
    // The organization's scope (projectId null) or one Infisical project's (docs/contracts.md A.12).
    const key: ConnectionKey = { instanceUrl: instanceUrl ?? '', projectId: request.projectId, name: request.connectionName };
    // From here to `launch` nothing waits: two starts at once cannot both find the key free.
    const same = creating(key);
    // The same connection again (a second click, another tab) joins; the same key another way
    // waits its turn rather than silently becoming that flow.
    if (same && same.state.method === request.method && same.state.org.toLowerCase() === request.org.toLowerCase()) return same.state;
    if (same) {
      const { connectionName, org, method } = same.state;
      throw new ExtensionError('flow-running', `A connection named “${connectionName}” is being created for ${org} (method ${method}).`);
    }

    const entry = {
      state: initialFlowState(
        { id: options.newId(), method: request.method, update: request.mode === 'update', org: request.org, connectionName: request.connectionName, ...key },
        METHOD_STEPS[request.method],
        options.now(),
      ),
    } as Running;
    launch(entry, request, (deps) => runConnect(request, deps));
    return entry.state;
  }

  /**
   * Run `run` as the flow of `key` (a renewal, replacement of the PAT of an existing connection:
   * utils/worker/renewals.ts), with the progress, records and recovery of any flow; `request` says
   * what the record keeps (org, tenant, lifetime). Answers the flow's first state at once, and
   * `ended`, its last state once it has ended.
   * @throws ExtensionError `flow-running` when a flow for the key is running already.
   */
  function runFor(
    key: ConnectionKey,
    request: Extract<ConnectRequest, { method: 'microsoft' }>,
    run: (deps: ConnectDeps) => Promise<ConnectOutcome>,
  ): { state: FlowState; ended: Promise<FlowState> } {
    const same = creating(key);
    if (same) throw new ExtensionError('flow-running', `A connection named “${key.name}” is being created for ${same.state.org} (method ${same.state.method}).`);
    const entry = {
      state: initialFlowState({ id: options.newId(), method: request.method, update: true, org: request.org, connectionName: key.name, ...key }, METHOD_STEPS.microsoft, options.now()),
    } as Running;
    const first = entry.state;
    launch(entry, request, run);
    return { state: first, ended: entry.done.then(() => entry.state) };
  }

  /** Run a flow, registered under its ConnectionKey, to its end, writing its progress, outcome and connection record. */
  function launch(entry: Running, request: ConnectRequest, run: (deps: ConnectDeps) => Promise<ConnectOutcome>): void {
    const flowId = entry.state.id;
    const key = flowKey(entry.state);
    const id = keyId(key);
    // Progress writes are not waited for by the flow: a storage write is not worth a delay on the
    // sign-in's path (docs/performance.md). They go into the ledger's queue at once, which runs them in call
    // order (had each waited for the one before, the success write would queue behind the
    // connection record made right after it), so the last one settles after all the others: it is
    // awaited below.
    let writes: Promise<void> = ledger.putFlow(entry.state).catch(() => undefined);
    const save = (next: FlowState) => {
      entry.state = next;
      writes = ledger.putFlow(next).catch(() => undefined);
    };

    running.set(id, entry);
    entry.done = (async () => {
      /** The flow said its PAT is delivered or revoked: the record goes once the outcome is written. */
      let settled = false;
      try {
        const deps = await options.prepare();
        const outcome = await run({
          ...deps,
          oauthConsent: (url, wait) => deps.oauthConsent(url, { ...wait, flowId }),
          pats: {
            recorded: async (connectionId) => (await ledger.connections()).find((c) => c.id === connectionId)?.patAuthorizationId ?? null,
            pending: async (pending) => {
              if (pending) await ledger.putPending({ ...pending, projectId: key.projectId, flowId });
              else settled = true;
            },
            // Read once the recovery at start has finished (it handles the same records), and without
            // the records of a connection another running flow is making (same key): that flow's own
            // PAT could pass for theirs.
            leftovers: async () => {
              // Not longer than RECOVERY_WAIT_MS: a stuck recovery must not hold the person's flow.
              let timer: ReturnType<typeof setTimeout> | undefined;
              await Promise.race([options.recovered(), new Promise((resolve) => (timer = setTimeout(resolve, RECOVERY_WAIT_MS)))]);
              clearTimeout(timer);
              const live = runningIds();
              return (await ledger.pending()).filter((p) => !live.has(p.flowId) && !creating(pendingKey(p), flowId));
            },
            forgetLeftover: (leftBy) => ledger.dropPending(leftBy),
          },
          onStep: async (step) => save(withActiveStep(entry.state, step)),
        });
        // Success is shown first (docs/performance.md); the connection record and the pending PAT's removal
        // follow in that order, so a worker stopped in between still has the record to recover from.
        save(
          withSuccess(
            entry.state,
            {
              connectionId: outcome.connection.id,
              connectionUrl: appConnectionsPageUrl(deps.instanceUrl),
              patValidTo: outcome.pat?.validTo ?? null,
              expiryClamped: outcome.expiryClamped,
            },
            options.now(),
          ),
        );
        // The connection exists whatever happens to its record here. A record that cannot be written
        // keeps the pending PAT: the recovery at the next start finds the connection and records it.
        await ledger
          .recordConnection({
            id: outcome.connection.id,
            name: outcome.connection.name,
            instanceUrl: deps.instanceUrl,
            projectId: key.projectId,
            org: request.org,
            tenantId: outcome.tenantId,
            clientId: outcome.clientId,
            method: INFISICAL_METHOD[request.method],
            patAuthorizationId: outcome.pat?.authorizationId ?? null,
            patValidTo: outcome.pat?.validTo ?? null,
            // What a renewal asks for again; only Sign in with Microsoft mints (and so chooses a lifetime).
            patLifetimeDays: request.method === 'microsoft' ? request.patLifetimeDays : null,
            createdAt: options.now().toISOString(),
          })
          .catch(() => {
            settled = false;
          });
      } catch (error) {
        save(withFailure(entry.state, describeError(error), options.now()));
      }
      if (settled) await ledger.dropPending(flowId);
      await writes;
    })().finally(() => {
      running.delete(id);
    });
  }

  /**
   * Take up a flow a stopped worker left running (its OAuth wait, utils/worker/oauth-tab.ts):
   * `run` finishes it. Resolves once it is running, with its end (`done`), or null when that flow
   * is not running any more.
   */
  async function resume(flowId: string, request: ConnectRequest, run: (deps: ConnectDeps) => Promise<ConnectOutcome>): Promise<{ done: Promise<void> } | null> {
    const state = (await ledger.flows()).find((f) => f.id === flowId && f.status === 'running');
    if (!state || creating(flowKey(state))) return null;
    const entry = { state } as Running;
    launch(entry, request, run);
    return { done: entry.done };
  }

  return {
    start,
    runFor,
    resume,
    /** Forget a finished flow; a running one stays. */
    dismiss: (id: string) => ledger.dismissFlow(id),
    /** The running flow of this key, if any. */
    runningFor: (key: ConnectionKey): FlowState | null => creating(key)?.state ?? null,
    /** The last state of the flow running for this key, once it has ended; null when none runs. */
    ended: (key: ConnectionKey): Promise<FlowState> | null => {
      const entry = creating(key);
      return entry ? entry.done.then(() => entry.state) : null;
    },
    /** Whether a flow running in this worker is making the connection of this key. */
    isCreating: (key: ConnectionKey) => Boolean(creating(key)),
    /** Whether the flow with this id is running in this worker. */
    isRunning: (flowId: string) => runningIds().has(flowId),
    /** Resolves when every running flow has ended; for tests. */
    idle: async () => {
      await Promise.all([...running.values()].map((r) => r.done));
    },
  };
}
