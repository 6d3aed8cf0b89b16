import { needsAttention, type ConnectionStatus } from './status';

/** Red: something is broken now (expired, revoked). Amber: something will break within the warning window. */
export const BADGE_COLORS = { broken: '#b91c1c', expiring: '#b45309' } as const;
const TITLE = 'Infisical Connect for Azure DevOps';
/** Names listed in the icon's title; beyond, a count (a tooltip is no place for a long list). */
const NAMES_IN_TITLE = 8;

/** How a status reads in the icon's title and a notification. */
export function statusPhrase(status: ConnectionStatus): string {
  switch (status.kind) {
    case 'expired':
      return status.daysAgo > 0 ? `expired ${status.daysAgo} day${status.daysAgo === 1 ? '' : 's'} ago` : 'expired';
    case 'revoked':
      return 'revoked in Azure DevOps';
    case 'expiring':
      return status.daysLeft === 0 ? 'expires today' : `expires in ${status.daysLeft} day${status.daysLeft === 1 ? '' : 's'}`;
    case 'ok':
      return 'ok';
    case 'not-managed':
      return 'not managed here';
    case 'gone':
      return 'gone from Infisical';
  }
}

/**
 * The toolbar badge for the connections' statuses (the rows come most urgent first): the number
 * expired, revoked or expiring within the window, red when one is already broken, amber when they
 * are only expiring; no text when none is. The title names them.
 */
export function badgeOf(rows: { name: string; status: ConnectionStatus }[]): { text: string; color: string; title: string } {
  const due = rows.filter((r) => needsAttention(r.status));
  if (due.length === 0) return { text: '', color: BADGE_COLORS.expiring, title: TITLE };
  const broken = due.some((r) => r.status.kind !== 'expiring');
  const named = due.slice(0, NAMES_IN_TITLE).map((r) => `${r.name} (${statusPhrase(r.status)})`);
  const more = due.length > NAMES_IN_TITLE ? `, and ${due.length - NAMES_IN_TITLE} more` : '';
  const count = due.length === 1 ? '1 connection needs' : `${due.length} connections need`;
  return {
    text: due.length > 99 ? '99+' : String(due.length),
    color: broken ? BADGE_COLORS.broken : BADGE_COLORS.expiring,
    title: `${TITLE} — ${count} renewal: ${named.join(', ')}${more}`,
  };
}

/**
 * The notifications a set of statuses calls for, once each: a connection entering the warning
 * window, expiring, or revoked, each for the PAT expiry it was computed with (a renewed connection
 * can warn again). `seen`: the marks of those already shown; answers the new ones and the marks to keep.
 */
export function notificationsDue(
  rows: { id: string; name: string; status: ConnectionStatus; patValidTo: string | null }[],
  seen: readonly string[],
): { show: { id: string; mark: string; title: string; message: string }[]; keep: string[] } {
  const marks = rows.filter((r) => needsAttention(r.status)).map((r) => ({ r, mark: `${r.id} ${r.status.kind} ${r.patValidTo ?? ''}` }));
  const known = new Set(seen);
  const show = marks
    .filter(({ mark }) => !known.has(mark))
    .map(({ r, mark }) => ({
      id: r.id,
      mark,
      title: `Azure DevOps connection “${r.name}” ${statusPhrase(r.status)}`,
      message: 'Renew it from the extension’s options page before secret syncs that use it stop.',
    }));
  // Marks of connections that no longer need attention go: the next time they do, they warn again.
  return { show, keep: marks.map((m) => m.mark) };
}
