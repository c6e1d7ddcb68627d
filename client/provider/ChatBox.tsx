import { computed } from "@preact/signals";
import { useMemo } from "preact/hooks";
import { ChatLog, type LogLine } from "../ui/ChatLog";
import { Composer } from "../ui/Composer";
import { RetentionNotice } from "../ui/RetentionNotice";
import type { ProviderModel } from "./model";
import type { Thread } from "./thread";

export function ChatBox({ model }: { model: ProviderModel }) {
  const t = model.viewed.value;
  const v = model.view.value;
  if (!t || !v) return null;
  return <Box key={t.id} model={model} thread={t} minimized={v.minimized} />;
}

function Box({ model, thread: t, minimized }: { model: ProviderModel; thread: Thread; minimized: boolean }) {
  const lines = useMemo(
    () =>
      computed<LogLine[]>(() => [
        ...t.messages.value.map((m) => ({
          key: `m${m.seq}`,
          from: { name: m.name, self: m.from === "provider" },
          text: m.broadcast ? `${m.text} (sent to everyone waiting)` : m.text,
          time: m.time,
        })),
        ...t.pending.value.map((p) => ({ key: p.cid, from: { name: "", self: true }, text: p.text, pending: !p.failed, failed: p.failed })),
      ]),
    [t],
  );
  const left = t.status.value === "left";
  const reason = left ? `${t.name} has left the waiting room. You can no longer send messages to them.` : undefined;

  return (
    <section class={minimized ? "card chatbox minimized" : "card chatbox"} aria-label={`Chat with ${t.name}`}>
      <header>
        <h2>Chat with {t.name}</h2>
        <div class="tools">
          <button type="button" class="secondary" onClick={model.download} disabled={t.messages.value.length === 0}>
            Download chat
          </button>
          {minimized ? (
            <button type="button" class="icon" aria-label="Restore chat" onClick={model.restore}>
              ▴
            </button>
          ) : (
            <button type="button" class="icon" aria-label="Minimize chat" onClick={model.minimize}>
              ▾
            </button>
          )}
          <button type="button" class="icon" aria-label="Close chat" onClick={model.closeChat}>
            ✕
          </button>
        </div>
      </header>
      {!minimized && (
        <>
          {left && (
            <p class="left-notice" role="status">
              {reason}
            </p>
          )}
          <ChatLog lines={lines.value} label={`Messages with ${t.name}`} empty={`No messages yet. Write to ${t.name} below.`} />
          <Composer onSend={model.send} disabledReason={reason} />
          <RetentionNotice />
        </>
      )}
    </section>
  );
}
