import { computed } from "@preact/signals";
import { useMemo } from "preact/hooks";
import type { StaffConversation } from "../room/staff-conversation";
import { dropFiles } from "../files/drop";
import { linesOf } from "../room/log-lines";
import { ChatLog, type LogLine } from "../ui/ChatLog";
import { Composer } from "../ui/Composer";
import { OfflineNotice, Participants } from "../ui/SessionPeople";
import { RetentionNotice } from "../ui/RetentionNotice";
import { Typing } from "../ui/SessionNotices";
import { AddParticipant } from "./AddParticipant";
import type { ProviderModel } from "./model";

/** The chat box in view: the same box for a patient's chat, a colleague and a staff group. */
export function ChatBox({ model }: { model: ProviderModel }) {
  const conv = model.viewed.value;
  const v = model.view.value;
  if (!conv || !v) return null;
  return <Box key={conv.id} model={model} conv={conv} minimized={v.minimized} />;
}

function Box({ model, conv, minimized }: { model: ProviderModel; conv: StaffConversation; minimized: boolean }) {
  const me = model.session.id;
  const lines = useMemo(
    () =>
      computed<LogLine[]>(() => [
        ...linesOf(conv, {
          self: me,
          text: (msg) => (msg.all ? `${msg.text} (sent to everyone waiting)` : msg.text),
          mayDelete: (msg) => model.mayDelete(conv, msg),
          onDelete: (msg) => model.deleteMessage(conv, msg),
        }),
        ...conv.pending.value.map((p) => ({ key: p.cid, from: { name: "", self: true }, text: p.text, pending: !p.failed, failed: p.failed })),
      ]),
    [conv],
  );
  const title = model.title(conv);
  const status = conv.status.value;
  const session = conv.session.value;
  const meta = conv.meta.value;
  const chatting = conv.staffOnly ? [] : model.colleaguesViewing(conv);
  const live = !!session && !session.endedAt && status !== "left" && status !== "ended";
  const listed = conv.roster.value?.members.some((m) => m.id === me && !m.gone) ?? false;
  const reason =
    status === "ended"
      ? "This session has ended. Its messages were erased for everyone."
      : status === "left" && conv.patient.value
        ? conv.roster.value?.members.some((m) => m.role === "patient" && m.gone === "removed")
          ? `${title} was removed from this session. You can no longer send messages to them.`
          : `${title} has left the waiting room. You can no longer send messages to them.`
        : status === "left"
          ? "You left the group. You cannot send messages to this group."
          : undefined;
  const subtitle = session
    ? session.endedAt
      ? "Text-only session ended"
      : "Text-only session"
    : meta?.kind === "group"
      ? `Staff group · ${members(meta.members.map((m) => m.name))}`
      : meta
        ? "Staff chat"
        : undefined;

  return (
    <section class={minimized ? "card chatbox minimized" : "card chatbox"} aria-label={`Chat with ${title}`} {...dropFiles(reason ? undefined : (files) => model.attachFiles(conv, files))}>
      <header>
        <h2>
          Chat with <bdi>{title}</bdi>
          {subtitle && <span class="subtitle">{subtitle}</span>}
        </h2>
        {conv.muted.value && status === "active" && <span class="muted-mark">Muted</span>}
        <div class="tools">
          {live && model.isHost && (
            <button type="button" class="secondary" onClick={() => model.addParticipant(conv.id)}>
              Add participant
            </button>
          )}
          {live && !model.isHost && listed && (
            <button type="button" class="secondary" onClick={() => model.leaveSession(conv.id)}>
              Leave session
            </button>
          )}
          {session && !session.endedAt && model.isHost && (
            <button type="button" class="danger" onClick={model.endSession}>
              End session
            </button>
          )}
          <button type="button" class="secondary" onClick={model.download} disabled={conv.messages.value.length === 0 && conv.files.value.length === 0}>
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
          {chatting.length > 0 && <p class="hint">{chatting.join(" and ")} also {chatting.length === 1 ? "has" : "have"} this chat open.</p>}
          {live && <Participants conv={conv} self={me} onRemove={model.isHost ? (who) => model.removeParticipant(conv.id, who) : undefined} />}
          <ChatLog lines={lines.value} label={`Messages with ${title}`} empty={`No messages yet. Write to ${title} below.`} files={model.fileActions} />
          <Typing conv={conv} />
          {live && <OfflineNotice conv={conv} self={me} />}
          <Composer onSend={model.send} onType={() => model.typing(conv.id)} disabledReason={reason} onAttach={(files) => model.attachFiles(conv, files)} />
          <RetentionNotice />
        </>
      )}
      {live && model.isHost && <AddParticipant model={model} conv={conv} />}
    </section>
  );
}

/** A group's members for its subtitle: a few names, then how many more. */
function members(names: string[], shown = 5): string {
  return names.length <= shown ? names.join(", ") : `${names.slice(0, shown - 1).join(", ")} and ${names.length - shown + 1} more`;
}
