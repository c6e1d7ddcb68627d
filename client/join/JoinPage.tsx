import { useEffect, useState } from "preact/hooks";
import { displayNameProblem } from "../../protocol/name-rules";
import { api } from "../lib/http";
import { RetentionNotice } from "../ui/RetentionNotice";
import { CodeJoin } from "./CodeJoin";

interface Invite {
  room: string;
  start: number;
  end: number;
  state: "early" | "open" | "expired";
  now: number;
}

const when = (ms: number) => new Date(ms).toLocaleString([], { dateStyle: "full", timeStyle: "short" });

/**
 * The join page, one for every room: a scheduled session's link
 * (`/join#t=…`), or a group session's access code, typed or brought by an
 * invite link (`/join#code=…`).
 */
export function JoinPage() {
  const token = new URLSearchParams(location.hash.slice(1)).get("t");
  return token === null ? <CodeJoin /> : <ScheduledJoin token={token} />;
}

/**
 * A scheduled text-only session link: `/join#t=<signed token>`. The token
 * stays in the fragment (never sent to a server in a URL) so a reload works.
 */
function ScheduledJoin({ token }: { token: string }) {
  // Plain component state: this page needs no signals.
  const [invite, setInvite] = useState<Invite | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);

  const inspect = async () => {
    const res = await api<Invite>("/api/invites/inspect", { method: "POST", headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok) return setError(res.error);
    setInvite(res.data);
  };
  useEffect(() => void inspect(), []);
  // An early page opens by itself when the session's window begins.
  useEffect(() => {
    if (invite?.state !== "early") return;
    const t = setTimeout(inspect, Math.min(2 ** 31 - 1, Math.max(1000, invite.start - 5 * 60_000 - invite.now + 500)));
    return () => clearTimeout(t);
  }, [invite]);

  const i = invite;
  return (
    <main class="page narrow">
      <h1>Text-only session</h1>
      {!i && !error && <p role="status">Checking your link…</p>}
      {error && <p role="alert">{error}</p>}
      {i?.state === "early" && (
        <p role="status">
          This session starts on {when(i.start)}. Please come back then; this page opens by itself when it is time.
        </p>
      )}
      {i?.state === "expired" && <p role="alert">This session link has expired. Please contact your clinic for a new one.</p>}
      {i?.state === "open" && (
        <form
          class="card"
          onSubmit={async (e) => {
            e.preventDefault();
            const n = name.trim();
            const problem = displayNameProblem(n);
            if (problem) return setError(problem);
            setBusy(true);
            const res = await api<{ room: string }>("/api/invites/join", { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify({ name: n }) });
            setBusy(false);
            if (res.ok) location.assign(`/r/${res.data.room}`);
            else setError(res.error);
          }}
        >
          <p>Your session runs until {new Date(i.end).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" })}. There is no audio or video: the chat is the call.</p>
          <label for="join-name">Your name</label>
          <input id="join-name" autoComplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <button type="submit" disabled={busy}>
            {busy ? "Joining…" : "Join session"}
          </button>
          <RetentionNotice />
        </form>
      )}
    </main>
  );
}
