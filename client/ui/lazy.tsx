import { signal } from "@preact/signals-core";
import type { ComponentType } from "preact";

/**
 * Views whose code a page loads the first time it draws one of them: code
 * most visits never run (a group session's people). A view draws nothing
 * until its code has arrived. If the code cannot be fetched (a dropped
 * network, or a new version of the app was put live since the page was
 * opened), a view given `unavailable` says so with a "Try again" button
 * instead of staying silently empty; the others draw nothing.
 */
export function lazyViews<Code>(load: () => Promise<Code>) {
  const code = signal<Code | null>(null);
  const failed = signal(false);
  let loading: Promise<void> | undefined;
  const fetchCode = () =>
    (loading ??= load().then(
      (done) => void (code.value = done),
      () => {
        loading = undefined;
        failed.value = true;
      },
    ));
  return <P extends object>(pick: (code: Code) => ComponentType<P>, unavailable?: string) =>
    (props: P) => {
      const loaded = code.value;
      if (loaded) {
        const View = pick(loaded);
        return <View {...props} />;
      }
      if (!failed.value) {
        void fetchCode();
        return null;
      }
      return unavailable ? (
        <p class="hint" role="status">
          {unavailable}{" "}
          <button type="button" class="link small" onClick={() => (failed.value = false)}>
            Try again
          </button>
        </p>
      ) : null;
    };
}
