import { z } from 'zod/mini';
import { settingsSchema } from '../storage/settings';
import { guidSchema, instanceUrlSchema, nameTemplateSchema, patLifetimeSchema, PAT_LIFETIMES } from '../inputs';

/**
 * The settings an organization may set by policy (`storage.managed`, docs/deploying.md): one table,
 * from which come Chromium's `managed_schema` (build/managed-schema.ts, which also holds each key's
 * description, so that the shipped bundles carry none) and the parsing of what the browser hands
 * over (utils/policy/policy.ts). Never a secret: the
 * identity's client secret stays the person's to enter (docs/privacy.md).
 *
 * `type` is what Chromium checks before the extension sees a value: a value of another type is
 * dropped there and marked as an error on chrome://policy. `value` is what this extension checks
 * after (a URL that is not one, a method it does not know); Firefox checks nothing, so there the
 * type is checked here too. Either way a rejected value is ignored with a note on the options page.
 */
export interface ManagedKey {
  type: 'string' | 'integer' | 'boolean' | 'array';
  value: z.core.$ZodType;
}

const { identityAuth, expiryWarningDays } = settingsSchema.shape;

export const MANAGED_KEYS = {
  infisicalUrl: { type: 'string', value: instanceUrlSchema },
  identityAuth: { type: 'string', value: identityAuth },
  identityClientId: { type: 'string', value: guidSchema('The machine identity client ID') },
  microsoftClientId: { type: 'string', value: z.union([z.literal(''), guidSchema('The Microsoft app (client) ID')]) },
  connectionNameTemplate: { type: 'string', value: nameTemplateSchema },
  patLifetimeDays: { type: 'integer', value: patLifetimeSchema },
  maxPatLifetimeDays: { type: 'integer', value: z.int().check(z.minimum(PAT_LIFETIMES[0], `Use at least ${PAT_LIFETIMES[0]} days, the shortest lifetime offered.`)) },
  // Any items: policy.ts keeps the methods it knows and notes the rest, rather than dropping the whole list for one.
  allowedMethods: { type: 'array', value: z.array(z.unknown()) },
  expiryWarningDays: { type: 'integer', value: expiryWarningDays },
  // Firefox on Windows hands a REG_DWORD over as a number, so 1 and 0 count as true and false (docs/deploying.md).
  expiryNotifications: {
    type: 'boolean',
    value: z.union([
      z.boolean(),
      z.pipe(
        z.union([z.literal(0), z.literal(1)]),
        z.transform((v) => v === 1),
      ),
    ]),
  },
} as const satisfies Record<string, ManagedKey>;

export type ManagedKeyName = keyof typeof MANAGED_KEYS;
export const MANAGED_KEY_NAMES = Object.keys(MANAGED_KEYS) as ManagedKeyName[];
