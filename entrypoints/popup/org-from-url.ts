/**
 * The Azure DevOps organisation a page belongs to, from its URL: `https://dev.azure.com/{org}/…`
 * or `https://{org}.visualstudio.com/…` (contracts.md B.5). Null for any other page.
 */
export function orgFromUrl(href: string | undefined): string | null {
  if (!href) return null;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:') return null;
  const candidate =
    url.hostname === 'dev.azure.com'
      ? decodeURIComponent(url.pathname.split('/')[1] ?? '')
      : url.hostname.endsWith('.visualstudio.com')
        ? url.hostname.slice(0, -'.visualstudio.com'.length)
        : '';
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?$/.test(candidate) && !candidate.startsWith('_')
    ? candidate
    : null;
}
