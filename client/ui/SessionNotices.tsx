import type { Conversation } from "../room/conversation";

/** "<name> is typing…" for the others typing in this conversation now. */
export function Typing({ conv }: { conv: Conversation }) {
  const names = conv.typing.value.map((t) => t.name);
  return (
    <p class="typing" role="status">
      {names.length === 1 && (
        <>
          <bdi>{names[0]}</bdi> is typing…
        </>
      )}
      {names.length > 1 && (
        <>
          <bdi>{names.slice(0, -1).join(", ")}</bdi> and <bdi>{names.at(-1)}</bdi> are typing…
        </>
      )}
    </p>
  );
}

/**
 * SecureVideo's offline rule, without the storage: whoever in the session
 * has no page open is named, and the sender knows they will get the
 * messages only if they come back while the session lasts.
 */
export function OfflineNotice({ conv, self }: { conv: Conversation; self?: string }) {
  const roster = conv.roster.value;
  if (!roster) return null;
  const online = new Set(conv.online.value);
  const away = roster.members.filter((m) => !m.gone && m.id !== self && !online.has(m.id));
  if (away.length === 0) return null;
  return (
    <div class="offline" role="status">
      {away.map((m) => (
        <p key={m.id}>
          <bdi>{m.name}</bdi> is not connected. They will get your messages if they come back while this session lasts.
        </p>
      ))}
    </div>
  );
}
