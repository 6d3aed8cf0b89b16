import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startSandbox, type Sandbox } from './server.ts';

/** One sandbox for a test file, handed to `use` once started, closed after the file, reset before each test. */
export function sandboxPerFile(use: (sandbox: Sandbox) => void): void {
  let started: Sandbox | undefined;
  beforeAll(async () => {
    started = await startSandbox();
    use(started);
  });
  afterAll(() => started?.close());
  beforeEach(() => started?.reset());
}
