import { defineConfig } from 'vitest/config';

// test/ mirrors src/. Tests under the folders whose code reads or writes the database run once per
// backend: always on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set (.ci/run sets it when a
// server answers); the few pure tests among them (pricing rules, say) cost milliseconds twice. Tests
// elsewhere (the calendar library, formats, config) run once. The browser test starts its own
// servers, one per backend, in one file: one Chromium at a time on a small machine.
const DATABASE_TESTS = ['test/{http,db,jobs,e2e,domain,cli,storage}/**/*.test.ts'];
const BROWSER_TESTS = ['test/browser/**/*.test.ts'];
const backends = ['pglite', ...(process.env.TEST_DATABASE_URL ? ['postgres'] : [])];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    // PGlite (WASM) takes a moment to load a database: room for slow starts without hiding hangs.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...DATABASE_TESTS, ...BROWSER_TESTS] } },
      { extends: true, test: { name: 'browser', include: BROWSER_TESTS } },
      ...backends.map((backend) => ({
        extends: true,
        test: { name: backend, include: DATABASE_TESTS, env: { OPENEVENT_TEST_BACKEND: backend } },
      })),
    ],
  },
});
