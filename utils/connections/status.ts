import type { ConnectionRecord } from '../storage/records';

/**
 * What the connections view and the toolbar badge say of one Azure DevOps connection, computed
 * from what is known without a request: the extension's record of it, whether Infisical lists it,
 * and, when a silent Microsoft token allowed the read, what Azure DevOps says of its PAT.
 */
export type ConnectionStatus =
  | { kind: 'ok'; daysLeft: number }
  | { kind: 'expiring'; daysLeft: number }
  | { kind: 'expired'; daysAgo: number }
  | { kind: 'revoked' }
  | { kind: 'not-managed' }
  | { kind: 'gone' };

/** What Azure DevOps' PAT Lifecycle API said of the record's PAT, when it could be asked. */
export interface PatState {
  active: boolean;
  validTo: string | null;
}

const DAY_MS = 86_400_000;

/**
 * Whole calendar days from `now` to `then` in the browser's time zone: a token that expires
 * tomorrow morning has 1 day left whatever the hour, and a day of 23 or 25 hours (a change to or
 * from summer time) is still one day.
 */
export function calendarDaysBetween(now: Date, then: Date): number {
  const day = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  return Math.round((day(then) - day(now)) / DAY_MS);
}

/**
 * The status of a connection. `record`: the extension's record, when it made the connection;
 * `listed`: whether Infisical lists it (null: not known, the list could not be read); `pat`: the
 * PAT's state from Azure DevOps, when read; `windowDays`: how early "expiring" starts (0: never).
 */
export function connectionStatus(input: { record: ConnectionRecord | null; listed: boolean | null; pat?: PatState | null; now: Date; windowDays: number }): ConnectionStatus {
  const { record, listed, pat, now, windowDays } = input;
  if (record && listed === false) return { kind: 'gone' };
  if (!record?.patAuthorizationId) return { kind: 'not-managed' };
  if (pat && !pat.active) return { kind: 'revoked' };
  // Azure DevOps' own expiry wins over the record's: a policy may have shortened it since.
  const validTo = pat?.validTo ?? record.patValidTo;
  if (!validTo) return { kind: 'not-managed' };
  const expiry = new Date(validTo);
  if (expiry.getTime() <= now.getTime()) return { kind: 'expired', daysAgo: Math.max(0, -calendarDaysBetween(now, expiry)) };
  const daysLeft = calendarDaysBetween(now, expiry);
  return windowDays > 0 && daysLeft <= windowDays ? { kind: 'expiring', daysLeft } : { kind: 'ok', daysLeft };
}

/** Most urgent first: expired, revoked, gone, expiring (soonest first), ok (soonest first), not managed. */
export function urgency(status: ConnectionStatus): number {
  switch (status.kind) {
    case 'expired':
      return 0;
    case 'revoked':
      return 1;
    case 'gone':
      return 2;
    case 'expiring':
      return 3 + status.daysLeft / 1000;
    case 'ok':
      return 4 + status.daysLeft / 1000;
    case 'not-managed':
      return 5;
  }
}

/** Expired, revoked, or expiring within the window: what the badge counts and Renew all renews. */
export const needsAttention = (s: ConnectionStatus): boolean => s.kind === 'expired' || s.kind === 'revoked' || s.kind === 'expiring';

/** The badge's count. */
export function needingAttention(statuses: ConnectionStatus[]): number {
  return statuses.filter(needsAttention).length;
}
