import { useSignal } from "@preact/signals";
import { api } from "../lib/http";

interface Created {
  link: string;
  start: number;
  end: number;
}

/** A `datetime-local` value for now, rounded up to the next 5 minutes. */
function soon(): string {
  const d = new Date(Math.ceil(Date.now() / 300_000) * 300_000);
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

/**
 * Scheduled text-only sessions: a signed link with a time window. Nothing is
 * kept on the server until the patient opens it.
 */
export function Schedule() {
  const start = useSignal(soon());
  const minutes = useSignal("30");
  const label = useSignal("");
  /** The label is the provider's own note: it never leaves this page, so it is not in the link. */
  const created = useSignal<(Created & { label: string }) | null>(null);
  const error = useSignal<string | null>(null);
  const copied = useSignal(false);

  return (
    <form
      class="card schedule"
      onSubmit={async (e) => {
        e.preventDefault();
        error.value = null;
        copied.value = false;
        const at = new Date(start.value).getTime();
        if (Number.isNaN(at)) return void (error.value = "Choose a start date and time.");
        const res = await api<Created>("/api/provider/invites", { method: "POST", body: JSON.stringify({ start: at, minutes: Number(minutes.value) }) });
        if (res.ok) created.value = { ...res.data, label: label.value.trim() };
        else error.value = res.error;
      }}
    >
      <h2>Schedule a text-only session</h2>
      <label for="schedule-start">Start</label>
      <input id="schedule-start" type="datetime-local" value={start.value} onInput={(e) => (start.value = e.currentTarget.value)} />
      <label for="schedule-minutes">Duration</label>
      <select id="schedule-minutes" value={minutes.value} onChange={(e) => (minutes.value = e.currentTarget.value)}>
        {[15, 30, 45, 60, 90].map((m) => (
          <option value={String(m)}>{m} minutes</option>
        ))}
      </select>
      <label for="schedule-label">Patient label (optional)</label>
      <input id="schedule-label" maxLength={60} value={label.value} onInput={(e) => (label.value = e.currentTarget.value)} />
      <button type="submit">Create link</button>
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
      {created.value && (
        <div class="created" role="status">
          <p>
            Link for {new Date(created.value.start).toLocaleString([], { dateStyle: "medium", timeStyle: "short" })} to{" "}
            {new Date(created.value.end).toLocaleTimeString([], { timeStyle: "short" })}
            {created.value.label && <> (<bdi>{created.value.label}</bdi>)</>}. Send it to the patient privately.
          </p>
          <label for="schedule-link">Session link</label>
          <input id="schedule-link" readOnly value={created.value.link} onFocus={(e) => e.currentTarget.select()} />
          <button
            type="button"
            class="secondary"
            onClick={async () => {
              await navigator.clipboard?.writeText(created.value!.link).catch(() => undefined);
              copied.value = true;
            }}
          >
            {copied.value ? "Copied" : "Copy link"}
          </button>
        </div>
      )}
    </form>
  );
}
