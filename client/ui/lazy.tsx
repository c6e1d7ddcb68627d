import { signal } from "@preact/signals-core";
import type { ComponentType } from "preact";

/**
 * Views whose code a page loads the first time it draws one of them: code
 * most visits never run (a group session's people). A view
 * draws nothing until its code has arrived; a failed load (a dropped
 * network) is tried again on the next draw.
 */
export function lazyViews<Code>(load: () => Promise<Code>) {
  const code = signal<Code | null>(null);
  let loading: Promise<void> | undefined;
  return <P extends object>(pick: (code: Code) => ComponentType<P>) =>
    (props: P) => {
      const loaded = code.value;
      if (loaded) {
        const View = pick(loaded);
        return <View {...props} />;
      }
      loading ??= load().then(
        (done) => void (code.value = done),
        () => void (loading = undefined),
      );
      return null;
    };
}
