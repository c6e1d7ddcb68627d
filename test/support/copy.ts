import { merge } from "../../client/room/replica";
import type { ChatMessage, ServerMessage } from "../../protocol/wire";

/**
 * A page's copy of one conversation after receiving `frames`, kept as the
 * client keeps it: merged by seq, emptied by a resync, cut by an erase,
 * without deleted messages (by seq, or by writer and client id); a staff
 * page's one-frame message to everyone waiting lands in every waiting
 * conversation it held. `held` is what the page held before them.
 */
export function copyOf(frames: readonly ServerMessage[], c: string, held: readonly ChatMessage[] = []): ChatMessage[] {
  let list = [...held];
  let erased = 0;
  const graves: { seq: number; from: string; cid: string }[] = [];
  const deleted = (m: ChatMessage) => graves.some((g) => g.seq === m.seq || (g.from === m.by && g.cid === m.cid));
  for (const f of frames) {
    if (f.type === "resync") list = [];
    else if (f.type === "erased" && f.c === c) {
      erased = Math.max(erased, f.upto);
      list = list.filter((m) => m.seq > f.upto);
    } else if (f.type === "deleted" && f.c === c) {
      graves.push(f);
      list = list.filter((m) => !deleted(m));
    } else if (f.type === "msg" && f.c === c && f.seq > erased && !deleted(f)) list = merge(list, f) ?? list;
    else if (f.type === "broadcast" && f.seq > erased && !deleted({ ...f, type: "msg", c })) list = merge(list, { ...f, type: "msg", c }) ?? list;
  }
  return list;
}
