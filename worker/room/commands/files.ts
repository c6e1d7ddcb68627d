import type { Command } from "../context";

/** Files: a page offers one, its sender withdraws it, a recipient stops their download (see files/files.ts). */
export const fileOffer: Command<"file_offer"> = (ctx, socket, msg) => ctx.files.offer(ctx, socket, msg);
export const fileCancel: Command<"file_cancel"> = (ctx, socket, msg) => ctx.files.cancel(ctx, socket, msg);
