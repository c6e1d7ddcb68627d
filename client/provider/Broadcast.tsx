import { useSignal } from "@preact/signals";
import { LIMITS } from "../../protocol/constants";
import type { ProviderModel } from "./model";

/** One message to everyone waiting, e.g. "Running about 10 minutes late". */
export function Broadcast({ model }: { model: ProviderModel }) {
  const text = useSignal("");
  const nobody = !model.queue.value.some((c) => c.kind.value === "waiting");
  return (
    <form
      class="card broadcast"
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.value.trim() || nobody) return;
        if (model.broadcast(text.value)) text.value = "";
      }}
    >
      <label for="broadcast-text">Message everyone waiting</label>
      <input
        id="broadcast-text"
        maxLength={LIMITS.textChars}
        placeholder="Running about 10 minutes late"
        value={text.value}
        onInput={(e) => (text.value = e.currentTarget.value)}
      />
      <button type="submit" disabled={nobody}>
        Send to everyone waiting
      </button>
      {model.broadcastStatus.value && <p role="status">{model.broadcastStatus.value}</p>}
    </form>
  );
}
