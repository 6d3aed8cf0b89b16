import { z } from 'zod/mini';
import { DEFAULT_NAME_TEMPLATE, patLifetimeSchema } from '../inputs';

/** The options the person saves (`local:settings`, utils/storage/catalogue.ts). No secret. */
export const settingsSchema = z.object({
  /** Origin of the Infisical instance, e.g. https://app.infisical.com. */
  infisicalUrl: z.nullable(z.string()),
  /** Universal Auth (client ID + secret) or a pasted identity access token (docs/contracts.md A.1, A.2). */
  identityAuth: z.enum(['universal-auth', 'access-token']),
  /** Machine identity Universal Auth client ID (not a secret). */
  identityClientId: z.string(),
  /** Keep the client secret on this device (the extension’s IndexedDB, utils/storage/secret.ts) instead of session storage. */
  rememberSecret: z.boolean(),
  /** Entra app (client) ID for the PKCE sign-in. */
  microsoftClientId: z.string(),
  /** Connection name for one-click connects from Azure DevOps pages; `{org}` is replaced. */
  connectionNameTemplate: z.string().check(z.maxLength(64)),
  /** Default lifetime of minted PATs, in days. */
  patLifetimeDays: patLifetimeSchema,
  /** How many days before a PAT's expiry its connection counts as expiring (badge, notification); 0: never. */
  expiryWarningDays: z.union([z.literal(0), z.literal(7), z.literal(14), z.literal(30)]),
  /** A desktop notification when a connection enters the warning window or expires (optional `notifications` permission). */
  expiryNotifications: z.boolean(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  infisicalUrl: null,
  identityAuth: 'universal-auth',
  identityClientId: '',
  rememberSecret: false,
  microsoftClientId: '',
  connectionNameTemplate: DEFAULT_NAME_TEMPLATE,
  patLifetimeDays: 90,
  expiryWarningDays: 14,
  expiryNotifications: false,
};

/**
 * Settings as stored, validated field by field: a field that is missing or malformed takes its
 * default alone, so one bad value does not cost the person the instance address they saved.
 */
export function parseSettings(stored: unknown): Settings {
  const given = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  const fields = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];
  return Object.fromEntries(
    fields.map((field) => {
      const parsed = settingsSchema.shape[field].safeParse(given[field]);
      return [field, parsed.success ? parsed.data : DEFAULT_SETTINGS[field]];
    }),
  ) as Settings;
}
