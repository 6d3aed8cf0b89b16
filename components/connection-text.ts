import { needsAttention } from '@/utils/connections/status';
import type { ConnectionStatus } from '@/utils/connections/status';
import type { ConnectionRow, RenewalProgress, RowOutcome } from '@/utils/connections/view-model';

/**
 * What the connections view (components/ConnectionsList.tsx) says of a row, as plain functions of
 * the background's view model: no imports but types, so the pages bundle nothing for them.
 */

/** Infisical's `method` as the list names it. */
export const METHOD_LABELS: Record<ConnectionRow['method'], string> = {
  'access-token': 'Access token',
  oauth: 'OAuth',
  'client-secret': 'Client secret',
};

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

/** The status as words (never colour alone). */
export function statusText(status: ConnectionStatus): string {
  switch (status.kind) {
    case 'ok':
      return 'OK';
    case 'expiring':
      return status.daysLeft <= 0 ? 'Expires today' : `Expires in ${days(status.daysLeft)}`;
    case 'expired':
      return status.daysAgo <= 0 ? 'Expired' : `Expired ${days(status.daysAgo)} ago`;
    case 'revoked':
      return 'Revoked in Azure DevOps';
    case 'not-managed':
      return 'Not managed here';
    case 'gone':
      return 'Gone from Infisical';
  }
}

/** One formatter for every date of the list: 300 rows do not each build their own. */
let dateFormat: Intl.DateTimeFormat | undefined;

/** A date as the browser's locale writes it (day, month and year); the value itself when it does not read. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  dateFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
  return dateFormat.format(date);
}

/** The expiry of the PAT this extension minted, with the days it has left; null for a token not made here. */
export function expiryText(row: ConnectionRow): string | null {
  if (!row.madeHere || !row.patValidTo) return null;
  const date = formatDate(row.patValidTo);
  const { status } = row;
  switch (status.kind) {
    case 'ok':
    case 'expiring':
      return `${date} (${status.daysLeft <= 0 ? 'last day' : `${days(status.daysLeft)} left`})`;
    case 'expired':
      return `${date} (expired)`;
    case 'revoked':
      return `${date} (revoked)`;
    default:
      return date;
  }
}

/** Whether Renew all takes the row: expired, expiring or revoked, with a renewal (or replacement) to offer. */
export const needsRenewal = (row: ConnectionRow): boolean => row.renew !== null && needsAttention(row.status);

/** What a row's action does, as the outcome's sentence says it. */
export type RowAction = 'renew' | 'remove' | 'forget';

/** The sentence of an action that succeeded, and the background's note after it. */
export function successText(action: RowAction, outcome: Extract<RowOutcome, { ok: true }>): string {
  const note = outcome.note ? ` ${outcome.note}` : '';
  if (action === 'remove') return `Removed “${outcome.name}” from Infisical.${note}`;
  if (action === 'forget') return outcome.note ? `Forgot “${outcome.name}”.${note}` : `Forgot “${outcome.name}” and revoked its token.`;
  if (!outcome.patValidTo) return `Renewed.${note}`;
  const clamped = outcome.expiryClamped ? ', earlier than chosen: your organization limits token lifetimes' : '';
  return `Renewed: new token valid until ${formatDate(outcome.patValidTo)}${clamped}.${note}`;
}

/** A row's place in a Renew all, as `data-state` names it. */
export type LiveState = 'waiting' | 'signing-in' | 'renewing' | 'renewed' | 'failed';

export const liveState = (progress: RenewalProgress): LiveState => (progress.state === 'done' ? (progress.ok ? 'renewed' : 'failed') : progress.state);

const LIVE_TEXT: Record<Exclude<LiveState, 'failed'>, string> = {
  waiting: 'Waiting to be renewed',
  'signing-in': 'Signing in to Microsoft…',
  renewing: 'Renewing…',
  renewed: 'Renewed',
};

/** The row's place in a Renew all as a sentence; a failure says why. */
export function liveText(progress: RenewalProgress): string {
  if (progress.state === 'done' && !progress.ok) return `Failed: ${progress.error.title}`;
  return LIVE_TEXT[liveState(progress) as Exclude<LiveState, 'failed'>];
}
