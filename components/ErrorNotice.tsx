import type { UserMessage } from '@/utils/flow/flow-state';

/** An error as the user reads it: what happened, what to do, and the raw details on request. */
export function ErrorNotice(props: { message: UserMessage }) {
  const { title, fix, details } = props.message;
  return (
    <div class="notice error" role="alert" data-testid="error">
      <strong data-testid="error-title">{title}</strong>
      <p data-testid="error-fix">{fix}</p>
      {details && (
        <details>
          <summary>Details</summary>
          <pre>{details}</pre>
        </details>
      )}
    </div>
  );
}
