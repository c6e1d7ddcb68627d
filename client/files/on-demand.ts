/**
 * The code for files that pages load the first time they need it (a file
 * is attached, dropped or shown in a chat): most chats never carry one.
 */
export { FileLine } from "../ui/FileLine";
export { createFileSharing } from "./sharing";
export { RoomFiles } from "../room/files";
