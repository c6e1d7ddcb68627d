import { app } from "./app";

export { RoomDO } from "./room-do";
export default app satisfies ExportedHandler<Env>;
