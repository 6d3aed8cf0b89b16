import { z } from 'zod/mini';
import { STEP_IDS, type StepId } from './steps';

/**
 * The state of a connect flow as the popup (and later the page) shows it. Written by the
 * background to session storage after every step; holds no secrets.
 */

export { STEP_IDS, STEP_LABELS, type StepId } from './steps';

export const userMessageSchema = z.object({
  title: z.string(),
  fix: z.string(),
  details: z.optional(z.string()),
  /** The form field the message is about, when it is about one (shown under that field). */
  field: z.optional(z.string()),
});
export type UserMessage = z.infer<typeof userMessageSchema>;

export const flowStateSchema = z.object({
  id: z.string(),
  method: z.enum(['microsoft', 'infisical-oauth', 'pat', 'service-principal']),
  /** True when an existing connection's credentials were replaced rather than a new one created. */
  update: z.boolean(),
  org: z.string(),
  /** With `instanceUrl` and `projectId`: the flow's ConnectionKey (utils/connection-key.ts), which views match on. */
  connectionName: z.string(),
  instanceUrl: z.string(),
  /** The Infisical project of a project-scoped connection; null: the organization's. */
  projectId: z.nullable(z.string()),
  status: z.enum(['running', 'succeeded', 'failed']),
  steps: z.array(
    z.object({
      id: z.enum(STEP_IDS),
      state: z.enum(['pending', 'active', 'done', 'failed']),
    }),
  ),
  result: z.optional(
    z.object({
      connectionId: z.string(),
      connectionUrl: z.string(),
      patValidTo: z.nullable(z.string()),
      /** The org's PAT lifespan policy shortened the requested expiry. */
      expiryClamped: z.boolean(),
    }),
  ),
  error: z.optional(userMessageSchema),
  startedAt: z.string(),
  endedAt: z.optional(z.string()),
});
export type FlowState = z.infer<typeof flowStateSchema>;

export function initialFlowState(
  init: Pick<FlowState, 'id' | 'method' | 'update' | 'org' | 'connectionName' | 'instanceUrl' | 'projectId'>,
  steps: readonly StepId[],
  now: Date,
): FlowState {
  return {
    ...init,
    status: 'running',
    steps: steps.map((s) => ({ id: s, state: 'pending' as const })),
    startedAt: now.toISOString(),
  };
}

/** Mark `step` active; every step before it done. */
export function withActiveStep(state: FlowState, step: StepId): FlowState {
  const index = state.steps.findIndex((s) => s.id === step);
  return {
    ...state,
    steps: state.steps.map((s, i) => ({
      ...s,
      state: i < index ? 'done' : i === index ? 'active' : 'pending',
    })),
  };
}

export function withFailure(state: FlowState, error: UserMessage, now: Date): FlowState {
  return {
    ...state,
    status: 'failed',
    error,
    endedAt: now.toISOString(),
    steps: state.steps.map((s) => (s.state === 'active' ? { ...s, state: 'failed' } : s)),
  };
}

export function withSuccess(state: FlowState, result: NonNullable<FlowState['result']>, now: Date): FlowState {
  return {
    ...state,
    status: 'succeeded',
    result,
    endedAt: now.toISOString(),
    steps: state.steps.map((s) => ({ ...s, state: 'done' })),
  };
}
