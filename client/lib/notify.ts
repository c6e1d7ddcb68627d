let audio: AudioContext | undefined;

/** A short two-tone chime, synthesised so no audio file is needed. */
export function chime(): void {
  try {
    audio ??= new AudioContext();
    const t = audio.currentTime;
    for (const [i, freq] of [660, 880].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.15, t + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.12 + 0.2);
      osc.connect(gain).connect(audio.destination);
      osc.start(t + i * 0.12);
      osc.stop(t + i * 0.12 + 0.22);
    }
  } catch {
    // No audio available: the visual counter still rises.
  }
}

/** Asks for permission; resolves to whether desktop notifications may be shown. */
export async function enableDesktop(): Promise<boolean> {
  if (!("Notification" in window)) return false;
  if (Notification.permission === "granted") return true;
  if (Notification.permission === "denied") return false;
  return (await Notification.requestPermission()) === "granted";
}

/**
 * A desktop notification that names the sender only: message text would be
 * readable on a locked screen or a shared monitor.
 */
export function desktopNotify(title: string): void {
  if (!("Notification" in window) || Notification.permission !== "granted" || document.hasFocus()) return;
  try {
    new Notification(title, { tag: "queue-chat", body: "Open the dashboard to read it." });
  } catch {
    // Some browsers only allow notifications from a service worker.
  }
}
