import { effect, signal } from "@preact/signals";

/**
 * Notification preferences: the only thing the dashboard keeps in browser
 * storage. Never message text, names or tokens.
 */
const KEY = "queue-chat:notify";

function load(): { sound: boolean; desktop: boolean } {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "{}") as { sound?: unknown; desktop?: unknown };
    return { sound: saved.sound !== false, desktop: saved.desktop === true };
  } catch {
    return { sound: true, desktop: false };
  }
}

export function createPrefs() {
  const initial = load();
  const sound = signal(initial.sound);
  const desktop = signal(initial.desktop);
  effect(() => {
    try {
      localStorage.setItem(KEY, JSON.stringify({ sound: sound.value, desktop: desktop.value }));
    } catch {
      // Storage may be unavailable (private mode); preferences then last the page.
    }
  });
  return { sound, desktop };
}
export type Prefs = ReturnType<typeof createPrefs>;
