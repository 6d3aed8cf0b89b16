import { z } from 'zod/mini';

/**
 * A record that did not read, kept as it was found (`local:unreadableRecords`): which list it came
 * from, when it was set aside, and, for a pending PAT that still names its authorization, when
 * recovery revoked that PAT. Kept until the person can look at it; counted on the options page.
 */
export const setAsideSchema = z.object({
  from: z.enum(['connections', 'pendingPats']),
  raw: z.unknown(),
  at: z.string(),
  revokedAt: z.optional(z.string()),
});
export type SetAside = z.infer<typeof setAsideSchema>;

/** Set-aside entries as stored; an entry that does not read is kept as one more unreadable value. */
export function parseSetAside(value: unknown): SetAside[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    const parsed = setAsideSchema.safeParse(item);
    return parsed.success ? parsed.data : { from: 'connections' as const, raw: item, at: '' };
  });
}

/**
 * A record set aside is kept as found, except for a `token` field: builds before the record's v2
 * could leave a PAT's token in a pending-PAT record, and `local:` is readable by content scripts.
 */
export function withoutToken(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || !('token' in raw)) return raw;
  const { token: _token, ...rest } = raw as Record<string, unknown>;
  return rest;
}

/** One string per set-aside value, so setting one aside twice (a write cut short) keeps it once; as kept, without a token. */
export const setAsideId = (entry: Pick<SetAside, 'from' | 'raw'>) => `${entry.from} ${JSON.stringify(withoutToken(entry.raw))}`;
