/**
 * The listing's words, the same for the three stores. The name and the Chrome Web Store summary
 * are the built manifest's (`name`, `description` in wxt.config.ts), so the store page never
 * disagrees with the package; the rest says what the README says, shorter.
 */

/** AMO's summary: at most 250 characters (checked by listing.ts). */
export const AMO_SUMMARY =
  'Creates the Azure DevOps App Connection of your Infisical instance in one click: signs you in to Microsoft, mints a least-privilege, organization-scoped token and saves it in Infisical. Renews connections before they expire.';

export const DESCRIPTION = `Infisical Connect for Azure DevOps creates the Azure DevOps App Connection of an Infisical instance for you. No tenant ID to look up, no token to create by hand, no secret to paste.

Click Connect (in the toolbar popup, or on any Azure DevOps page) and the extension:
• signs you in to Microsoft (auth code with PKCE) in the browser's own sign-in window;
• checks that you can open the organization;
• creates a personal access token limited to that one organization and to the four scopes Infisical's Azure DevOps syncs need (variable groups, release execute, project read, service endpoint query);
• saves it in your Infisical instance as an access-token App Connection, or updates the connection of that name if it already exists.

Connections stay alive: the options page lists every Azure DevOps connection of your instance with its expiry, renews one or all of them (a new token first, the old one revoked only after Infisical has the new one), and the toolbar badge warns before a token expires.

Other methods are there when you need them: Infisical's own OAuth app, a pasted token, or a service principal.

What you need: an Infisical instance (cloud or self-hosted) with a machine identity allowed to manage App Connections, and a Microsoft Entra app registration with the extension's redirect URI (the options page shows it, with a copy button).

Privacy: the extension talks only to Microsoft's sign-in, Azure DevOps and the Infisical address you enter. No analytics, no tracking, nothing sent to the developer. Tokens are never stored.`;

/** The one purpose, as the Chrome Web Store's "Single purpose" field asks for it. */
export const SINGLE_PURPOSE =
  'Create and keep alive the Azure DevOps App Connection of the user’s Infisical instance: sign the user in to Microsoft, mint a least-privilege Azure DevOps personal access token and store it in Infisical as that connection, and renew it before it expires.';

/** What a reviewer needs to try it (there is no public test account: it needs the reviewer's own Infisical and Entra app). */
export const TEST_INSTRUCTIONS = `The extension needs an Infisical instance and a Microsoft Entra app registration; no test account is bundled.
1. Infisical (app.infisical.com or self-hosted): create a machine identity with Universal Auth and an organization role that can create App Connections (Admin has it); create a client secret.
2. Entra admin center › App registrations › New registration › Authentication › Single-page application, redirect URI: the one the extension's options page shows (https://<extension id>.chromiumapp.org/ on Chromium, https://<sha1>.extensions.allizom.org/ on Firefox); API permissions › Azure DevOps › user_impersonation.
3. Extension options: Infisical address, identity client ID and secret, the app's client ID; Save (the browser asks for that one origin).
4. Open https://dev.azure.com/<your org>, click Connect to Infisical beside the breadcrumb (or the toolbar popup's Connect).`;

/** Chrome Web Store: "Does your extension use remote code?" */
export const REMOTE_CODE =
  "No. Every script is in the package; the content security policy is `script-src 'self'; object-src 'none'; base-uri 'none'`, with no eval and no code built from strings.";
