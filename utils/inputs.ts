import { z } from 'zod/mini';

/**
 * zod schemas for everything a person types. Each message says what to type instead, because it
 * is shown under the field as it is.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A verified domain such as contoso.onmicrosoft.com or contoso.com. */
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

const lowerCase = () => z.transform((v: string) => v.toLowerCase());
/** What a person typed, without surrounding spaces, then checked: every text field starts this way. */
const typed = (...checks: Parameters<ReturnType<typeof z.string>['check']>) => z.string().check(z.trim(), ...checks);

export const tenantIdSchema = z.pipe(
  typed(
    z.minLength(1, 'Enter the Microsoft Entra tenant ID (a GUID) or a verified domain.'),
    z.refine((v) => GUID.test(v) || DOMAIN.test(v), 'A tenant is a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47 or a domain like contoso.onmicrosoft.com.'),
  ),
  lowerCase(),
);

/** A GUID field; `what` names it as a sentence starts ("The client ID"). An empty field asks for it. */
export const guidSchema = (what: string) =>
  z.pipe(
    typed(z.minLength(1, `Enter ${what.charAt(0).toLowerCase()}${what.slice(1)}.`), z.regex(GUID, `${what} must be a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47.`)),
    lowerCase(),
  );

/** Organisation names: docs/contracts.md B.5 (letters, digits, hyphens; ≤ 50; no leading/trailing hyphen). */
export const orgNameSchema = typed(
  z.minLength(1, 'Enter the Azure DevOps organization name (the part after dev.azure.com/).'),
  z.maxLength(50, 'Azure DevOps organization names have at most 50 characters.'),
  z.regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, 'Organization names use only letters, digits and hyphens, and start and end with a letter or digit.'),
);

/**
 * Infisical connection names: the safe subset of both versions of Infisical's slug rule
 * (docs/contracts.md A.3: lowercase letters, digits, single hyphens; at most 32 characters).
 */
export const connectionNameSchema = typed(
  z.minLength(1, 'Enter a connection name.'),
  z.maxLength(32, 'Connection names have at most 32 characters.'),
  z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lowercase letters, digits and single hyphens (for example azure-devops-contoso).'),
);

/**
 * An Infisical project's id as the projects list gives it (docs/contracts.md A.11): a uuid on
 * current builds; older ones used other opaque ids, so only the characters a path segment needs.
 */
export const infisicalProjectIdSchema = typed(
  z.minLength(1, 'Choose a project.'),
  z.maxLength(100, 'That is not an Infisical project id.'),
  z.regex(/^[A-Za-z0-9_-]+$/, 'That is not an Infisical project id.'),
);

export const descriptionSchema = typed(z.maxLength(256, 'Descriptions have at most 256 characters.'));

export const PAT_LIFETIMES = [30, 60, 90, 180, 365] as const;
export const patLifetimeSchema = z.union(PAT_LIFETIMES.map((d) => z.literal(d)));
export type PatLifetime = (typeof PAT_LIFETIMES)[number];

export const DEFAULT_NAME_TEMPLATE = 'azure-devops-{org}';

/**
 * A valid connection name from a template such as `azure-devops-{org}`: `{org}` is replaced, the
 * result made an Infisical slug of at most 32 characters.
 */
export function connectionNameFor(org: string, template = DEFAULT_NAME_TEMPLATE): string {
  const slug = template
    .split('{org}')
    .join(org)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (slug || 'azure-devops').slice(0, 32).replace(/-+$/, '');
}

/** The organization a template's preview shows. */
export const SAMPLE_ORG = 'contoso';

/**
 * The connection-name template of one-click connects (entrypoints/background/page-handlers.ts):
 * it names each organization's connection, so it must contain `{org}` (a fixed name would make
 * every org's button offer to update the first org's connection), and with `{org}` replaced it
 * must already be a valid connection name, not one `connectionNameFor` has to repair.
 */
export const nameTemplateSchema = z.string().check(
  z.trim(),
  z.minLength(1, `Enter a connection name template, for example ${DEFAULT_NAME_TEMPLATE}.`),
  z.maxLength(64, 'Templates have at most 64 characters.'),
  z.refine((v) => v.includes('{org}'), 'Include {org}, so that each organization gets its own connection.'),
  z.refine((v) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(v.split('{org}').join(SAMPLE_ORG)), 'Use lowercase letters, digits, single hyphens and {org} (for example azure-devops-{org}).'),
  z.refine((v) => v.split('{org}').join(SAMPLE_ORG).length <= 32, 'With the organization name the connection name must fit in 32 characters: shorten the template.'),
);

/** The default connection name for an organisation. */
export const defaultConnectionName = (org: string) => connectionNameFor(org);

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/**
 * The Infisical instance URL, normalised to its origin. https only, except for a local instance.
 * Paths are dropped: the API lives at the origin (docs/contracts.md A.0).
 */
export const instanceUrlSchema = z.pipe(
  typed(z.minLength(1, 'Enter the address of your Infisical instance, e.g. https://app.infisical.com.')),
  z.transform((v: string, ctx) => {
    // zod/mini's transform context has no addIssue: push the issue as classic zod's addIssue did.
    const fail = (message: string) => {
      ctx.issues.push({ code: 'custom', message, input: v });
      return z.NEVER;
    };
    let url: URL;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`);
    } catch {
      return fail('That is not a web address (example: https://app.infisical.com).');
    }
    const local = LOCAL_HOSTS.has(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
      return fail('Use https:// (plain http is allowed only for localhost).');
    }
    if (url.username || url.password) return fail('Remove the user name and password from the address.');
    return url.origin;
  }),
);

/**
 * What of a typed Infisical address `instanceUrlSchema` drops (a path, query or fragment), to tell
 * the person; null when nothing.
 */
export function droppedFromUrl(typed: string): string | null {
  try {
    const v = typed.trim();
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`);
    const rest = `${url.pathname === '/' ? '' : url.pathname}${url.search}${url.hash}`;
    return rest || null;
  } catch {
    return null;
  }
}

/** The origin pattern the optional host permission is requested for. */
export function originPattern(origin: string): string {
  return `${new URL(origin).origin}/*`;
}

/** The first problem in a zod error, as the sentence shown to the user. */
export function firstIssue(error: z.core.$ZodError): string {
  return error.issues[0]?.message ?? 'Invalid value.';
}
