import { defineConfig } from "vitest/config";

// The room logic is plain TypeScript: it runs in Node, without workerd.
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts"],
    environment: "node",
  },
});
