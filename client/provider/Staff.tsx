import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { LIMITS } from "../../protocol/wire";
import type { Conversation } from "../room/conversation";
import { MenuButton, type MenuItem } from "../ui/MenuButton";
import { Unread } from "../ui/Unread";
import type { ProviderModel } from "./model";

/**
 * Colleagues signed in to the same waiting room, with presence, and the
 * staff groups this person is in: each opens a staff chat in the chat box.
 */
export function Staff({ model }: { model: ProviderModel }) {
  const colleagues = model.colleagues.value;
  const chats = model.staffChats.value;
  const directWith = (id: string) => chats.find((c) => c.kind.value === "direct" && c.meta.value?.members.some((m) => m.id === id));
  const groups = chats.filter((c) => c.kind.value === "group");
  return (
    <section class="card staff" aria-labelledby="staff-heading">
      <h2 id="staff-heading">Staff</h2>
      {colleagues.length === 0 && groups.length === 0 ? (
        <p class="empty">No colleagues are signed in to this waiting room.</p>
      ) : (
        <ul aria-label="Staff">
          {colleagues.map((m) => {
            const dm = directWith(m.id);
            return (
              <li key={m.id} class="colleague">
                <bdi class="name">{m.name}</bdi>
                <span class={`presence ${m.presence}`}>{m.presence === "online" ? "Online" : "Away"}</span>
                {m.role === "host" ? null : <span class="hint">Front desk</span>}
                {dm && <Unread count={dm.unread.value} />}
                {dm?.muted.value && <span class="muted-mark">Muted</span>}
                <button type="button" class="secondary" onClick={() => model.openDirect(m.id)}>
                  Chat with {m.name}
                </button>
                {dm && <ChatOptions model={model} conv={dm} />}
              </li>
            );
          })}
          {groups.map((g) => (
            <li key={g.id} class="colleague group">
              <bdi class="name">{model.title(g)}</bdi>
              <span class="hint">{g.status.value === "left" ? "You left" : "Group"}</span>
              <Unread count={g.unread.value} />
              {g.muted.value && <span class="muted-mark">Muted</span>}
              <button type="button" class="secondary" onClick={() => model.openChat(g.id)}>
                Chat with {model.title(g)}
              </button>
              <ChatOptions model={model} conv={g} />
            </li>
          ))}
        </ul>
      )}
      {model.isHost && <NewGroup model={model} />}
    </section>
  );
}

function ChatOptions({ model, conv }: { model: ProviderModel; conv: Conversation }) {
  const meta = conv.meta.value;
  const items: MenuItem[] = [
    conv.muted.value ? { label: "Unmute notifications", onSelect: () => model.setMuted(conv.id, false) } : { label: "Mute notifications", onSelect: () => model.setMuted(conv.id, true) },
    { label: "Archive chat", onSelect: () => model.archive(conv.id) },
  ];
  if (meta?.kind === "group" && conv.status.value === "active" && meta.owner !== model.session.id) items.push({ label: "Leave group", onSelect: () => model.leaveGroup(conv.id) });
  if (meta?.kind === "group" && meta.owner === model.session.id) items.push({ label: "Delete group", onSelect: () => model.deleteGroup(conv.id) });
  return (
    <MenuButton label={`Chat options for ${model.title(conv)}`} items={items}>
      ⋯
    </MenuButton>
  );
}

/** A host's "New group": a name and the colleagues in it. */
function NewGroup({ model }: { model: ProviderModel }) {
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
  return (
    <>
      <button type="button" onClick={() => ((open.value = true), (error.value = null))}>
        New group
      </button>
      <dialog ref={ref} aria-labelledby="new-group-title" onClose={() => (open.value = false)}>
        {open.value && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const title = name.value.trim();
              if (title.length < 1) return void (error.value = "Give the group a name.");
              if (chosen.value.length === 0) return void (error.value = "Choose at least one colleague.");
              if (!model.createGroup(title, chosen.value)) return void (error.value = "Not connected. Try again when the connection is back.");
              name.value = "";
              chosen.value = [];
              open.value = false;
            }}
          >
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
                  {m.name}
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
