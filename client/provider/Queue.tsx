import { now, waitingFor } from "./clock";
import type { StaffConversation } from "../room/staff-conversation";
import { MenuButton } from "../ui/MenuButton";
import { Unread } from "../ui/Unread";
import type { ProviderModel } from "./model";

export function Queue({ model }: { model: ProviderModel }) {
  const patients = model.queue.value;
  return (
    <section class="card queue" aria-labelledby="queue-heading">
      <h2 id="queue-heading">Patient queue</h2>
      {patients.length === 0 ? (
        <p class="empty">No one is waiting. Patients appear here when they check in.</p>
      ) : (
        <ul class="entries" aria-label="Patient queue">
          {patients.map((conv) => (
            <QueueItem key={conv.id} model={model} conv={conv} />
          ))}
        </ul>
      )}
    </section>
  );
}

function QueueItem({ model, conv }: { model: ProviderModel; conv: StaffConversation }) {
  const patient = conv.patient.value!;
  const away = conv.status.value === "away";
  const session = conv.session.value;
  const chatting = model.colleaguesViewing(conv);
  const items = [{ label: "Chat", onSelect: () => model.openChat(conv.id) }];
  if (model.isHost) items.push({ label: "Start text-only session", onSelect: () => model.startSession(conv.id) });
  return (
    <li class={model.view.value?.c === conv.id ? "entry current" : "entry"}>
      <bdi class="name">{patient.name}</bdi>
      <span class="detail">
        {session ? (session.scheduled ? "Scheduled text-only session" : "In a text-only session") : waitingFor(patient.checkedInAt, now.value)}
        {away && " · connection lost, may come back"}
        {chatting.length > 0 && ` · ${chatting.join(" and ")} ${chatting.length === 1 ? "is" : "are"} chatting`}
      </span>
      <Unread count={conv.unread.value} />
      <MenuButton label={`More actions for ${patient.name}`} items={items}>
        ⋯
      </MenuButton>
    </li>
  );
}
