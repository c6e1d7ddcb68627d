import { now, waitingFor } from "../lib/time";
import { MenuButton } from "../ui/MenuButton";
import type { ProviderModel } from "./model";
import type { Thread } from "./thread";

export function Queue({ model }: { model: ProviderModel }) {
  const patients = model.queue.value;
  return (
    <section class="card queue" aria-labelledby="queue-heading">
      <h2 id="queue-heading">Patient queue</h2>
      {patients.length === 0 ? (
        <p class="empty">No one is waiting. Patients appear here when they check in.</p>
      ) : (
        <ul aria-label="Patient queue">
          {patients.map((t) => (
            <QueueItem key={t.id} model={model} thread={t} />
          ))}
        </ul>
      )}
    </section>
  );
}

function QueueItem({ model, thread: t }: { model: ProviderModel; thread: Thread }) {
  const unread = t.unread.value;
  const away = t.status.value === "away";
  const session = t.session.value;
  return (
    <li class={model.view.value?.id === t.id ? "patient current" : "patient"}>
      <bdi class="name">{t.name}</bdi>
      <span class="waited">
        {session ? (session.scheduled ? "Scheduled text-only session" : "In a text-only session") : waitingFor(t.checkedInAt, now.value)}
        {away && " · connection lost, may come back"}
      </span>
      {unread > 0 && (
        <span class="badge">
          <span aria-hidden="true">{unread}</span>
          <span class="sr-only">
            {unread} unread {unread === 1 ? "message" : "messages"}
          </span>
        </span>
      )}
      <MenuButton label={`More actions for ${t.name}`} items={[
          { label: "Chat", onSelect: () => model.openChat(t.id) },
          { label: "Start text-only session", onSelect: () => model.startSession(t.id) },
        ]}>
        ⋯
      </MenuButton>
    </li>
  );
}
