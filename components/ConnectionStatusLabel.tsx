import type { ConnectionStatus } from '@/utils/connections/status';
import { statusText } from './connection-text';

/** A mark for sighted users beside the words, which carry the status (never colour alone). */
const MARKS: Record<ConnectionStatus['kind'], string> = {
  ok: '✓',
  expiring: '!',
  expired: '✕',
  revoked: '✕',
  'not-managed': '–',
  gone: '?',
};

/** A connection's status: its words (`row-status`), coloured by kind, with a mark. */
export function ConnectionStatusLabel(props: { status: ConnectionStatus }) {
  const { kind } = props.status;
  return (
    <span class="conn-status" data-kind={kind}>
      <span aria-hidden="true">{MARKS[kind]} </span>
      <span data-testid="row-status">{statusText(props.status)}</span>
    </span>
  );
}
