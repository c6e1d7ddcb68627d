import { effect, signal } from "@preact/signals";

/**
 * Notification preferences: the only thing the dashboard keeps in browser
 * storage. Never message text, names or tokens.
 */
const KEY = "queue-chat:notify";

function load(): { sound: boolean; desktop: boolean; typing: boolean } {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "{}") as { sound?: unknown; desktop?: unknown; typing?: unknown };
    return { sound: saved.sound !== false, desktop: saved.desktop === true, typing: saved.typing !== false };
  } catch {
    return { sound: true, desktop: false, typing: true };
  }
}

export function createPrefs() {
  const initial = load();
  const sound = signal(initial.sound);
  const desktop = signal(initial.desktop);
  /** Whether the others in a conversation see "<name> is typing…" while this person types. */
  const typing = signal(initial.typing);
  effect(() => {
    try {
      localStorage.setItem(KEY, JSON.stringify({ sound: sound.value, desktop: desktop.value, typing: typing.value }));
    } catch {
      // Storage may be unavailable (private mode); preferences then last the page.
    }
  });
  return { sound, desktop, typing };
}
export type Prefs = ReturnType<typeof createPrefs>;
