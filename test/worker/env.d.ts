// Types for `env` and `exports` from "cloudflare:workers" in tests: the
// worker's own Env and main module (what `wrangler types` would generate).
type WorkerEnv = Env;

declare namespace Cloudflare {
  interface Env extends WorkerEnv {}
  interface GlobalProps {
    mainModule: typeof import("../../worker/index");
    durableNamespaces: "RoomDO" | "DirectoryDO";
  }
}
