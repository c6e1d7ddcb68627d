import { useEffect, useState } from "preact/hooks";
import { normalizeCode } from "../../protocol/access-code";
import { displayNameProblem } from "../../protocol/name-rules";
import { api } from "../lib/http";
import { RetentionNotice } from "../ui/RetentionNotice";

/**
 * Joining a group session with the access code a clinic gave (nine digits;
 * spaces and dashes are fine) and one's name. An invite link carries the
 * code in its fragment, so it asks for the name only; the code leaves the
 * address bar at once.
 */
export function CodeJoin() {
  const [fromLink, setFromLink] = useState(() => normalizeCode(new URLSearchParams(location.hash.slice(1)).get("code") ?? ""));
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = "Join a session";
    if (location.hash) history.replaceState(null, "", location.pathname);
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const typed = fromLink ?? code;
    if (!normalizeCode(typed)) return setError("An access code has 9 digits. Check it with your clinic.");
    const problem = displayNameProblem(name);
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    const res = await api<{ room: string }>("/api/join", { method: "POST", body: JSON.stringify({ code: typed, name: name.trim() }) });
    setBusy(false);
    if (res.ok) return location.assign(`/r/${res.data.room}`);
    setError(res.error);
    // A code from a link that did not work can be typed instead.
    if (res.status === 404) setFromLink(null);
  };

  return (
    <main class="page narrow">
      <h1>Join a session</h1>
      <form class="card" noValidate onSubmit={submit}>
        {fromLink ? (
          <p>Your invite link has the access code. Enter your name to join the session.</p>
        ) : (
          <>
            <p>Enter the access code your clinic gave you, and your name.</p>
            <label for="join-code">Access code</label>
            <input
              id="join-code"
              inputMode="numeric"
              autoComplete="off"
              placeholder="123 456 789"
              maxLength={40}
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </>
        )}
        <label for="join-name">Your name</label>
        <input id="join-name" autoComplete="off" maxLength={80} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Joining…" : "Join"}
        </button>
        <RetentionNotice />
      </form>
    </main>
  );
}
