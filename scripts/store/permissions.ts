/**
 * Why the extension asks for each permission, in the words a store reviewer reads (the Chrome Web
 * Store and Edge Add-ons ask for one justification per permission and host; AMO's reviewers read
 * the same list). The README's "Permissions, and why" table is the source; this is its listing
 * form. Every permission of a built manifest must be here, or the store script stops: a new
 * permission cannot reach a store without its reason.
 */

/** Justification by the exact string the manifest lists. */
export const JUSTIFICATIONS: Record<string, string> = {
  identity:
    'identity.launchWebAuthFlow shows the Microsoft sign-in page (auth code with PKCE) and returns its redirect to the extension; it is how the extension gets the Azure DevOps token that mints a personal access token.',
  storage:
    'Keeps the settings, the record of each connection made (never a secret), and in session storage the progress of a running connect and the Infisical identity secret (kept on the device only when the user asks). Reads the settings an organization sets by enterprise policy (managed storage), which it never writes.',
  alarms: 'The expiry watch re-checks the connections every 12 hours; a service worker is stopped when idle, so only an alarm can keep that schedule.',
  declarativeNetRequestWithHostAccess:
    "For the 'Infisical OAuth app' method only: one session rule, limited to the tab the extension opened, sends Infisical's OAuth callback to the extension's own page. It acts only on the Infisical origin the user granted.",
  offscreen: "Microsoft's sign-in library (MSAL) needs a DOM and web storage, which the service worker lacks; an offscreen document hosts it for the length of one sign-in.",
  notifications: 'Optional, asked for only when the user turns on expiry notifications in the options: a desktop notice when a connection is about to expire.',
  'https://dev.azure.com/*':
    "Azure DevOps' REST API: finding the organization's Microsoft Entra tenant (without signing in) and checking that the signed-in user can open the organization. Also where the Connect to Infisical button is shown (content script).",
  'https://vssps.dev.azure.com/*':
    "Azure DevOps' PAT Lifecycle API: creating the least-privilege, organization-scoped token, reading its state, and revoking it when it is replaced or the connection removed.",
  'https://app.vssps.visualstudio.com/*': "Azure DevOps' profile and accounts APIs, used only when the user asks to list the organizations they belong to.",
  'https://*.visualstudio.com/*':
    'Organizations on the older {org}.visualstudio.com addresses: the Connect to Infisical button beside the breadcrumb (content script). Microsoft’s own sites there are excluded.',
  'https://*/*':
    'Optional, never granted at install: the Infisical instance is self-hosted at an address only the user knows, so the extension requests exactly that one origin: when the user saves it in the options, or in one click from the popup when the organization’s policy set it.',
  'http://localhost/*': 'Optional, as above, for an Infisical instance the user runs on this machine.',
  'http://127.0.0.1/*': 'Optional, as above, for an Infisical instance the user runs on this machine.',
};

interface ManifestPermissions {
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_scripts?: { matches?: string[] }[];
}

/** Every permission and host a manifest asks for (content-script matches included), once each, in manifest order. */
export function manifestPermissions(manifest: ManifestPermissions): string[] {
  const all = [
    ...(manifest.permissions ?? []),
    ...(manifest.host_permissions ?? []),
    ...(manifest.content_scripts ?? []).flatMap((script) => script.matches ?? []),
    ...(manifest.optional_permissions ?? []),
    ...(manifest.optional_host_permissions ?? []),
  ];
  return [...new Set(all)];
}

/** Each of the manifest's permissions with its justification; throws naming any that has none. */
export function justify(manifest: ManifestPermissions): [permission: string, why: string][] {
  const listed = manifestPermissions(manifest);
  const missing = listed.filter((p) => !(p in JUSTIFICATIONS));
  if (missing.length) throw new Error(`store: no justification in scripts/store/permissions.ts for ${missing.join(', ')}`);
  return listed.map((p) => [p, JUSTIFICATIONS[p]!]);
}
