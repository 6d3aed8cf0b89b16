/**
 * listing.md of each store folder: what to paste into which field of the store's form, taken from
 * the built manifest where the store reads it from there (name, summary, permissions, AMO's data
 * collection), so the listing cannot drift from the package. The limits are checked here.
 */
import { AMO_SUMMARY, DESCRIPTION, REMOTE_CODE, SINGLE_PURPOSE, TEST_INSTRUCTIONS } from './copy';
import { justify } from './permissions';

/** The limits the stores enforce on the fields this listing fills. */
export const LIMITS = { chromeSummary: 132, amoSummary: 250, name: 45 } as const;

export interface BuiltManifest {
  name: string;
  description: string;
  version: string;
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_scripts?: { matches?: string[] }[];
  browser_specific_settings?: { gecko?: { id?: string; data_collection_permissions?: { required?: string[]; optional?: string[] } } };
}

export type Store = 'chrome-web-store' | 'edge-add-ons' | 'amo';

/** Throws when a text is over its store's limit. */
export function checkLimit(what: string, text: string, max: number): string {
  if ([...text].length > max) throw new Error(`store: ${what} is ${[...text].length} characters, the limit is ${max}`);
  return text;
}

const PRIVACY = 'docs/privacy.md (publish that file at a public address, e.g. its page in the repository, and paste the address)';

const section = (title: string, body: string) => `## ${title}\n\n${body.trim()}\n`;
const permissionList = (manifest: BuiltManifest) =>
  justify(manifest)
    .map(([p, why]) => `- \`${p}\`: ${why}`)
    .join('\n');
const files = (names: string[]) => names.map((n) => `- \`${n}\``).join('\n');

/** The Chrome Web Store's and Edge's shared part: their forms ask the same questions. */
function chromiumListing(store: 'chrome-web-store' | 'edge-add-ons', manifest: BuiltManifest, images: string[]): string {
  const summary = checkLimit('the summary (manifest description)', manifest.description, LIMITS.chromeSummary);
  const chrome = store === 'chrome-web-store';
  return [
    `# ${chrome ? 'Chrome Web Store' : 'Microsoft Edge Add-ons'}: ${manifest.name} ${manifest.version}\n`,
    section('Package', `Upload \`${images[0]}\` (no manifest \`key\`: the store assigns the id; docs/publishing.md).`),
    section('Name', checkLimit('the name', manifest.name, LIMITS.name)),
    section(chrome ? 'Summary (from the package)' : 'Short description', summary),
    section('Description', DESCRIPTION),
    section('Category', chrome ? 'Productivity › Developer Tools' : 'Developer tools'),
    section('Language', 'English'),
    section('Images', files(images.slice(1))),
    ...(chrome
      ? [
          section('Single purpose', SINGLE_PURPOSE),
          section('Permission justifications', permissionList(manifest)),
          section('Remote code', REMOTE_CODE),
          section(
            'Data usage',
            `- Collected: **Authentication information** only: the Infisical identity's client ID and secret you enter, and the Microsoft sign-in the browser performs, used solely to create the connection; the secret is sent only to the Infisical address you entered, and the minted token only to that instance.
- Not collected: personally identifiable information, health, financial and payment information, personal communications, location, web history, user activity, website content.
- Certify all three: not sold or transferred to third parties (outside the approved use), not used for purposes unrelated to the single purpose, not used to determine creditworthiness or for lending.`,
          ),
        ]
      : [section('Permissions (for the certification notes)', permissionList(manifest))]),
    section('Privacy policy', PRIVACY),
    section(chrome ? 'Test instructions' : 'Notes for certification', TEST_INSTRUCTIONS),
  ].join('\n');
}

function amoListing(manifest: BuiltManifest, images: string[], packages: { firefox: string; sources: string }): string {
  const collection = manifest.browser_specific_settings?.gecko?.data_collection_permissions;
  const required = collection?.required ?? [];
  if (!collection) throw new Error('store: the Firefox manifest has no data_collection_permissions');
  const answer =
    required.length === 1 && required[0] === 'none' && !collection.optional?.length
      ? 'This add-on does not collect or transmit data (the manifest says `data_collection_permissions: { required: ["none"] }`). Everything it sends goes to services the user signs in to or configures, for its one function (Microsoft sign-in, Azure DevOps, the user’s own Infisical instance); nothing reaches the developer.'
      : `The manifest declares required: ${required.join(', ')}; optional: ${(collection.optional ?? []).join(', ') || 'none'}. Declare the same on the form.`;
  return [
    `# addons.mozilla.org: ${manifest.name} ${manifest.version}\n`,
    section(
      'Package',
      `Upload \`${packages.firefox}\`. Source code: yes, \`${packages.sources}\` (the bundles are minified); build instructions: docs/firefox.md "Building the Firefox package from the sources zip".`,
    ),
    section('Name', checkLimit('the name', manifest.name, LIMITS.name)),
    section('Add-on id', `\`${manifest.browser_specific_settings?.gecko?.id}\` (fixed: the redirect URI depends on it)`),
    section('Summary', checkLimit('the AMO summary', AMO_SUMMARY, LIMITS.amoSummary)),
    section('Description', DESCRIPTION),
    section('Categories', 'Web Development'),
    section('Data collection', answer),
    section('Permissions (what reviewers read)', permissionList(manifest)),
    section(
      'Screenshots',
      `${files(images)}\n\nTaken from Firefox ESR with the production Firefox build (the popup's page shown at the popup's width: headless Firefox cannot photograph the toolbar popup itself).`,
    ),
    section('Privacy policy', PRIVACY),
    section('Notes to reviewer', TEST_INSTRUCTIONS),
  ].join('\n');
}

/** listing.md of `store`; `images` are the folder's file names, the package first for the Chromium stores. */
export function renderListing(store: Store, manifest: BuiltManifest, images: string[], packages?: { firefox: string; sources: string }): string {
  if (store === 'amo') {
    if (!packages) throw new Error('store: AMO needs the Firefox and sources zips');
    return amoListing(manifest, images, packages);
  }
  return chromiumListing(store, manifest, images);
}
