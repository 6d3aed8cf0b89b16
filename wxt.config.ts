import { defineConfig } from 'wxt';

/**
 * Public half of the key that fixes the Chromium extension id (and so the redirect URI
 * `https://caiekacklhaldebomccfigafhmmkpmla.chromiumapp.org/` an admin registers in Entra).
 * Only the public key lives here; see README "Extension ids and redirect URIs".
 */
const CHROMIUM_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAujKrQIMD5iAJpN/7OVTjJAg551pMwg/GNdkab4VtGZirwcEiO5NRfzrVCn+h1kdnk1Ce2Ylsi/NoDWQ6z6k9Xa7zB/5JNpLWe2qraZXaiNpXFKDHDG2IPM3Ay2hTrEelZO5WWNrqduut+v1HhfNCQnRaSS8F7UaQPG8iSEHv4lB3nNLj1K+m551lSKudldOus8pc49D45LAY0at+AzTblQ78vOQcbf9qtjMRprLVqp5GagajXb2Ky4/TM5JkN5NaGwUkZ3LbXswASsK4NSNxRYPZ3/GHePQJsv2anb9TTi6Sc3BiVBptPsjyMcQmImMrUwMigrfZ5Y4/ZXV1p3mdBQIDAQAB';

/** Stable add-on id: fixes Firefox's redirect host (sha1 of this id) across installs. */
export const GECKO_ID = 'infisical-connect-ado@infisical-connect.dev';

/** Where an Infisical instance may live; only the one origin saved in the options is ever granted. */
const OPTIONAL_ORIGINS = ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'] as const;

export default defineConfig({
  modules: [],
  manifest: ({ browser }) => ({
    name: 'Infisical Connect for Azure DevOps',
    description: 'Create the Azure DevOps App Connection of your Infisical instance in one click.',
    // declarativeNetRequestWithHostAccess: catch Infisical's OAuth callback in the tab the extension
    // opened (host access comes from the instance's optional permission).
    permissions: ['storage', 'identity', 'declarativeNetRequestWithHostAccess', ...(browser === 'firefox' ? [] : ['offscreen'])],
    // Azure DevOps hosts the background calls with the user's Entra token (tenant discovery,
    // access check, PAT lifecycle). Microsoft's token endpoint answers CORS itself, so it needs none.
    host_permissions: [
      'https://dev.azure.com/*',
      'https://vssps.dev.azure.com/*',
      'https://app.vssps.visualstudio.com/*',
    ],
    // The Infisical instance is only known at runtime: the options page requests exactly its origin.
    // Manifest V2 (Firefox, docs/firefox.md) has no optional_host_permissions: origins go in
    // optional_permissions there (WXT drops the MV3 key from MV2 builds).
    ...(browser === 'firefox' ? { optional_permissions: [...OPTIONAL_ORIGINS] } : { optional_host_permissions: [...OPTIONAL_ORIGINS] }),
    // The redirect target of that rule must be web accessible.
    web_accessible_resources: [{ resources: ['oauth-callback.html'], matches: [...OPTIONAL_ORIGINS] }],
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : { key: CHROMIUM_KEY }),
  }),
  vite: () => ({
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    resolve: {
      alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
    },
  }),
});
