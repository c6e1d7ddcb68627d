import { formatBytes } from "../../protocol/files";
import type { FileActions } from "../files/sharing";
import type { SharedFile, TransferView } from "../room/files";

const percent = (sent: number, size: number) => `${Math.floor((sent / size) * 100)}%`;
const names = (list: string[]) => (list.length <= 2 ? list.join(" and ") : `${list.slice(0, -1).join(", ")} and ${list.at(-1)}`);

/**
 * A file in the chat log: its name and size; for recipients a download
 * (saved by the browser, never shown in the page) and its progress; for the
 * sender the hashing, who it waits for, each transfer's progress and who
 * has saved it. Either side can cancel while it moves.
 */
export function FileLine({ file, self, actions }: { file: SharedFile; self: boolean; actions: FileActions }) {
  const { name, size } = file.info;
  return (
    <div class="file">
      <span class="file-name">
        <bdi>{name}</bdi> · {formatBytes(size)}
      </span>
      {self ? <Sending file={file} actions={actions} /> : <Receiving file={file} actions={actions} />}
    </div>
  );
}

function Sending({ file, actions }: { file: SharedFile; actions: FileActions }) {
  const { name, size } = file.info;
  const state = file.state.value;
  const cancel = (
    <button type="button" class="secondary small" onClick={() => actions.cancel(file)}>
      Cancel <span class="sr-only">{name}</span>
    </button>
  );
  if (state === "gone") {
    return (
      <span class="failed" role="alert">
        {file.id.value ? "No longer offered: " : "Not sent: "}
        {file.reason.value}
      </span>
    );
  }
  if (state === "preparing") {
    return (
      <span class="file-status">
        <progress aria-label={`Preparing ${name}`} max={1} value={file.prepared.value} /> Preparing… {cancel}
      </span>
    );
  }
  if (state === "offering") return <span class="file-status">Offering…</span>;
  const moving = file.moving;
  const saved = file.savedBy;
  const stopped = lastStopped(file.transfers.value);
  const waiting = file.waitingFor.value;
  return (
    <span class="file-status">
      {moving.map((t) => (
        <span key={t.t} class="transfer">
          <progress aria-label={`Sending ${name}`} max={size} value={t.sent} /> {percent(t.sent, size)} to <bdi>{t.to.name}</bdi>
        </span>
      ))}
      {saved.length > 0 && <span class="saved">Saved by {names(saved)}</span>}
      {stopped && moving.length === 0 && <span class="stopped">Stopped: {stopped.reason}</span>}
      {waiting.length > 0 && (
        <span class="waiting" role="status">
          Waiting for {names(waiting)} to connect. The file stays on offer while this page is open.
        </span>
      )}
      {moving.length === 0 && saved.length === 0 && waiting.length === 0 && <span class="offered">Offered. Keep this page open until it is downloaded.</span>}
      {cancel}
    </span>
  );
}

function Receiving({ file, actions }: { file: SharedFile; actions: FileActions }) {
  const { name, size } = file.info;
  if (file.state.value === "gone") return <span class="stopped">No longer offered: {file.reason.value}</span>;
  if (file.state.value !== "offered") return null;
  const mine = file.transfers.value;
  const moving = mine.find((t) => t.state === "moving");
  if (moving) {
    return (
      <span class="file-status">
        <progress aria-label={`Receiving ${name}`} max={size} value={moving.sent} /> {percent(moving.sent, size)}{" "}
        <button type="button" class="secondary small" onClick={() => actions.cancel(file)}>
          Cancel download <span class="sr-only">of {name}</span>
        </button>
      </span>
    );
  }
  const stopped = lastStopped(mine);
  return (
    <span class="file-status">
      <button type="button" class="small" onClick={() => actions.download(file)}>
        Download <span class="sr-only">{name}</span>
      </button>
      {mine.at(-1)?.state === "saved" && <span class="saved">Saved to your downloads.</span>}
      {stopped && mine.at(-1) === stopped && <span class="stopped">Stopped: {stopped.reason}</span>}
    </span>
  );
}

function lastStopped(transfers: TransferView[]): TransferView | undefined {
  const last = transfers.at(-1);
  return last?.state === "stopped" ? last : undefined;
}
