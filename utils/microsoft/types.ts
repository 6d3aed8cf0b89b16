/** What crosses between the worker and the context that runs MSAL (offscreen document / Firefox background). */

/** What MSAL is configured with; known before the click (tenant discovered, client ID set). */
export type MsalConfig = Pick<MsalBeginRequest, 'clientId' | 'authority' | 'redirectUri'>;

export interface MsalBeginRequest {
  clientId: string;
  /** `https://login.microsoftonline.com/<tenant>` */
  authority: string;
  /** `identity.getRedirectURL()`; the offscreen document cannot call the identity API itself. */
  redirectUri: string;
  scopes: string[];
  loginHint?: string;
}

/** Two begin requests with the same key get the same authorize URL (a prepared one can be used). */
export const beginRequestKey = (r: MsalBeginRequest): string => JSON.stringify([r.clientId, r.authority, r.redirectUri, r.scopes, r.loginHint ?? null]);

/** An Entra access token for Azure DevOps. Held in memory only, never stored. */
export interface EntraToken {
  accessToken: string;
  expiresOn: string | null;
  tenantId: string;
  username: string;
  /** Served from the worker's memory rather than a sign-in just now. */
  fromCache?: boolean;
}

/** A warmed MSAL nobody signs in with is let go after this long (Chromium: its document closed). */
export const WARM_IDLE_MS = 2 * 60_000;

/** Runs MSAL somewhere with a DOM. */
export interface MsalHost {
  /**
   * Get MSAL ready for a sign-in that is likely to follow (optional): instance made and authorize
   * URL built (and returned), so `begin` with the same request answers at once.
   */
  warm?(request: MsalBeginRequest): Promise<{ authorizeUrl: string }>;
  /** Build the authorize URL (with PKCE challenge, state, nonce) without navigating. */
  begin(request: MsalBeginRequest): Promise<{ authorizeUrl: string }>;
  /** Redeem the response URL's code with the PKCE verifier kept by `begin`. */
  complete(request: { responseUrl: string }): Promise<EntraToken>;
  /** Forget the interaction (and on Chromium close the offscreen document). */
  end(): Promise<void>;
}

/** The browser identity API, injected so the flow can be tested without a browser. */
export interface IdentityApi {
  getRedirectURL(): string;
  launchWebAuthFlow(details: { url: string; interactive: boolean }): Promise<string | undefined>;
}
