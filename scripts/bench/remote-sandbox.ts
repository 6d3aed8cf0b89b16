/**
 * The sandbox in its own process for the bench: real servers do not share an event loop with the
 * browser driver, and puppeteer's CDP traffic in the same loop would delay the sandbox's answers
 * by a few ms each, which the flow's wall time would charge to the extension.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { httpsRequest } from '../../tests/sandbox/client';
import type { SandboxState, RequestLog } from '../../tests/sandbox/state';
import { sandboxAdmin, type SandboxAdmin } from '../../tests/support/sandbox-seed';

export interface RemoteSandbox {
  port: number;
  caPath: string;
  /** The sandbox's request log so far. */
  requests(): Promise<RequestLog[]>;
  /** Everything the fakes hold (connections, PATs, the authorize log, the request log). */
  state(): Promise<SandboxState>;
  setLatency(ms: number): Promise<void>;
  /** Deep-merged into the sandbox's config (tests/sandbox/config.ts `mergeConfig`). */
  setConfig(patch: object): Promise<void>;
  /** The seeding of tests/sandbox/seed.ts, over the admin API. */
  admin: SandboxAdmin;
  close(): Promise<void>;
}

export async function startRemoteSandbox(): Promise<RemoteSandbox> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/sandbox/main.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  // The sandbox goes with the bench, however the bench ends.
  const onExit = () => child.kill('SIGTERM');
  process.once('exit', onExit);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      onExit();
      process.exit(130);
    });
  }
  try {
    const banner = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('Press Ctrl-C')) resolve(out);
      });
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`sandbox exited (${code}) before listening:\n${out}`)));
    });
    const port = Number(/listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(banner)?.[1]);
    const caPath = /CA certificate: (\S+)/.exec(banner)?.[1] ?? '';
    if (!port || !caPath) throw new Error(`sandbox banner not understood:\n${banner}`);
    const caPem = readFileSync(caPath, 'utf8');
    const admin = async (path: string, body?: object) => {
      const res = await httpsRequest({ port, caPem }, `https://localhost${path}`, body ? { method: 'POST', body } : {});
      if (res.status !== 200) throw new Error(`sandbox admin ${path}: ${res.status} ${res.text}`);
      return res.json() as Record<string, unknown>;
    };
    const state = async () => (await admin('/__sandbox/state'))['state'] as SandboxState;
    return {
      port,
      caPath,
      requests: async () => (await state()).requests,
      state,
      setLatency: async (ms) => {
        await admin('/__sandbox/latency', { ms });
      },
      setConfig: async (patch) => {
        await admin('/__sandbox/config', patch);
      },
      admin: sandboxAdmin({ port, caPem }),
      close: async () => {
        await stop();
        process.off('exit', onExit);
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
