import { Component } from "preact";
import { LIMITS } from "../../protocol/constants";

interface ComposerProps {
  onSend(text: string): void;
  onType?(): void;
  disabledReason?: string;
  label?: string;
  /** Files picked to send in this chat; without it, no "Attach file" control. */
  onAttach?(files: File[]): void;
}

/** Each box's id for its reason (what `useId` gives, without the hooks code). */
let boxes = 0;

/**
 * The message box: Enter sends, Shift+Enter starts a new line. When sending
 * is not possible the box is disabled and the reason is shown beside it
 * (and read out with the box, as its description).
 */
export class Composer extends Component<ComposerProps, { text: string }> {
  // Component state, not a signal: typing re-renders this box only, on every page.
  state = { text: "" };
  private readonly reasonId = `composer-reason-${++boxes}`;

  render({ onSend, onType, disabledReason, label = "Message", onAttach }: ComposerProps, { text }: { text: string }) {
    const reasonId = this.reasonId;
    const tooLong = text.length > LIMITS.textChars;
    const submit = (e?: Event) => {
      e?.preventDefault();
      if (disabledReason || tooLong || !text.trim()) return;
      onSend(text);
      this.setState({ text: "" });
    };
    return (
      <form class="composer" onSubmit={submit}>
        {disabledReason && (
          <p id={reasonId} class="disabled-reason" role="status">
            {disabledReason}
          </p>
        )}
        {/* autocomplete off: the browser's session restore keeps no copy of what is typed. */}
        <textarea
          aria-label={label}
          autoComplete="off"
          rows={2}
          value={text}
          disabled={!!disabledReason}
          aria-describedby={disabledReason ? reasonId : undefined}
          aria-invalid={tooLong}
          onInput={(e) => {
            const value = e.currentTarget.value;
            this.setState({ text: value });
            if (value.trim()) onType?.();
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) submit(e);
          }}
        />
        {tooLong && (
          <p class="error" role="alert">
            A message can be at most {LIMITS.textChars} characters ({text.length} now).
          </p>
        )}
        <div class="composer-actions">
          <button type="submit" disabled={!!disabledReason || tooLong}>
            Send
          </button>
          {onAttach && (
            <input
              type="file"
              multiple
              aria-label="Attach file"
              disabled={!!disabledReason}
              onChange={(e) => {
                const input = e.currentTarget;
                onAttach([...(input.files ?? [])]);
                // The page keeps its own handle; the input is ready for the next file.
                input.value = "";
              }}
            />
          )}
        </div>
      </form>
    );
  }
}
