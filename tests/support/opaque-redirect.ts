/**
 * What a browser's fetch resolves to for `redirect: 'manual'` when the server redirects: type
 * `opaqueredirect`, status 0, no headers or body to read. Node's fetch returns the 3xx itself, so
 * fakes build this one by hand.
 */
export function opaqueRedirect(): Response {
  return Object.defineProperties(new Response(null), { type: { value: 'opaqueredirect' }, status: { value: 0 }, ok: { value: false } });
}
