import type { ConnectionStatus } from "../lib/connection";

export function ConnectionBanner({ status }: { status: ConnectionStatus }) {
  if (status === "open" || status === "closed") return null;
  return (
    <p class="banner" role="status">
      {status === "connecting" ? "Connecting…" : "Reconnecting… Your messages will be sent when the connection is back."}
    </p>
  );
}
