import { describe, expect, it } from 'vitest';
import { badgeOf, BADGE_COLORS, notificationsDue } from '@/utils/connections/badge';
import { buildRows } from '@/utils/connections/rows';
import type { AppConnection } from '@/utils/infisical/schemas';
import type { ConnectionRecord } from '@/utils/storage/records';
import { renewalLifetime } from '@/utils/worker/renewals';

const NOW = new Date('2026-12-02T12:00:00Z');
const INSTANCE = 'https://infisical.example.com';
const inDays = (d: number) => new Date(NOW.getTime() + d * 86_400_000).toISOString();

const listed = (id: string, name: string, method: AppConnection['method'] = 'access-token'): AppConnection => ({
  id,
  name,
  app: 'azure-devops',
  method,
  credentials: { orgName: 'contoso' },
  updatedAt: inDays(-1),
});
const record = (id: string, name: string, patValidTo: string | null, extra: Partial<ConnectionRecord> = {}): ConnectionRecord => ({
  id,
  name,
  instanceUrl: INSTANCE,
  projectId: null,
  org: 'contoso',
  tenantId: 't',
  clientId: 'c',
  method: 'access-token',
  patAuthorizationId: patValidTo ? `pat-${id}` : null,
  patValidTo,
  patLifetimeDays: 90,
  createdAt: inDays(-80),
  ...extra,
});
const rows = (input: Partial<Parameters<typeof buildRows>[0]>) => buildRows({ instanceUrl: INSTANCE, records: [], listed: [], pats: new Map(), now: NOW, windowDays: 14, ...input });

describe('connections view rows', () => {
  it('merges the list with the records, most urgent first, with what each row offers', () => {
    const result = rows({
      listed: [listed('a', 'fine'), listed('b', 'soon'), listed('c', 'elsewhere'), listed('d', 'oauth', 'oauth'), listed('e', 'late')],
      records: [record('a', 'fine', inDays(60)), record('b', 'soon', inDays(3)), record('e', 'late', inDays(-2)), record('z', 'deleted', inDays(30))],
    });
    expect(result.map((r) => [r.name, r.status.kind, r.renew, r.canForget])).toEqual([
      ['late', 'expired', 'renew', false],
      ['deleted', 'gone', null, true],
      ['soon', 'expiring', 'renew', false],
      ['fine', 'ok', 'renew', false],
      ['elsewhere', 'not-managed', 'replace', false],
      ['oauth', 'not-managed', null, false],
    ]);
    expect(result.find((r) => r.name === 'oauth')?.renewNote).toMatch(/Infisical renews itself/);
    expect(result.every((r) => r.url === `${INSTANCE}/organization/app-connections`)).toBe(true);
  });

  it('a record written after the list was read is not gone, only not listed yet', () => {
    const listedAt = new Date(NOW.getTime() - 60_000);
    const result = rows({
      listed: [],
      listedAt,
      records: [record('a', 'new', inDays(60), { createdAt: NOW.toISOString() }), record('b', 'old', inDays(60), { createdAt: inDays(-1) })],
    });
    expect(result.map((r) => [r.name, r.status.kind])).toEqual([
      ['old', 'gone'],
      ['new', 'ok'],
    ]);
  });

  it('a list that could not be read: the records alone, none gone', () => {
    const result = rows({ listed: null, records: [record('a', 'fine', inDays(60))] });
    expect(result.map((r) => [r.name, r.status.kind, r.updatedAt])).toEqual([['fine', 'ok', null]]);
  });

  it('Azure DevOps’ word wins: revoked early, or an expiry a policy shortened', () => {
    const pats = new Map([
      ['pat-a', { active: false, validTo: null }],
      ['pat-b', { active: true, validTo: inDays(5) }],
    ]);
    const result = rows({ listed: [listed('a', 'revoked'), listed('b', 'shortened')], records: [record('a', 'revoked', inDays(60)), record('b', 'shortened', inDays(80))], pats });
    expect(result.map((r) => [r.name, r.status.kind, r.patValidTo])).toEqual([
      ['revoked', 'revoked', inDays(60)],
      ['shortened', 'expiring', inDays(5)],
    ]);
  });

  it('a PAT missing from Azure DevOps’ active list after its recorded expiry is expired, not revoked', () => {
    const result = rows({ listed: [listed('a', 'old')], records: [record('a', 'old', inDays(-1))], pats: new Map([['pat-a', { active: false, validTo: null }]]) });
    expect(result[0]?.status.kind).toBe('expired');
  });
});

describe('the toolbar badge', () => {
  it('counts the connections needing attention, red when one is broken, amber when only expiring, and names them', () => {
    const expiring = { name: 'soon', status: { kind: 'expiring', daysLeft: 3 } } as const;
    const expired = { name: 'late', status: { kind: 'expired', daysAgo: 2 } } as const;
    const ok = { name: 'fine', status: { kind: 'ok', daysLeft: 60 } } as const;
    expect(badgeOf([ok])).toMatchObject({ text: '' });
    expect(badgeOf([expiring, ok])).toEqual({
      text: '1',
      color: BADGE_COLORS.expiring,
      title: 'Infisical Connect for Azure DevOps — 1 connection needs renewal: soon (expires in 3 days)',
    });
    expect(badgeOf([expired, expiring])).toMatchObject({ text: '2', color: BADGE_COLORS.broken, title: expect.stringContaining('late (expired 2 days ago), soon (expires in 3 days)') });
  });

  it('names at most eight in the title, and counts the rest', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ name: `c${i}`, status: { kind: 'expiring', daysLeft: 1 } as const }));
    expect(badgeOf(many).title).toMatch(/12 connections need renewal: c0 .*c7 \(expires in 1 day\), and 4 more$/);
  });
});

describe('expiry notifications', () => {
  const row = (id: string, kind: 'expiring' | 'ok', patValidTo: string) =>
    ({ id, name: id, patValidTo, status: kind === 'ok' ? { kind, daysLeft: 40 } : { kind, daysLeft: 5 } }) as const;

  it('once per connection and threshold; a renewed connection may warn again', () => {
    const first = notificationsDue([row('a', 'expiring', inDays(5)), row('b', 'ok', inDays(40))], []);
    expect(first.show.map((n) => n.id)).toEqual(['a']);
    expect(notificationsDue([row('a', 'expiring', inDays(5))], first.keep).show).toEqual([]);
    // Renewed: a new expiry, so the next time it is due it warns again.
    expect(notificationsDue([row('a', 'expiring', inDays(90))], first.keep).show.map((n) => n.id)).toEqual(['a']);
  });
});

describe('the lifetime a renewal asks for', () => {
  it('the one recorded; else what the recorded PAT had, to the nearest the form offers; else the default', () => {
    expect(renewalLifetime(record('a', 'a', inDays(10), { patLifetimeDays: 180 }), 90)).toBe(180);
    expect(renewalLifetime(record('a', 'a', inDays(-50), { patLifetimeDays: null }), 90)).toBe(30);
    expect(renewalLifetime(record('a', 'a', null, { patLifetimeDays: null }), 60)).toBe(60);
    expect(renewalLifetime(null, 365)).toBe(365);
  });
});
