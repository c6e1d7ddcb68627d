interface Env {
  ROOMS: DurableObjectNamespace<import("./room-do").RoomDO>;
  /** Access codes of every room's sessions, in memory only. */
  DIRECTORY: DurableObjectNamespace<import("./directory-do").DirectoryDO>;
  ASSETS: Fetcher;
  /** Signs every token and what pages hand back after a restart. Set with `wrangler secret put SESSION_SECRET`. */
  SESSION_SECRET: string;
  LEAVE_GRACE_SECONDS?: string;
  ROOM_CAPACITY?: string;
  /** Check-ins one client address may make per minute, per room. */
  CHECKINS_PER_MINUTE?: string;
  /** The provider's page signs out after this long without use. */
  PROVIDER_IDLE_MINUTES?: string;
  /** Comma-separated origins allowed to open sockets besides our own. */
  ALLOWED_ORIGINS?: string;
  /** Only in the benchmark's harness: a bare Durable Object relay, the platform floor (bench/peers/bare-room.ts). */
  BENCH_BARE?: DurableObjectNamespace;
}
