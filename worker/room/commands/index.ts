import type { Commands } from "../context";
import { broadcast, ping, send } from "./chat";
import { newCode, withdrawCode } from "./codes";
import { deleteMessage } from "./delete";
import { close, downloaded, view } from "./erase";
import { leaveSession, remove } from "./participants";
import { fileCancel, fileOffer } from "./files";
import { endSession, leave, startSession } from "./patients";
import { createGroup, deleteGroup, direct, leaveGroup, prefs, presence } from "./staff-chat";
import { typing } from "./typing";

/**
 * What the room does with each frame, by type, once a socket has said
 * hello. `hello` again is a mistake; `seed` and `pong` are handled by the
 * room's recovery and its sockets.
 */
export const commands: Commands = {
  hello: (_ctx, socket) => socket.error("bad_frame", "Already connected."),
  pong: () => {},
  seed: () => {},
  ping,
  send,
  broadcast,
  view,
  close,
  downloaded,
  leave,
  start_session: startSession,
  end_session: endSession,
  direct,
  create_group: createGroup,
  leave_group: leaveGroup,
  delete_group: deleteGroup,
  prefs,
  presence,
  typing,
  delete: deleteMessage,
  new_code: newCode,
  withdraw_code: withdrawCode,
  remove,
  leave_session: leaveSession,
  file_offer: fileOffer,
  file_cancel: fileCancel,
};
