import { signal } from "@preact/signals-core";
import type { Conversation } from "../room/conversation";
import type { SharedFile } from "../room/files";
import type { FileActions, FileSharing, FileSharingOptions } from "./sharing";

type FileCode = typeof import("./on-demand");

/** The file code once loaded: chat logs draw file lines with it, and draw them again when it arrives. */
export const fileCode = signal<FileCode | null>(null);

let loading: Promise<FileCode> | undefined;

/** Loads the file code once; a failed load (a dropped network) is tried again next time. */
export function loadFileCode(): Promise<FileCode> {
  loading ??= import("./on-demand").then(
    (code) => (fileCode.value = code),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/**
 * File sharing for a page, as `createFileSharing` makes it, with its code
 * loaded the first time it is used. What is asked before it has arrived is
 * done, in order, once it has.
 */
export function lazyFileSharing(options: FileSharingOptions) {
  let sharing: FileSharing | undefined;
  const ready = () => loadFileCode().then((code) => (sharing ??= code.createFileSharing(options)));
  const run = (use: (sharing: FileSharing) => void, failed?: () => void) => {
    if (sharing) use(sharing);
    else ready().then(use, () => failed?.());
  };
  return {
    upload(file: SharedFile, t: string): void {
      run((s) => s.upload(file, t));
    },
    /** Offers each file in `conv` (from the file input or a drop). */
    attach(conv: Conversation, picked: Iterable<File>): void {
      const files = [...picked];
      run(
        (s) => s.attach(conv, files),
        // The page could not fetch the code for files (a dropped network): say so, nothing was sent.
        () => conv.event(Date.now(), "The file could not be sent: this page could not load what it needs for files. Check the connection and attach it again."),
      );
    },
    actions: {
      download: (file) => run((s) => s.actions.download(file)),
      cancel: (file) => run((s) => s.actions.cancel(file)),
    } satisfies FileActions,
    dispose(): void {
      sharing?.dispose();
    },
  };
}
