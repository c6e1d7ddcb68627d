import type { DragEventHandler } from "preact";

type Handlers = { onDragOver?: DragEventHandler<HTMLElement>; onDragLeave?: DragEventHandler<HTMLElement>; onDrop?: DragEventHandler<HTMLElement> };

/**
 * Drag and drop onto a chat: the props for its element. Files dropped on it
 * are offered as if picked with "Attach file"; without `onFiles` (the chat
 * cannot take files now) a drop is simply refused.
 */
export function dropFiles(onFiles?: (files: File[]) => void): Handlers {
  if (!onFiles) return {};
  const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes("Files") ?? false;
  return {
    onDragOver(e) {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      e.currentTarget.classList.add("chat-drop");
    },
    onDragLeave(e) {
      e.currentTarget.classList.remove("chat-drop");
    },
    onDrop(e) {
      e.currentTarget.classList.remove("chat-drop");
      if (!carriesFiles(e)) return;
      e.preventDefault();
      onFiles([...(e.dataTransfer?.files ?? [])]);
    },
  };
}
