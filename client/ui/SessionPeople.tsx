import { lazyViews } from "./lazy";

/** Who is in a session and who is not connected: only pages in a session draw it, so they load it when they are. */
const whenLoaded = lazyViews(() => import("./Participants"));

/** The session's participant list. */
export const Participants = whenLoaded((loaded) => loaded.Participants, "The list of people in this session could not be loaded.");
/** Who in the session is not connected. */
export const OfflineNotice = whenLoaded((loaded) => loaded.OfflineNotice);
