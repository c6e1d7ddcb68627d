import { app } from "./app";

export { DirectoryDO } from "./directory-do";
export { RoomDO } from "./room-do";
export default app satisfies ExportedHandler<Env>;
