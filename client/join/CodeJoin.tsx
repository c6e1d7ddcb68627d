import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { useLocation } from "preact-iso";
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
  const fromLink = useSignal(normalizeCode(new URLSearchParams(location.hash.slice(1)).get("code") ?? ""));
  const code = useSignal("");
  const name = useSignal("");
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);
  const { route } = useLocation();
  useEffect(() => {
    document.title = "Join a session";
    if (location.hash) history.replaceState(null, "", location.pathname);
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const typed = fromLink.value ?? code.value;
    if (!normalizeCode(typed)) return void (error.value = "An access code has 9 digits. Check it with your clinic.");
    const problem = displayNameProblem(name.value);
    if (problem) return void (error.value = problem);
    busy.value = true;
    error.value = null;
    const res = await api<{ room: string }>("/api/join", { method: "POST", body: JSON.stringify({ code: typed, name: name.value.trim() }) });
    busy.value = false;
    if (res.ok) return route(`/r/${res.data.room}`);
    error.value = res.error;
    // A code from a link that did not work can be typed instead.
    if (res.status === 404) fromLink.value = null;
  };

  return (
    <main class="page narrow">
      <h1>Join a session</h1>
      <form class="card" noValidate onSubmit={submit}>
        {fromLink.value ? (
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
              value={code.value}
              onInput={(e) => (code.value = e.currentTarget.value)}
            />
          </>
        )}
        <label for="join-name">Your name</label>
        <input id="join-name" autoComplete="off" maxLength={80} value={name.value} onInput={(e) => (name.value = e.currentTarget.value)} />
        {error.value && (
          <p class="error" role="alert">
            {error.value}
          </p>
        )}
        <button type="submit" disabled={busy.value}>
          {busy.value ? "Joining…" : "Join"}
        </button>
        <RetentionNotice />
      </form>
    </main>
  );
}
