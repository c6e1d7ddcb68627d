import type { Signal } from "@preact/signals";
import { Component, createRef } from "preact";

export interface ConfirmRequest {
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm(): void;
}

type Props = { request: Signal<ConfirmRequest | null> };

/** A modal confirmation on the native <dialog>: focus is trapped, Escape cancels. */
export class ConfirmDialog extends Component<Props> {
  private readonly ref = createRef<HTMLDialogElement>();

  /** Opens the dialog when there is a request, closes it when there is none. */
  componentDidUpdate(): void {
    const dialog = this.ref.current!;
    const current = !!this.props.request.value;
    if (current !== dialog.open) current ? dialog.showModal() : dialog.close();
  }

  componentDidMount(): void {
    this.componentDidUpdate();
  }

  render({ request }: Props) {
    const current = request.value;
    return (
      <dialog ref={this.ref} aria-labelledby="confirm-title" aria-describedby="confirm-body" onClose={() => (request.value = null)}>
        {current && (
          <form method="dialog">
            <h2 id="confirm-title">{current.title}</h2>
            <p id="confirm-body">{current.body}</p>
            <div class="actions">
              <button value="cancel" class="secondary" autoFocus>
                Cancel
              </button>
              <button
                value="confirm"
                class="danger"
                onClick={() => {
                  const run = current.onConfirm;
                  request.value = null;
                  run();
                }}
              >
                {current.confirmLabel}
              </button>
            </div>
          </form>
        )}
      </dialog>
    );
  }
}
