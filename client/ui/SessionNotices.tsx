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
