import { effect } from "@preact/signals-core";
import { render, type VNode } from "preact";

/**
 * Renders a page, and renders it again whenever a signal it read changes.
 * The patient's page is small enough to render whole, which spares it
 * Preact's signals adapter (the dashboard has it: it renders only the parts
 * that read a change). As with the adapter, a change is drawn after the
 * task that made it, once however many signals changed. Component state
 * (typing, say) stays in hooks, so it re-renders that component only.
 */
export function mount(view: () => VNode, root: HTMLElement): void {
  let stop: (() => void) | undefined;
  let queued = false;
  const draw = () => {
    queued = false;
    stop?.();
    let drawn = false;
    // The first run draws and so reads, and watches, every signal the page shows.
    stop = effect(() => {
      if (!drawn) {
        drawn = true;
        render(view(), root);
      } else if (!queued) {
        queued = true;
        queueMicrotask(draw);
      }
    });
  };
  draw();
}
