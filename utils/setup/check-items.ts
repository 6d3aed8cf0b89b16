import { z } from 'zod/mini';
import { redact } from '../errors/redact';
import { firstIssue, tenantIdSchema } from '../inputs';

/**
 * The result of the options page's setup check: one item per piece of the setup, each with a
 * status and, when something is wrong, the fix. Items cross from the background to the options page
 * and hold no secrets: every text goes through `redact` before it leaves the background.
 */

export const SETUP_CHECK_STATUSES = ['pass', 'fail', 'warn', 'info', 'skipped'] as const;
export const setupCheckStatusSchema = z.enum(SETUP_CHECK_STATUSES);
export type SetupCheckStatus = z.infer<typeof setupCheckStatusSchema>;

export const setupCheckItemSchema = z.object({
  /** Stable id, e.g. `instance`; tests and the page use it. */
  id: z.string().check(z.minLength(1)),
  label: z.string().check(z.minLength(1)),
  status: setupCheckStatusSchema,
  /** What was found, in one or two sentences. */
  summary: z.string(),
  /** What to do about it; present for failures and warnings, and for info items that ask for action. */
  fix: z.optional(z.string()),
  /** Raw details (status codes, server codes), shown behind "Details". */
  details: z.optional(z.string()),
});
export type SetupCheckItem = z.infer<typeof setupCheckItemSchema>;

export const setupCheckItemsSchema = z.array(setupCheckItemSchema);

/** The checks, in the order they run and are listed (utils/setup/run-setup-check.ts). */
export const SETUP_CHECK_IDS = ['host-permission', 'instance', 'identity-login', 'read-connections', 'oauth-client-id', 'microsoft-client-id', 'redirect-uri', 'test-sign-in'] as const;
export type SetupCheckId = (typeof SETUP_CHECK_IDS)[number];
/** What one check found: an item without its id and label, which the runner adds (utils/setup/run-setup-check.ts). */
export type CheckResult = Omit<SetupCheckItem, 'id' | 'label'>;

/** A check not run because one it needs did not pass (or it was not asked for); `summary` says which. */
export function skipped(summary: string): CheckResult {
  return { status: 'skipped', summary };
}

/** What the options page asks for. The tenant is only used by the test sign-in. */
export const setupCheckRequestSchema = z.object({
  testSignIn: z.boolean(),
  tenant: z.optional(z.string().check(z.trim(), z.maxLength(253))),
});
export type SetupCheckRequest = z.infer<typeof setupCheckRequestSchema>;

/** `item` with every text redacted: token-shaped strings and the given secrets are removed. */
export function redactItem(item: SetupCheckItem, secrets: readonly string[] = []): SetupCheckItem {
  const clean = (text: string) => redact(text, secrets);
  return setupCheckItemSchema.parse({
    id: item.id,
    label: clean(item.label),
    status: item.status,
    summary: clean(item.summary),
    ...(item.fix !== undefined ? { fix: clean(item.fix) } : {}),
    ...(item.details !== undefined && item.details !== '' ? { details: clean(item.details) } : {}),
  });
}

/** Counts per status, for the one-line summary above the list. */
export function countByStatus(items: readonly SetupCheckItem[]): Record<SetupCheckStatus, number> {
  const counts: Record<SetupCheckStatus, number> = { pass: 0, fail: 0, warn: 0, info: 0, skipped: 0 };
  for (const item of items) counts[item.status] += 1;
  return counts;
}

/** The test sign-in's default: any work or school account, whatever its tenant. */
export const DEFAULT_SIGN_IN_TENANT = 'organizations';
/** Authorities that are not one tenant but accept a work or school account. */
const MULTI_TENANT = new Set(['organizations', 'common']);

/**
 * The tenant typed for the test sign-in: empty means `organizations`; otherwise `organizations`,
 * `common`, a tenant GUID or a verified domain, lower-cased. The message says what to type instead.
 */
export function parseSignInTenant(raw: string | undefined): { ok: true; value: string } | { ok: false; message: string } {
  const value = raw?.trim().toLowerCase() || DEFAULT_SIGN_IN_TENANT;
  if (MULTI_TENANT.has(value)) return { ok: true, value };
  const parsed = tenantIdSchema.safeParse(value);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, message: `${firstIssue(parsed.error)} Or leave it empty to use “organizations” (any work or school account).` };
}

/**
 * `parseSignInTenant` as a message schema: the background accepts exactly what the page does, and
 * refuses with the same sentence (utils/parse-input.ts puts it under the field).
 */
export const signInTenantSchema = z.pipe(
  z.string(),
  z.transform((v: string, ctx) => {
    const parsed = parseSignInTenant(v);
    if (parsed.ok) return parsed.value;
    ctx.issues.push({ code: 'custom', message: parsed.message, input: v });
    return z.NEVER;
  }),
);
