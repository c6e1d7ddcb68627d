import { useSignal } from "@preact/signals";
import { useEffect, useMemo } from "preact/hooks";
import { api } from "../lib/http";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { ConnectionBanner } from "../ui/ConnectionBanner";
import { Broadcast } from "./Broadcast";
import { IdleSignOut } from "./IdleSignOut";
import { ChatBox } from "./ChatBox";
import { createProviderModel, type ProviderSession } from "./model";
import { Queue } from "./Queue";
import { Schedule } from "./Schedule";
import { Settings } from "./Settings";
import { Staff } from "./Staff";

type SignIn = { state: "loading" } | { state: "in"; session: ProviderSession } | { state: "out"; message: string };

/**
 * The provider link is `/provider#k=<token>`: the token rides in the
 * fragment, which browsers never send to a server. We trade it once for an
 * HttpOnly session cookie and take it out of the address bar.
 */
async function signIn(): Promise<SignIn> {
  const token = new URLSearchParams(location.hash.slice(1)).get("k");
  if (token) {
    history.replaceState(null, "", location.pathname);
    const res = await api<ProviderSession>("/api/provider/session", { method: "POST", headers: { Authorization: `Bearer ${token}` } });
    return res.ok ? { state: "in", session: res.data } : { state: "out", message: res.error };
  }
  const res = await api<ProviderSession>("/api/provider/me");
  if (res.ok) return { state: "in", session: res.data };
  return { state: "out", message: res.status === 401 ? "Open the private provider link your clinic gave you to sign in." : res.error };
}

export function ProviderPage() {
  const auth = useSignal<SignIn>({ state: "loading" });
  useEffect(() => {
    void signIn().then((result) => (auth.value = result));
  }, []);
  const a = auth.value;
  if (a.state === "loading") return <main class="page narrow"><p role="status">Signing in…</p></main>;
  if (a.state === "out")
    return (
      <main class="page narrow">
        <h1>Provider dashboard</h1>
        <p role="alert">{a.message}</p>
      </main>
    );
  return <Dashboard session={a.session} onSignOut={(message) => (auth.value = { state: "out", message })} />;
}

function Dashboard({ session, onSignOut }: { session: ProviderSession; onSignOut(message: string): void }) {
  const model = useMemo(() => createProviderModel(session, onSignOut), [session]);
  useEffect(() => {
    // A reload erases every conversation: warn while something is not downloaded.
    const warn = (e: BeforeUnloadEvent) => {
      if (model.hasUndownloaded()) e.preventDefault();
    };
    addEventListener("beforeunload", warn);
    return () => {
      removeEventListener("beforeunload", warn);
      model.dispose();
    };
  }, [model]);
  const signOut = async (message: string) => {
    model.dispose();
    await api("/api/provider/session", { method: "DELETE" });
    onSignOut(message);
  };

  return (
    <div class="dashboard">
      <header class="topbar">
        <h1>
          Waiting room <span class="room">{session.room}</span>
        </h1>
        <span class="who">
          Signed in as <bdi>{session.name}</bdi> · {session.role === "host" ? "Host" : "Staff"}
        </span>
        <button
          type="button"
          class="secondary"
          onClick={() => void signOut("You signed out. Conversations on this page were erased.")}
        >
          Sign out
        </button>
      </header>
      <IdleSignOut
        minutes={session.idleMinutes}
        onSignOut={() => void signOut(`You were signed out after ${session.idleMinutes} minutes without activity. Conversations on this page were erased.`)}
      />
      <ConnectionBanner status={model.status.value} />
      {model.lastError.value && (
        <p class="error" role="alert">
          {model.lastError.value}
        </p>
      )}
      <main class="columns">
        <div class="side">
          <Queue model={model} />
          <Staff model={model} />
          <Broadcast model={model} />
          {model.isHost && <Schedule />}
          <Settings prefs={model.prefs} />
        </div>
        <div class="main">
          <ChatBox model={model} />
          {!model.view.value && <p class="hint">Open a patient's chat from the ⋯ menu beside their name, or a colleague's from the Staff list.</p>}
        </div>
      </main>
      <div class="sr-only" aria-live="polite">
        {model.announcement.value}
      </div>
      <ConfirmDialog request={model.confirm} />
    </div>
  );
}
