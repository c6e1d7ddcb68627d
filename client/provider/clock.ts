import { signal } from "@preact/signals-core";

/** Server-corrected "now", ticking every 15 s for waiting times (only the dashboard shows them). */
export const now = signal(Date.now());
let skew = 0;
let ticking = false;

export function syncClock(serverNow: number): void {
  skew = serverNow - Date.now();
  now.value = Date.now() + skew;
  if (!ticking) {
    ticking = true;
    setInterval(() => (now.value = Date.now() + skew), 15000);
  }
}

export function waitingFor(since: number, at: number): string {
  const minutes = Math.floor(Math.max(0, at - since) / 60000);
  if (minutes < 1) return "Waiting less than a minute";
  if (minutes < 60) return `Waiting ${minutes} min`;
  return `Waiting ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
