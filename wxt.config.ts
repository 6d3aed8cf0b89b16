import { fileURLToPath } from 'node:url';
import { defineConfig } from 'wxt';
import { inlineStyles } from './build/inline-styles';
import { addIcons, iconManifest } from './build/icons';
import { addManagedSchema, MANAGED_SCHEMA_FILE } from './build/managed-schema';
import type { Plugin } from 'vite';
import { PUBLIC_CLOUD } from './utils/config/endpoints';

/**
 * Public half of the key that fixes the Chromium extension id (and so the redirect URI
 * `https://caiekacklhaldebomccfigafhmmkpmla.chromiumapp.org/` an admin registers in Entra).
 * Only the public key lives here; see README "Extension ids and redirect URIs".
 */
const CHROMIUM_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAujKrQIMD5iAJpN/7OVTjJAg551pMwg/GNdkab4VtGZirwcEiO5NRfzrVCn+h1kdnk1Ce2Ylsi/NoDWQ6z6k9Xa7zB/5JNpLWe2qraZXaiNpXFKDHDG2IPM3Ay2hTrEelZO5WWNrqduut+v1HhfNCQnRaSS8F7UaQPG8iSEHv4lB3nNLj1K+m551lSKudldOus8pc49D45LAY0at+AzTblQ78vOQcbf9qtjMRprLVqp5GagajXb2Ky4/TM5JkN5NaGwUkZ3LbXswASsK4NSNxRYPZ3/GHePQJsv2anb9TTi6Sc3BiVBptPsjyMcQmImMrUwMigrfZ5Y4/ZXV1p3mdBQIDAQAB';

/** Stable add-on id: fixes Firefox's redirect host (sha1 of this id) across installs. */
export const GECKO_ID = 'infisical-connect-ado@infisical-connect.dev';

/** The extension pages' policy: only the extension's own scripts, no plugins, no <base>. */
const CSP = "script-src 'self'; object-src 'none'; base-uri 'none'";

/** Where an Infisical instance may live; only the one origin saved in the options is ever granted. */
const OPTIONAL_ORIGINS = ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'] as const;

export default defineConfig({
  // `wxt/browser` becomes Mozilla's webextension-polyfill, the same object @webext-core/messaging
  // imports, so every context speaks the one promise-based API (docs/performance.md says what it costs).
  modules: ['@wxt-dev/webextension-polyfill'],
  manifest: ({ browser, manifestVersion }) => ({
    name: 'Infisical Connect for Azure DevOps',
    description: 'Create the Azure DevOps App Connection of your Infisical instance in one click.',
    // icons and the toolbar button's, rendered from assets/icon.svg by the hook below (build/icons.ts).
    ...iconManifest(browser, manifestVersion),
    // declarativeNetRequestWithHostAccess: catch Infisical's OAuth callback in the tab the extension
    // opened (host access comes from the instance's optional permission).
    // alarms: the expiry watch's check every 12 hours (README "Expiry watch"), which a service
    // worker cannot keep with a timer, being stopped when idle.
    permissions: ['storage', 'identity', 'alarms', 'declarativeNetRequestWithHostAccess', ...(browser === 'firefox' ? [] : ['offscreen'])],
    // Azure DevOps hosts the background calls with the user's Entra token (tenant discovery,
    // access check, PAT lifecycle). Microsoft's token endpoint answers CORS itself, so it needs none.
    host_permissions: ['https://dev.azure.com/*', 'https://vssps.dev.azure.com/*', 'https://app.vssps.visualstudio.com/*'],
    // The Infisical instance is only known at runtime: the options page requests exactly its origin.
    // Manifest V2 (Firefox, docs/firefox.md) has no optional_host_permissions: origins go in
    // optional_permissions there (WXT drops the MV3 key from MV2 builds).
    // `notifications` is asked for only when the person turns expiry notifications on (options page).
    ...(browser === 'firefox'
      ? { optional_permissions: [...OPTIONAL_ORIGINS, 'notifications'] }
      : { optional_host_permissions: [...OPTIONAL_ORIGINS], optional_permissions: ['notifications'] }),
    // As tight as the build allows (CSP above); MV2 takes the string itself.
    content_security_policy: browser === 'firefox' ? CSP : { extension_pages: CSP },
    // The redirect target of that rule must be web accessible to the navigation's initiator, which
    // Chromium checks against `matches`: Microsoft's sign-in page, whose form posts end in the
    // redirect to the instance's callback (a navigation the extension starts itself, with no page
    // behind it, passes anyway). And only by its per-session URL (use_dynamic_url), which
    // runtime.getURL gives: no web page can detect the extension by loading a fixed URL. Firefox
    // MV2 takes a plain list (WXT converts it); its moz-extension host is random per install.
    web_accessible_resources: [{ resources: ['oauth-callback.html'], matches: [`${PUBLIC_CLOUD.microsoftAuthority}/*`], use_dynamic_url: true }],
    ...(browser === 'firefox'
      ? {
          // Firefox ESR 140 and later (docs/firefox.md). data_collection_permissions (required on
          // AMO) is known to desktop Firefox from 140 and to Firefox for Android from 142.
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {
          key: CHROMIUM_KEY,
          // The settings an organization may set by policy (utils/policy/managed-keys.ts, docs/deploying.md).
          // Firefox reads the same keys from its `3rdparty` policy without a schema.
          storage: { managed_schema: MANAGED_SCHEMA_FILE },
        }),
  }),
  hooks: {
    'build:publicAssets': async (wxt, files) => {
      await addIcons(wxt, files);
      await addManagedSchema(wxt, files);
    },
  },
  // `npm run zip`: the Chromium zip (with `key`; the stores' zips come from `npm run store`, scripts/store/), the Firefox zip, and (Firefox only) the sources zip AMO
  // asks for. The sources are an allowlist of what the build reads, so test certificates, logs,
  // screenshots and build output can never end up in it; docs/firefox.md says how to rebuild.
  zip: {
    includeSources: [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'wxt.config.ts',
      'README.md',
      'docs/firefox.md',
      'build/**',
      'entrypoints/**',
      'components/**',
      'utils/**',
      'public/**',
      'assets/**',
    ],
    excludeSources: ['**/*.pem', '**/*.key', '**/*.crt', '**/*.p12', '**/*.log', '**/.env*'],
  },
  vite: () => ({
    plugins: [withoutDangerousInnerHtml(), inlineStyles()],
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    // Terser, Vite's other minifier: 3–4 % smaller than esbuild's output after gzip (the service
    // worker 39.9 → 38.7 KB against its 40 KB budget, docs/performance.md), for a build twice as slow (6 → 12 s).
    // The output is ES modules, so terser may mangle top-level names too (module), and three
    // compress passes find a little more: 0.3 KB off the service worker (docs/performance.md).
    build: { minify: 'terser', terserOptions: { module: true, compress: { passes: 3 } } },
    resolve: {
      alias: {
        react: 'preact/compat',
        'react-dom': 'preact/compat',
        // @webext-core/messaging's errors need only their name, message and fields carried: see the shim.
        'serialize-error': fileURLToPath(new URL('./utils/serialize-error-shim.ts', import.meta.url)),
      },
    },
  }),
});

/**
 * Preact's renderer carries one dynamic `innerHTML` sink, used only for `dangerouslySetInnerHTML`,
 * which this extension never uses. AMO's linter (`web-ext lint`) rightly warns about that sink, so
 * the build replaces it with an error: no code path in any build can write HTML from a value. The
 * build fails if preact's code changes shape, so an upgrade cannot silently bring the sink back.
 */
function withoutDangerousInnerHtml(): Plugin {
  const SINK = /(\b[A-Za-z_$][\w$]*)\.innerHTML=([A-Za-z_$][\w$]*)\.__html/g;
  return {
    name: 'infisical-connect:without-dangerous-inner-html',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.module\.js$/.test(id.split('?')[0]!)) return null;
      const sinks = code.match(SINK)?.length ?? 0;
      if (sinks !== 1) this.error(`expected exactly one dangerouslySetInnerHTML sink in preact, found ${sinks}`);
      return { code: code.replace(SINK, '(()=>{throw new Error("dangerouslySetInnerHTML is not supported in this extension")})()'), map: null };
    },
  };
}
