/**
 * How each Infisical connection `method` reads to a person: the names of the popup's choices that
 * make it (utils/flow/connect-request.ts METHOD_LABELS), never the API's `access-token`. Free of
 * imports so the content script and the popup can show it without loading any schema.
 */
export const INFISICAL_METHOD_NAMES: Readonly<Record<string, string>> = {
  oauth: '“Infisical’s OAuth app”',
  'access-token': '“Sign in with Microsoft” or “Paste a personal access token”',
  'client-secret': '“Service principal”',
};

/** The method as a person reads it; an unknown value is quoted as it is. */
export function methodName(method: string): string {
  return Object.hasOwn(INFISICAL_METHOD_NAMES, method) ? INFISICAL_METHOD_NAMES[method]! : `“${method}”`;
}
