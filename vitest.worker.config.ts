import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Integration tests inside workerd, against the real worker and RoomDO. They
// use /api routes only, so they need no built client in dist/.
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // These win over wrangler.toml [vars] and any local .dev.vars.
        bindings: {
          SESSION_SECRET: "test-secret-not-used-anywhere-else-4c1f0e",
          // Short, so the grace-period test waits one second, not sixty.
          LEAVE_GRACE_SECONDS: "1",
        },
      },
    }),
  ],
  test: {
    include: ["test/worker/**/*.test.ts"],
    // Each test waits for events, never for time; a busy machine only makes them slower.
    testTimeout: 20_000,
    // The room's audit lines (ids only) would drown the report; no-storage.test.ts checks them.
    onConsoleLog: (log) => !log.startsWith('{"audit"'),
  },
});
