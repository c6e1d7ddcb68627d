import type { Participant, Role } from "../../protocol/wire";
import type { Conversation } from "../room/conversation";

export const ROLE_LABEL: Record<Role, string> = { host: "Host", staff: "Staff", patient: "Patient", guest: "Guest" };

/**
 * Everyone in a session now, with their role and whether they are
 * connected. A host's page has "Remove <name>" beside the patient and each
 * guest (`onRemove`).
 */
export function Participants({ conv, self, onRemove }: { conv: Conversation; self?: string; onRemove?(who: Participant): void }) {
  const roster = conv.roster.value;
  if (!roster) return null;
  const online = new Set(conv.online.value);
  const present = roster.members.filter((m) => !m.gone);
  return (
    <div class="participants">
      <h3>Participants</h3>
      <ul aria-label="Participants">
        {present.map((m) => (
          <li key={m.id}>
            <span class={online.has(m.id) ? "presence online" : "presence"} />
            <bdi class="name">{m.name}</bdi>
            {m.id === self && " (you)"} <span class="role">{ROLE_LABEL[m.role]}</span>
            {!online.has(m.id) && <span class="detail"> · not connected</span>}
            {onRemove && m.id !== self && (m.role === "guest" || m.role === "patient") && (
              <button type="button" class="link small" aria-label={`Remove ${m.name}`} onClick={() => onRemove(m)}>
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * SecureVideo's offline rule, without the storage: whoever in the session
 * has no page open is named, and the sender knows they will get the
 * messages only if they come back while the session lasts.
 */
export function OfflineNotice({ conv, self }: { conv: Conversation; self?: string }) {
  const roster = conv.roster.value;
  if (!roster) return null;
  const online = new Set(conv.online.value);
  const away = roster.members.filter((m) => !m.gone && m.id !== self && !online.has(m.id));
  if (away.length === 0) return null;
  return (
    <div class="offline" role="status">
      {away.map((m) => (
        <p key={m.id}>
          <bdi>{m.name}</bdi> is not connected. They will get your messages if they come back while this session lasts.
        </p>
      ))}
    </div>
  );
}
