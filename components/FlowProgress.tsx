import type { FlowState } from '@/utils/flow/flow-state';
import { STEP_LABELS } from '@/utils/flow/steps';
import { ErrorNotice } from './ErrorNotice';

/** The steps of a flow as they happen, then its result or its error. */
export function FlowProgress(props: { flow: FlowState }) {
  const { flow } = props;
  return (
    <div class="stack" data-testid="flow" data-status={flow.status}>
      <ol class="steps" aria-label="Progress">
        {flow.steps.map((s) => (
          <li key={s.id} data-state={s.state} aria-current={s.state === 'active' ? 'step' : undefined}>
            {STEP_LABELS[s.id]}
          </li>
        ))}
      </ol>
      <div aria-live="polite">
        {flow.status === 'succeeded' && flow.result && (
          <div class="notice ok" data-testid="success">
            <strong>Connection “{flow.connectionName}” is ready in Infisical.</strong>
            {flow.result.patValidTo && (
              <p>
                Its token expires on {new Date(flow.result.patValidTo).toLocaleDateString()}
                {flow.result.expiryClamped ? ', earlier than chosen: your organization limits token lifetimes.' : '.'}
              </p>
            )}
            <p>
              <a href={flow.result.connectionUrl} target="_blank" rel="noreferrer" data-testid="connection-link">
                Open app connections in Infisical
              </a>
            </p>
          </div>
        )}
        {flow.status === 'failed' && flow.error && <ErrorNotice message={flow.error} />}
      </div>
    </div>
  );
}
