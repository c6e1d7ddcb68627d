import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { formatCode, inviteLink } from "../../protocol/access-code";
import { clockTime } from "../lib/time";
import type { StaffConversation } from "../room/staff-conversation";
import type { ProviderModel } from "./model";

/**
 * A host's "Add participant": the session's invite link (the code rides in
 * its fragment) and its 9-digit access code, to read out or send; a new
 * code replaces the old one, and a code can be withdrawn.
 */
export function AddParticipant({ model, conv }: { model: ProviderModel; conv: StaffConversation }) {
  const ref = useRef<HTMLDialogElement>(null);
  const copied = useSignal(false);
  const open = model.adding.value === conv.id;
  useEffect(() => {
    const dialog = ref.current;
    if (open && dialog && !dialog.open) dialog.showModal();
    if (!open && dialog?.open) dialog.close();
  }, [open]);
  const code = conv.code.value;
  const link = code ? inviteLink(location.origin, code.code) : "";
  const close = () => {
    model.adding.value = null;
    copied.value = false;
  };
  return (
    <dialog ref={ref} class="add-participant" aria-labelledby="add-participant-title" onClose={close}>
      {open && (
        <div>
          <h2 id="add-participant-title">Add participant</h2>
          <p>Send the invite link, or read out the access code: the person enters it with their name at {location.origin}/join.</p>
          {code ? (
            <>
              <label for="invite-link">Invite link</label>
              <input id="invite-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
              <button
                type="button"
                class="secondary"
                onClick={async () => {
                  await navigator.clipboard?.writeText(link).catch(() => undefined);
                  copied.value = true;
                }}
              >
                Copy invite link
              </button>
              {copied.value && <span role="status"> Copied.</span>}
              <p>
                Access code: <strong class="code">{formatCode(code.code)}</strong>
              </p>
              <p class="hint">It works until {clockTime(code.until)}, until the session ends, or until you withdraw it or make a new one.</p>
            </>
          ) : (
            <p role="status">No access code now. Make one to let someone join.</p>
          )}
          <div class="actions">
            <button type="button" class="secondary" onClick={() => ((copied.value = false), model.newCode(conv.id))}>
              New code
            </button>
            {code && (
              <button type="button" class="secondary" onClick={() => model.withdrawCode(conv.id)}>
                Withdraw code
              </button>
            )}
            <button type="button" onClick={close}>
              Done
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
