import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDaysBetween, connectionStatus, needingAttention, urgency, type ConnectionStatus } from '@/utils/connections/status';
import type { ConnectionRecord } from '@/utils/storage/records';

// A zone with summer time: Berlin moves its clocks forward on 2027-03-28 and back on 2027-10-31.
const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Berlin';
});
afterAll(() => {
  process.env.TZ = zone;
});

const record = (patValidTo: string | null, patAuthorizationId: string | null = 'pat-1'): ConnectionRecord => ({
  id: 'c1',
  name: 'azure-devops-contoso',
  instanceUrl: 'https://app.infisical.com',
  projectId: null,
  org: 'contoso',
  tenantId: 't',
  clientId: 'app',
  method: 'access-token',
  patAuthorizationId,
  patValidTo,
  patLifetimeDays: 90,
  createdAt: '2026-12-01T10:00:00.000Z',
});
const at = (iso: string) => new Date(iso);
const status = (validTo: string | null, now: string, more: Partial<Parameters<typeof connectionStatus>[0]> = {}) =>
  connectionStatus({ record: record(validTo), listed: true, now: at(now), windowDays: 14, ...more });

describe('connection status', () => {
  it('counts calendar days in the browser’s zone, across a change to and from summer time', () => {
    // 23:30 on the 27th to 23:30 on the 29th, local time: two calendar days, though only 47 hours.
    expect(calendarDaysBetween(at('2027-03-27T22:30:00Z'), at('2027-03-29T21:30:00Z'))).toBe(2);
    // 23:30 on the 27th to 00:30 on the 30th: three days, 49 hours; ms / 24 h would say two.
    expect(calendarDaysBetween(at('2027-03-27T22:30:00Z'), at('2027-03-29T22:30:00Z'))).toBe(3);
    expect(calendarDaysBetween(at('2027-10-30T12:00:00Z'), at('2027-10-31T23:30:00Z'))).toBe(2);
    expect(calendarDaysBetween(at('2027-03-28T00:30:00Z'), at('2027-03-28T21:00:00Z'))).toBe(0);
  });

  it('is expiring from the window’s last day, ok the day before it, expired at the instant of expiry', () => {
    const validTo = '2027-04-10T09:00:00Z';
    expect(status(validTo, '2027-03-26T09:00:00Z')).toEqual({ kind: 'ok', daysLeft: 15 });
    expect(status(validTo, '2027-03-27T09:00:00Z')).toEqual({ kind: 'expiring', daysLeft: 14 });
    expect(status(validTo, '2027-04-10T08:59:59Z')).toEqual({ kind: 'expiring', daysLeft: 0 });
    expect(status(validTo, '2027-04-10T09:00:00Z')).toEqual({ kind: 'expired', daysAgo: 0 });
    expect(status(validTo, '2027-04-12T10:00:00Z')).toEqual({ kind: 'expired', daysAgo: 2 });
    expect(status(validTo, '2027-03-27T09:00:00Z', { windowDays: 0 })).toEqual({ kind: 'ok', daysLeft: 14 });
  });

  it('believes Azure DevOps over the record: a PAT revoked early, or an expiry shortened by policy', () => {
    expect(status('2027-06-01T00:00:00Z', '2027-03-01T00:00:00Z', { pat: { active: false, validTo: '2027-06-01T00:00:00Z' } })).toEqual({ kind: 'revoked' });
    expect(status('2027-06-01T00:00:00Z', '2027-03-01T00:00:00Z', { pat: { active: true, validTo: '2027-03-05T00:00:00Z' } })).toEqual({ kind: 'expiring', daysLeft: 4 });
  });

  it('a record Infisical no longer lists is gone; a connection without a PAT of ours is not managed here', () => {
    expect(status('2027-06-01T00:00:00Z', '2027-03-01T00:00:00Z', { listed: false })).toEqual({ kind: 'gone' });
    expect(status('2027-06-01T00:00:00Z', '2027-03-01T00:00:00Z', { listed: null })).toEqual({ kind: 'ok', daysLeft: 92 });
    expect(connectionStatus({ record: null, listed: true, now: at('2027-03-01T00:00:00Z'), windowDays: 14 })).toEqual({ kind: 'not-managed' });
    expect(connectionStatus({ record: record(null, null), listed: true, now: at('2027-03-01T00:00:00Z'), windowDays: 14 })).toEqual({ kind: 'not-managed' });
  });

  it('sorts the most urgent first and counts what the badge shows', () => {
    const all: ConnectionStatus[] = [
      { kind: 'ok', daysLeft: 40 },
      { kind: 'not-managed' },
      { kind: 'expiring', daysLeft: 9 },
      { kind: 'gone' },
      { kind: 'expiring', daysLeft: 2 },
      { kind: 'expired', daysAgo: 1 },
      { kind: 'revoked' },
      { kind: 'ok', daysLeft: 20 },
    ];
    expect([...all].sort((a, b) => urgency(a) - urgency(b)).map((s) => ('daysLeft' in s ? `${s.kind} ${s.daysLeft}` : s.kind))).toEqual([
      'expired',
      'revoked',
      'gone',
      'expiring 2',
      'expiring 9',
      'ok 20',
      'ok 40',
      'not-managed',
    ]);
    expect(needingAttention(all)).toBe(4);
  });
});
