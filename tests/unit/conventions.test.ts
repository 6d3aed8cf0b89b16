import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The project's own rules, checked on its source. */
const root = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    return statSync(path.join(root, rel)).isDirectory() ? filesUnder(rel) : /\.(ts|tsx)$/.test(name) ? [rel] : [];
  });
}

function protocolKeys(name: string): string[] {
  const source = read('utils/messaging.ts');
  const body = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1] ?? '';
  return [...body.matchAll(/^\s*'([a-z.]+)'\(/gm)].map((m) => m[1]!);
}

/** Each `onMessage('type', …)` handler's source, up to the next registration. */
function handlers(file: string): Map<string, string> {
  const source = read(file);
  const found = new Map<string, string>();
  const marks = [...source.matchAll(/onMessage\('([a-z.]+)'/g)];
  for (const [i, m] of marks.entries()) found.set(m[1]!, source.slice(m.index, marks[i + 1]?.index ?? source.length));
  return found;
}

describe('messages', () => {
  it('every background message has exactly one handler, and it checks the sender first', () => {
    const registered = handlers('entrypoints/background/handlers.ts');
    for (const type of protocolKeys('BackgroundProtocol')) {
      expect(registered.has(type), type).toBe(true);
      expect(registered.get(type), type).toMatch(/^[\s\S]*?\{\s*assertFrom\w+\(sender/);
    }
  });

  it('the content script’s messages check that the sender is that org’s page (the sync messages: that project’s)', () => {
    const connect = handlers('entrypoints/background/page-handlers.ts');
    const sync = handlers('entrypoints/background/page-sync-handlers.ts');
    expect([...connect.keys(), ...sync.keys()].sort()).toEqual(protocolKeys('PageProtocol').sort());
    for (const source of connect.values()) expect(source).toMatch(/assertFromOrgPage\(sender, org\)/);
    for (const source of sync.values()) expect(source).toMatch(/assertFromProjectPage\(sender, org, project\)/);
    expect(read('entrypoints/background/page-sync-handlers.ts')).toMatch(/function assertFromProjectPage[\s\S]*?assertFromOrgPage\(sender, org\)/);
  });

  it('the MSAL context answers only its own worker', () => {
    const registered = handlers('entrypoints/offscreen/main.ts');
    expect([...registered.keys()].sort()).toEqual(protocolKeys('MsalProtocol').sort());
    for (const source of registered.values()) expect(source).toMatch(/assertFromWorker\(sender\)/);
  });
});

describe('bundles (docs/performance.md budgets)', () => {
  const pageFiles = [...filesUnder('entrypoints/popup'), ...filesUnder('entrypoints/azure-devops.content'), ...filesUnder('components')];

  it('pages and the content script never import the error catalogue (the background sends sentences)', () => {
    for (const file of [...pageFiles, ...filesUnder('entrypoints/options')]) expect(read(file), file).not.toMatch(/errors\/(describe-error|catalogue)/);
  });

  it('the popup and the content script read storage without @wxt-dev/storage, and import zod only as zod/mini', () => {
    for (const file of pageFiles) {
      // utils/storage/view.ts is their read path; the other catalogue files define WXT items.
      expect(read(file), file).not.toMatch(/from '@\/utils\/storage\/(?!view'|settings'|keys')|wxt\/utils\/storage/);
      expect(read(file), file).not.toMatch(/from 'zod'/);
    }
  });

  it('the extension uses zod/mini only; full zod stays in tests', () => {
    for (const file of [...filesUnder('utils'), ...filesUnder('entrypoints'), ...filesUnder('components')]) {
      expect(read(file), file).not.toMatch(/from 'zod'/);
    }
  });

  it('extension code never logs: nothing that could hold a token reaches a console (docs/reliability.md)', () => {
    for (const file of [...filesUnder('utils'), ...filesUnder('entrypoints'), ...filesUnder('components')]) {
      expect(read(file), file).not.toMatch(/\bconsole\.|loggerCallback|piiLoggingEnabled/);
    }
  });
});

/** Code the service worker alone runs: its entrypoint and utils/worker/. */
const workerOnly = (file: string) => file.startsWith('entrypoints/background/') || file.startsWith('utils/worker/');

describe('the background folder', () => {
  it('holds the wiring and the message handlers only; what the worker runs lives in utils/worker/', () => {
    const names = readdirSync(path.join(root, 'entrypoints/background')).sort();
    expect(names).toEqual(['handlers.ts', 'index.ts', 'page-handlers.ts', 'page-sync-handlers.ts', 'senders.ts', 'services.ts', 'setup-check.ts']);
  });

  it('utils/worker/ is imported by the worker alone (and tests), never by a page or the content script', () => {
    const source = [...filesUnder('utils'), ...filesUnder('entrypoints'), ...filesUnder('components')];
    const importers = source.filter((file) => /from '@\/utils\/worker\//.test(read(file)));
    expect(importers.filter((file) => !workerOnly(file))).toEqual([]);
  });
});

describe('storage', () => {
  it('web storage is MSAL’s alone: only its runner touches it (it clears it, in Firefox on the pages’ shared origin)', () => {
    const source = [...filesUnder('utils'), ...filesUnder('entrypoints'), ...filesUnder('components')];
    expect(source.filter((file) => /\b(localStorage|sessionStorage)\b/.test(read(file).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))).toEqual(['utils/microsoft/msal-runner.ts']);
  });

  it('the flows, pending PATs, connection records and set-aside records have one writer, the worker’s ledger, which keeps what it last wrote', () => {
    const source = [...filesUnder('utils'), ...filesUnder('entrypoints'), ...filesUnder('components')];
    // Their storage items, outside the file defining them; or a raw write that could touch their keys.
    const writers = source.filter(
      (file) =>
        file !== 'utils/storage/records-items.ts' &&
        /\b(flowsItem|pendingPatsItem|connectionsItem|unreadableRecordsItem)\b|storage\.(local|session)\.(set|clear|remove)\(/.test(read(file)),
    );
    expect(writers).toEqual(['utils/worker/ledger.ts']);
    // Their items migrate where they are defined: in the worker alone (utils/storage/records-items.ts).
    const definers = source.filter((file) => /storage\/records-items'/.test(read(file)));
    expect(definers.filter((file) => !workerOnly(file))).toEqual([]);
    expect(source.filter((file) => /(?<!function )\bcreateLedger\(\)/.test(read(file)))).toEqual(['entrypoints/background/index.ts']);
  });
});

describe('tests', () => {
  it('the end-to-end files and what they share import by relative path: the e2e project has no @/ alias (vitest.config.ts)', () => {
    const shared = ['tests/e2e', 'tests/support', 'tests/sandbox'].flatMap(filesUnder);
    expect(shared.filter((file) => /from '@\//.test(read(file)))).toEqual([]);
  });
});

describe('citations', () => {
  // This file names the patterns it looks for, so it is left out.
  const cited = ['utils', 'entrypoints', 'components', 'tests', 'scripts', 'build']
    .flatMap(filesUnder)
    .concat('wxt.config.ts', 'vitest.config.ts')
    .filter((f) => f !== 'tests/unit/conventions.test.ts');

  it('comments cite files of this repository: no ../shared, no bare contracts.md or browsers.md, no issue numbers', () => {
    for (const file of cited) {
      const text = read(file);
      expect(text, file).not.toMatch(/\bshared\/(reference|product|style)|\.\.\/shared\b/);
      expect(text, file).not.toMatch(/(?<![\w/])(contracts|browsers)\.md/);
      expect(text, file).not.toMatch(/\bissue #?\d+/i);
    }
  });

  it('every file of this repository a comment or doc cites exists (a move re-points its citations)', () => {
    const docs = [
      'README.md',
      ...readdirSync(path.join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    const missing: string[] = [];
    for (const file of [...cited, ...docs]) {
      for (const m of read(file).matchAll(/(?<![\w./@-])((?:utils|entrypoints|components|tests|scripts|build|docs)\/[\w./-]*\w\.(?:ts|tsx|md|sh|json|css|html))\b/g)) {
        try {
          statSync(path.join(root, m[1]!));
        } catch {
          missing.push(`${file}: ${m[1]}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('every docs/contracts.md section a comment cites exists', () => {
    const sections = new Set([...read('docs/contracts.md').matchAll(/^### ([A-D]\.\d+) /gm)].map((m) => m[1]));
    for (const file of cited) {
      for (const m of read(file).matchAll(/docs\/contracts\.md ([A-D]\.\d+)/g)) expect(sections.has(m[1]), `${file}: ${m[1]}`).toBe(true);
    }
  });
});
