import type { Signal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";

export interface ConfirmRequest {
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm(): void;
}

/** A modal confirmation on the native <dialog>: focus is trapped, Escape cancels. */
export function ConfirmDialog({ request }: { request: Signal<ConfirmRequest | null> }) {
  const ref = useRef<HTMLDialogElement>(null);
  const current = request.value;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (current && !dialog.open) dialog.showModal();
    if (!current && dialog.open) dialog.close();
  }, [current]);
  return (
    <dialog ref={ref} aria-labelledby="confirm-title" aria-describedby="confirm-body" onClose={() => (request.value = null)}>
      {current && (
        <form method="dialog">
          <h2 id="confirm-title">{current.title}</h2>
          <p id="confirm-body">{current.body}</p>
          <div class="actions">
            <button value="cancel" class="secondary" autoFocus>
              Cancel
            </button>
            <button
              value="confirm"
              class="danger"
              onClick={() => {
                const run = current.onConfirm;
                request.value = null;
                run();
              }}
            >
              {current.confirmLabel}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
