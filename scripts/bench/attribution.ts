/**
 * Which modules the bytes of each entrypoint come from. The shipped build has no source maps, so
 * build-with-maps.ts makes a second, otherwise identical build with hidden maps; every mapped
 * segment of minified code is charged to its original source file, grouped by npm package (or by
 * project file). Minified bytes, before gzip: shares, not exact gzip costs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { measureBuild } from './sizes';

export interface ModuleShare {
  module: string;
  bytes: number;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Source-map "mappings": per generated line, the segments' [generated column, source index]. */
function decodeMappings(mappings: string): [number, number | null][][] {
  const lines: [number, number | null][][] = [];
  let source = 0;
  for (const line of mappings.split(';')) {
    const segs: [number, number | null][] = [];
    let col = 0;
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      col += fields[0] ?? 0;
      if (fields.length >= 4) source += fields[1]!;
      segs.push([col, fields.length >= 4 ? source : null]);
    }
    lines.push(segs);
  }
  return lines;
}

/** `…/node_modules/@scope/pkg/x.js` → `@scope/pkg`; project files keep their path. */
export function moduleGroup(source: string): string {
  const nm = source.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = source.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  return source;
}

/** Minified bytes per module group in one built file (needs `<file>.map`). */
export function fileShares(file: string, groupOf: (source: string) => string = moduleGroup): Map<string, number> {
  const shares = new Map<string, number>();
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[]; mappings: string };
  const code = readFileSync(file, 'utf8').split('\n');
  // Sources are relative to the map's folder; name project files from the project root.
  const sources = map.sources.map((s) => path.relative(process.cwd(), path.resolve(path.dirname(file), s)));
  const add = (group: string, n: number) => shares.set(group, (shares.get(group) ?? 0) + n);
  decodeMappings(map.mappings).forEach((segs, lineNo) => {
    // Columns count UTF-16 units; close enough to bytes for minified, mostly ASCII code.
    const text = code[lineNo] ?? '';
    add('(bundler glue)', segs[0]?.[0] ?? text.length);
    segs.forEach(([col, src], i) => {
      const end = segs[i + 1]?.[0] ?? text.length;
      add(src === null ? '(bundler glue)' : groupOf(sources[src] ?? '?'), Math.max(0, end - col));
    });
  });
  return shares;
}

/** Per entrypoint of the map build: its module groups, largest first. */
export function attributeBuild(mapRoot: string): Record<string, ModuleShare[]> {
  const out: Record<string, ModuleShare[]> = {};
  if (!existsSync(path.join(mapRoot, 'manifest.json'))) return out;
  for (const entry of measureBuild(mapRoot)) {
    const total = new Map<string, number>();
    for (const f of entry.files.filter((x) => x.endsWith('.js'))) {
      const abs = path.join(mapRoot, f);
      if (!existsSync(`${abs}.map`)) continue;
      for (const [k, v] of fileShares(abs)) total.set(k, (total.get(k) ?? 0) + v);
    }
    out[entry.name] = [...total].map(([module, bytes]) => ({ module, bytes })).sort((a, b) => b.bytes - a.bytes);
  }
  return out;
}
