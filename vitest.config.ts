import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Two projects: fast unit tests (fake browser, injected fakes) and end-to-end tests that drive the
// built extension in real browsers against the local sandbox (tests/sandbox).
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}', 'tests/sandbox/**/*.test.ts'],
          environment: 'node',
          // IndexedDB, where the extension keeps a remembered identity secret (utils/storage/secret.ts):
          // Node has none, WXT's fake browser neither.
          setupFiles: ['fake-indexeddb/auto'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          // Names this run in the marker of the policy files it writes (tests/e2e/support/policy-files.ts).
          env: { ICADO_TEST_RUN: String(process.pid) },
        },
      },
    ],
  },
});
