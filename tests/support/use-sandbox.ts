import { afterAll, beforeAll, beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startSandbox, type Sandbox } from '../sandbox/server';

/**
 * One sandbox for the file, reset (with the fake browser) before each test. Returns a getter,
 * because the sandbox exists only once `beforeAll` has run.
 */
export function useSandbox(): () => Sandbox {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox?.close());
  beforeEach(() => {
    sandbox!.reset();
    fakeBrowser.reset();
  });
  return () => sandbox!;
}
