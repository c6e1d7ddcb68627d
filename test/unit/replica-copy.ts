import { merge } from "../../client/lib/replica";
import type { ChatMessage, ServerMessage } from "../../worker/protocol";

/**
 * A page's copy of one conversation after receiving `frames`, kept as the
 * client keeps it: merged by seq (client/lib/replica.ts), emptied by a
 * resync, cut by an erase. `held` is what the page held before them.
 */
export function copyOf(frames: readonly ServerMessage[], patient: string, held: readonly ChatMessage[] = []): ChatMessage[] {
  let list = [...held];
  let erased = 0;
  for (const f of frames) {
    if (f.type === "resync" && f.patient === patient) list = [];
    else if (f.type === "erased" && f.patient === patient) {
      erased = Math.max(erased, f.upto);
      list = list.filter((m) => m.seq > f.upto);
    } else if (f.type === "msg" && f.patient === patient && f.seq > erased) list = merge(list, f) ?? list;
  }
  return list;
}
