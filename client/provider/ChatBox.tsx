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
        ...t.timeline().map((item): LogLine =>
          item.kind === "event"
            ? { key: `e${item.event.time}${item.event.text}`, text: item.event.text, time: item.event.time }
            : {
                key: `m${item.msg.seq}`,
                from: { name: item.msg.name, self: item.msg.from === "provider" },
                text: item.msg.broadcast ? `${item.msg.text} (sent to everyone waiting)` : item.msg.text,
                time: item.msg.time,
              },
        ),
        ...t.pending.value.map((p) => ({ key: p.cid, from: { name: "", self: true }, text: p.text, pending: !p.failed, failed: p.failed })),
      ]),
    [t],
  );
  const status = t.status.value;
  const session = t.session.value;
  const reason =
    status === "ended"
      ? "This session has ended. Its messages were erased for everyone."
      : status === "left"
        ? `${t.name} has left the waiting room. You can no longer send messages to them.`
        : undefined;

  return (
    <section class={minimized ? "card chatbox minimized" : "card chatbox"} aria-label={`Chat with ${t.name}`}>
      <header>
        <h2>
          Chat with <bdi>{t.name}</bdi>
          {session && <span class="subtitle">{session.endedAt ? "Text-only session ended" : "Text-only session"}</span>}
        </h2>
        <div class="tools">
          {session && !session.endedAt && (
            <button type="button" class="danger" onClick={model.endSession}>
              End session
            </button>
          )}
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
          {reason && (
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
