import { dropFiles } from "../files/drop";
import { ChatLog } from "../ui/ChatLog";
import { Composer } from "../ui/Composer";
// Loaded with the page: after a deploy an open page can no longer fetch code
// from the build it came from, and a confirmation that never opens would
// leave "Delete" or "Leave session" doing nothing.
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { ConnectionBanner } from "../ui/ConnectionBanner";
import { OfflineNotice, Participants } from "../ui/SessionPeople";
import { RetentionNotice } from "../ui/RetentionNotice";
import { Typing } from "../ui/SessionNotices";
import type { PatientModel } from "./model";

export function PatientPage({ model }: { model: PatientModel }) {
  const phase = model.phase.value;
  const guest = model.me.value?.role === "guest";
  return (
    <main class="page narrow">
      <h1>{guest ? "Text-only session" : "Waiting room"}</h1>
      {phase === "loading" && <p role="status">Loading…</p>}
      {phase === "checkin" && <CheckIn model={model} />}
      {phase === "waiting" && <Waiting model={model} />}
      {phase === "left" && !model.leftSession.value && (
        <section>
          <p role="status">You left the waiting room.</p>
          <button type="button" onClick={model.checkInAgain}>
            Check in again
          </button>
        </section>
      )}
      {phase === "left" && model.leftSession.value && (
        <section class="card">
          <p role="status">You left the session.</p>
          <Composer onSend={() => {}} disabledReason="You cannot send messages in this session." />
        </section>
      )}
      {phase === "removed" && (
        <section class="card">
          <p role="status">You were removed from this session.</p>
          <Composer onSend={() => {}} disabledReason="You cannot send messages in this session." />
        </section>
      )}
      {phase === "ended" && (
        <section class="card">
          <h2>This session has ended</h2>
          <p role="status">This session has ended. Its messages were erased for everyone. You can close this page.</p>
          <Composer onSend={() => {}} disabledReason="You can no longer send messages in this session." />
        </section>
      )}
      {phase === "full" && <p role="alert">The waiting room could not take you right now. Please reload the page to try again.</p>}
      {model.confirm.value && <ConfirmDialog request={model.confirm} />}
    </main>
  );
}

function CheckIn({ model }: { model: PatientModel }) {
  const error = model.checkInError.value;
  return (
    <form
      class="card"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        // The field keeps what is typed itself: the form has no other.
        void model.checkIn(e.currentTarget.querySelector("input")!.value);
      }}
    >
      <p>Please check in so your provider knows you are here.</p>
      <label for="checkin-name">Your name</label>
      <input
        id="checkin-name"
        autoComplete="off"
        maxLength={80}
        aria-invalid={!!error}
        aria-describedby={error ? "checkin-error" : undefined}
      />
      {error && (
        <p id="checkin-error" class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={model.busy.value}>
        {model.busy.value ? "Checking in…" : "Check in"}
      </button>
      <RetentionNotice />
    </form>
  );
}

function Waiting({ model }: { model: PatientModel }) {
  const me = model.me.value!;
  const guest = me.role === "guest";
  const inSession = guest || !!model.session.value;
  const conv = model.conv.value;
  const self = model.self.value;
  // One chat section whichever phase, so a half-typed message and the focus
  // survive the provider starting a session.
  return (
    <>
      {!inSession && (
        <section class="card" aria-labelledby="waiting-heading">
          <h2 id="waiting-heading">You are checked in, <bdi>{me.name}</bdi></h2>
          <p role="status">
            You are waiting. {model.staffOnline.value ? "Your provider is online and will be with you shortly." : "Your provider is not online yet. They will see your messages when they are."}
          </p>
          <button type="button" class="secondary" onClick={() => void model.leave()}>
            Leave waiting room
          </button>
        </section>
      )}
      <section class="chat card" aria-label={inSession ? "Text-only session" : "Chat with your provider"} {...dropFiles(model.attachFiles)}>
        <div class="card-head">
          <h2>{inSession ? "Text-only session with your provider" : "Chat with your provider"}</h2>
          {inSession && (
            <button type="button" class="secondary small" onClick={model.leaveSession}>
              Leave session
            </button>
          )}
        </div>
        {inSession && <p class="hint">There is no audio or video: this chat is the call.</p>}
        <ConnectionBanner status={model.status.value} />
        {inSession && conv && <Participants conv={conv} self={self} />}
        <ChatLog
          lines={model.lines.value}
          label="Messages"
          empty={guest ? "You joined the session. Messages from now on show here." : inSession ? "The session has started. Write to your provider here." : "No messages yet. You can write to your provider here."}
          files={model.fileActions}
        />
        {conv && <Typing conv={conv} />}
        {inSession && conv && <OfflineNotice conv={conv} self={self} />}
        <Composer onSend={model.send} onType={model.typing} onAttach={model.attachFiles} />
        <RetentionNotice />
      </section>
    </>
  );
}
