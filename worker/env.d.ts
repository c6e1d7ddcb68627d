interface Env {
  ROOMS: DurableObjectNamespace<import("./room-do").RoomDO>;
  ASSETS: Fetcher;
  /** Signs every token. Set with `wrangler secret put SESSION_SECRET`. */
  SESSION_SECRET: string;
  LEAVE_GRACE_SECONDS?: string;
  ROOM_CAPACITY?: string;
  /** Comma-separated origins allowed to open sockets besides our own. */
  ALLOWED_ORIGINS?: string;
}
