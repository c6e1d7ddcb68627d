import type { StaffEntry } from "../../protocol/wire";
import type { StaffConversation } from "../room/staff-conversation";
import { MenuButton, type MenuItem } from "../ui/MenuButton";
import { Unread } from "../ui/Unread";
import type { ProviderModel } from "./model";
import { NewGroup } from "./NewGroup";

/**
 * Colleagues signed in to the same waiting room, with presence, and the
 * staff groups this person is in: each opens a staff chat in the chat box.
 */
export function Staff({ model }: { model: ProviderModel }) {
  const colleagues = model.colleagues.value;
  const groups = model.groups.value;
  return (
    <section class="card staff" aria-labelledby="staff-heading">
      <div class="card-head">
        <h2 id="staff-heading">Staff</h2>
        {model.isHost && <NewGroup model={model} />}
      </div>
      {colleagues.length === 0 && groups.length === 0 ? (
        <p class="empty">No colleagues are signed in to this waiting room.</p>
      ) : (
        <ul class="entries" aria-label="Staff">
          {colleagues.map((m) => (
            <Colleague key={m.id} model={model} member={m} />
          ))}
          {groups.map((g) => (
            <Entry key={g.id} model={model} name={model.title(g)} conv={g} onOpen={() => model.openChat(g.id)}>
              {g.status.value === "left" ? "You left the group" : `Group · ${g.meta.value?.members.length ?? 0} members`}
            </Entry>
          ))}
        </ul>
      )}
    </section>
  );
}

function Colleague({ model, member }: { model: ProviderModel; member: StaffEntry }) {
  return (
    <Entry model={model} name={member.name} conv={model.listedDirect(member.id)} onOpen={() => model.openDirect(member.id)}>
      <span class={`presence ${member.presence}`}>{member.presence === "online" ? "Online" : "Away"}</span>
      {member.role === "host" ? " · Host" : " · Front desk"}
    </Entry>
  );
}

/** One line of the Staff list: a name, what to know about it, and its chat. */
function Entry(props: { model: ProviderModel; name: string; conv?: StaffConversation; onOpen(): void; children: preact.ComponentChildren }) {
  const { model, name, conv } = props;
  return (
    <li class={conv && model.view.value?.c === conv.id ? "entry current" : "entry"}>
      <bdi class="name">{name}</bdi>
      {conv && <Unread count={conv.unread.value} />}
      {conv?.muted.value && conv.status.value === "active" && <span class="muted-mark">Muted</span>}
      {/* The name is in the accessible name; the visible word starts it (WCAG label in name). */}
      <button type="button" class="secondary small" aria-label={`Chat with ${name}`} onClick={props.onOpen}>
        Chat
      </button>
      {conv && <ChatOptions model={model} conv={conv} name={name} />}
      <span class="detail">{props.children}</span>
    </li>
  );
}

function ChatOptions({ model, conv, name }: { model: ProviderModel; conv: StaffConversation; name: string }) {
  const meta = conv.meta.value;
  const mine = meta?.owner === model.session.id;
  const items: MenuItem[] = [];
  if (conv.status.value === "active") {
    items.push(
      conv.muted.value ? { label: "Unmute notifications", onSelect: () => model.setMuted(conv.id, false) } : { label: "Mute notifications", onSelect: () => model.setMuted(conv.id, true) },
    );
  }
  items.push({ label: "Archive chat", onSelect: () => model.archive(conv.id) });
  if (meta?.kind === "group" && conv.status.value === "active" && !mine) items.push({ label: "Leave group", onSelect: () => model.leaveGroup(conv.id) });
  if (meta?.kind === "group" && mine) items.push({ label: "Delete group", onSelect: () => model.deleteGroup(conv.id) });
  return (
    <MenuButton label={`Chat options for ${name}`} items={items}>
      ⋯
    </MenuButton>
  );
}
