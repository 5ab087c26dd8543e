import { defineConfig } from "vitest/config";

// Four projects, run together by `npm test`: only the ones whose tests talk to Azurite and the
// broker start them (test/global-setup.ts), so `npm run test:unit` (--project unit) needs neither.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      { extends: true, test: { name: "infra", include: ["test/infra/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          // The console in Debian's Chromium (test/support/browser.ts), against the app on Azurite.
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts", "test/browser/build-console.ts"],
          // A condition polled in the page (focus moved, rows re-sorted) may wait on a request and a
          // render: on a loaded machine that takes more than the default second. Playwright's own
          // waits allow 30 s; expect.poll gets 10.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
