import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";

const WARN_MS = 60_000;
const ACTIVITY = ["pointerdown", "keydown", "wheel", "touchstart"] as const;

/**
 * Signs the provider out after `minutes` without a click or key press on
 * the page, warning a minute ahead with a countdown and a way to stay.
 */
export function IdleSignOut({ minutes, onSignOut }: { minutes: number; onSignOut(): void }) {
  const secondsLeft = useSignal<number | null>(null);
  const stay = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const idleMs = minutes * 60_000;
    let last = Date.now();
    const active = () => {
      last = Date.now();
    };
    const tick = () => {
      const left = idleMs - (Date.now() - last);
      if (left <= 0) return onSignOut();
      secondsLeft.value = left <= WARN_MS ? Math.ceil(left / 1000) : null;
    };
    for (const type of ACTIVITY) addEventListener(type, active, { capture: true, passive: true });
    const timer = setInterval(tick, 1000);
    return () => {
      clearInterval(timer);
      for (const type of ACTIVITY) removeEventListener(type, active, { capture: true });
    };
  }, [minutes]);
  const warning = secondsLeft.value !== null;
  useEffect(() => {
    if (warning) stay.current?.focus();
  }, [warning]);
  if (!warning) return null;
  return (
    <div class="idle-warning banner" role="alertdialog" aria-labelledby="idle-title" aria-describedby="idle-body">
      <h2 id="idle-title">Still there?</h2>
      <p id="idle-body">
        For privacy, you will be signed out in {secondsLeft.value} seconds and the conversations on this page will be erased.
      </p>
      <button type="button" ref={stay} onClick={() => (secondsLeft.value = null)}>
        Stay signed in
      </button>
    </div>
  );
}
