/**
 * The Azure DevOps organisation (and project) a page belongs to, from its URL:
 * `https://dev.azure.com/{org}/{project}/…` or `https://{org}.visualstudio.com/{project}/…`
 * (docs/contracts.md B.5). Null for any other page, and for dev.azure.com pages outside an org.
 */
const ORG = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?$/;

/**
 * Microsoft's own sites under *.visualstudio.com, which the `{org}.visualstudio.com` pattern would
 * otherwise take for organizations (code.visualstudio.com is VS Code's site, marketplace the
 * extension gallery, my the subscriptions portal, developercommunity the feedback site, status
 * and vsstatus the service status pages, vs-ssh the Git SSH host): no organization can have these
 * names, since its own address would be that site. The content script is not even injected there
 * (`excludeMatches` in entrypoints/azure-devops.content/index.ts); the popup does not prefill
 * them. Hosts with more labels (app.vssps.visualstudio.com, update.code.visualstudio.com) never
 * count as organizations anyway.
 */
export const NOT_ORGANIZATIONS = ['code', 'marketplace', 'www', 'my', 'developercommunity', 'status', 'vsstatus', 'vs-ssh'];

export function parseAdoUrl(href: string | undefined): { org: string; project: string | null } | null {
  if (!href) return null;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:') return null;
  const segments = url.pathname.split('/').filter(Boolean).map(safeDecode);
  let org: string | undefined;
  let rest: string[];
  if (url.hostname === 'dev.azure.com') {
    [org, ...rest] = segments;
  } else if (url.hostname.endsWith('.visualstudio.com') && url.hostname.split('.').length === 3) {
    org = url.hostname.slice(0, -'.visualstudio.com'.length);
    if (NOT_ORGANIZATIONS.includes(org)) return null;
    rest = segments;
  } else {
    return null;
  }
  if (!org || !ORG.test(org)) return null;
  const project = rest[0] && !rest[0].startsWith('_') ? rest[0] : null;
  return { org, project };
}

export function orgFromUrl(href: string | undefined): string | null {
  return parseAdoUrl(href)?.org ?? null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
