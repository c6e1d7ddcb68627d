import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { LIMITS } from "../../protocol/constants";
import type { ProviderModel } from "./model";

/** A host's "New group": a modal dialog with the group's name and the colleagues in it. */
export function NewGroup({ model }: { model: ProviderModel }) {
  const open = useSignal(false);
  const name = useSignal("");
  const chosen = useSignal<string[]>([]);
  const error = useSignal<string | null>(null);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (open.value && dialog && !dialog.open) dialog.showModal();
    if (!open.value && dialog?.open) dialog.close();
  }, [open.value]);
  const colleagues = model.colleagues.value;
  const submit = (e: Event) => {
    e.preventDefault();
    const title = name.value.trim();
    // Only colleagues still signed in: someone may have left while the dialog was open.
    const members = chosen.value.filter((id) => colleagues.some((m) => m.id === id));
    if (title.length === 0) return void (error.value = "Give the group a name.");
    if (members.length === 0) return void (error.value = "Choose at least one colleague.");
    if (!model.createGroup(title, members)) return void (error.value = "Not connected. Try again when the connection is back.");
    name.value = "";
    chosen.value = [];
    open.value = false;
  };
  return (
    <>
      <button type="button" class="secondary small" onClick={() => ((open.value = true), (error.value = null))}>
        New group
      </button>
      <dialog ref={ref} class="new-group" aria-labelledby="new-group-title" onClose={() => (open.value = false)}>
        {open.value && (
          <form onSubmit={submit} noValidate>
            <h2 id="new-group-title">New group</h2>
            <label for="group-name">Group name</label>
            <input id="group-name" autoComplete="off" maxLength={LIMITS.nameMax} value={name.value} onInput={(e) => (name.value = e.currentTarget.value)} />
            <fieldset>
              <legend>Members</legend>
              {colleagues.length === 0 && <p class="empty">No colleagues are signed in.</p>}
              {colleagues.map((m) => (
                <label key={m.id} class="check">
                  <input
                    type="checkbox"
                    checked={chosen.value.includes(m.id)}
                    onChange={(e) => (chosen.value = e.currentTarget.checked ? [...chosen.value, m.id] : chosen.value.filter((id) => id !== m.id))}
                  />
                  <bdi>{m.name}</bdi>
                </label>
              ))}
            </fieldset>
            {error.value && (
              <p class="error" role="alert">
                {error.value}
              </p>
            )}
            <div class="actions">
              <button type="button" class="secondary" onClick={() => (open.value = false)}>
                Cancel
              </button>
              <button type="submit">Create group</button>
            </div>
          </form>
        )}
      </dialog>
    </>
  );
}
