import type { ComponentChildren } from 'preact';
import type { RenewalProgress } from '@/utils/connections/view-model';
import { ConnectionsList } from './ConnectionsList';
import { ErrorNotice } from './ErrorNotice';
import type { Connections } from './use-connections';
import { useSyncs } from './use-syncs';

/**
 * What the options page's section and the popup's list page both show under their heading: the
 * background's failure to answer, else the list (or that it is being read).
 */
export function ConnectionsBody(props: { c: Connections; compact?: boolean; progress?: ReadonlyMap<string, RenewalProgress>; empty: ComponentChildren }) {
  const { c } = props;
  const syncs = useSyncs();
  return (
    <>
      {c.error && (
        <div data-testid="connections-error">
          <ErrorNotice message={c.error} />
        </div>
      )}
      {c.view ? (
        <ConnectionsList compact={props.compact ?? false} view={c.view} busy={c.busy} results={c.results} progress={props.progress} onAction={c.run} empty={props.empty} syncs={syncs} />
      ) : (
        !c.error && <p class="hint">Reading the connections…</p>
      )}
    </>
  );
}
