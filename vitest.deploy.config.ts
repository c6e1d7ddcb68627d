import { defineConfig } from "vitest/config";

// Checks what a deploy would upload, from the build in dist/ (`npm run build` first).
export default defineConfig({
  test: {
    include: ["test/deploy/**/*.test.ts"],
    environment: "node",
    hookTimeout: 90_000,
  },
});
