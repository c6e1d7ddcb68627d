import { signal } from "@preact/signals-core";
import type { ComponentType } from "preact";

type Code = typeof import("./Participants");

/** Who is in a session and who is not connected: only pages in a session draw it, so they load it when they are. */
const code = signal<Code | null>(null);
let loading: Promise<void> | undefined;

function load(): void {
  loading ??= import("./Participants").then(
    (loaded) => void (code.value = loaded),
    () => void (loading = undefined),
  );
}

/** A view of the session's people, drawn once its code has loaded (nothing until then). */
function whenLoaded<P extends object>(pick: (code: Code) => ComponentType<P>) {
  return (props: P) => {
    const loaded = code.value;
    if (!loaded) {
      load();
      return null;
    }
    const View = pick(loaded);
    return <View {...props} />;
  };
}

/** The session's participant list. */
export const Participants = whenLoaded((loaded) => loaded.Participants);
/** Who in the session is not connected. */
export const OfflineNotice = whenLoaded((loaded) => loaded.OfflineNotice);
