import { Component, createRef } from "preact";
import { fileCode, loadFileCode } from "../files/loader";
import type { FileActions } from "../files/sharing";
import { clockTime } from "../lib/time";
import type { SharedFile } from "../room/files";
import { Linkified } from "./Linkified";

export interface LogLine {
  key: string;
  /** Absent for notices from the room itself. */
  from?: { name: string; self: boolean };
  text: string;
  time?: number;
  pending?: boolean;
  failed?: string;
  /** A deleted message's place: "Message deleted". */
  deleted?: true;
  /** This person may delete this message. */
  onDelete?(): void;
  /** A file offered in the chat (with `from`); `text` is then empty. */
  file?: SharedFile;
}

/** A file's line in the log, under its sender's name. */
export function fileLine(file: SharedFile, self: string | undefined): LogLine {
  return { key: `f${file.by}:${file.cid}`, from: { name: file.name, self: file.by === self }, text: "", time: file.time, file };
}

/** A file's line, drawn by the file code: its name only until that code has loaded. */
function FileSlot({ file, self, actions }: { file: SharedFile; self: boolean; actions: FileActions }) {
  const code = fileCode.value;
  if (code) return <code.FileLine file={file} self={self} actions={actions} />;
  // Loads once however often it is drawn (a failed load is tried on the next draw).
  loadFileCode().catch(() => {});
  return (
    <div class="file">
      <span class="file-name">
        <bdi>{file.info.name}</bdi>
      </span>
    </div>
  );
}

interface ChatLogProps {
  lines: LogLine[];
  label: string;
  empty: string;
  files?: FileActions;
}

/**
 * The conversation as role="log", so screen readers announce new lines.
 * A class, not hooks: the patient's page needs no hooks code at all.
 */
export class ChatLog extends Component<ChatLogProps> {
  private readonly ref = createRef<HTMLDivElement>();

  /** The log opens scrolled to its end, and scrolls there on each new line. */
  componentDidMount(): void {
    const el = this.ref.current!;
    el.scrollTop = el.scrollHeight;
  }

  componentDidUpdate(before: ChatLogProps): void {
    if (before.lines.length !== this.props.lines.length) this.componentDidMount();
  }

  render({ lines, label, empty, files }: ChatLogProps) {
    return (
      <div class="log" role="log" aria-label={label} ref={this.ref} tabIndex={0}>
        <ol>
        {lines.length === 0 && <li class="empty">{empty}</li>}
        {lines.map((line) =>
          line.from ? (
            <li key={line.key} class={line.from.self ? "msg self" : "msg"}>
              <span class="meta">
                <bdi class="who">{line.from.self ? "You" : line.from.name}</bdi>
                {line.time !== undefined && <time dateTime={new Date(line.time).toISOString()}> · {clockTime(line.time)}</time>}
                {line.pending && <span class="pending"> · sending…</span>}
              </span>
              {line.file && files ? (
                <FileSlot file={line.file} self={line.from.self} actions={files} />
              ) : (
                // dir="auto" isolates the text: whatever it holds, it cannot reorder what is around it.
                <span class="text" dir="auto">
                  <Linkified text={line.text} />
                </span>
              )}
              {line.failed && (
                <span class="failed" role="alert">
                  Not sent: {line.failed}
                </span>
              )}
              {line.onDelete && (
                <button type="button" class="link small delete" aria-label="Delete message" onClick={line.onDelete}>
                  Delete
                </button>
              )}
            </li>
          ) : line.deleted ? (
            <li key={line.key} class="notice deleted">
              Message deleted
            </li>
          ) : (
            <li key={line.key} class="notice">
              {line.text}
            </li>
          ),
        )}
        </ol>
      </div>
    );
  }
}
