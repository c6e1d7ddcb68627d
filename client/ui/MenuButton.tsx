import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";

export interface MenuItem {
  label: string;
  onSelect(): void;
}

/**
 * A button that opens a menu (WAI-ARIA menu button pattern): arrow keys move
 * between items, Escape closes and returns focus to the button.
 */
export function MenuButton({ label, items, children }: { label: string; items: MenuItem[]; children: preact.ComponentChildren }) {
  const open = useSignal(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (!open.value) return;
    (menu.current?.querySelector("[role=menuitem]") as HTMLElement | null)?.focus();
    const away = (e: PointerEvent) => {
      if (!menu.current?.contains(e.target as Node) && e.target !== button.current) open.value = false;
    };
    document.addEventListener("pointerdown", away);
    return () => document.removeEventListener("pointerdown", away);
  }, [open.value]);

  const close = (focusButton: boolean) => {
    open.value = false;
    if (focusButton) button.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const all = [...(menu.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
    const i = all.indexOf(document.activeElement as HTMLElement);
    if (e.key === "Escape" || e.key === "Tab") close(e.key === "Escape");
    else if (e.key === "ArrowDown") all[(i + 1) % all.length]?.focus();
    else if (e.key === "ArrowUp") all[(i - 1 + all.length) % all.length]?.focus();
    else if (e.key === "Home") all[0]?.focus();
    else if (e.key === "End") all[all.length - 1]?.focus();
    else return;
    e.preventDefault();
  };

  return (
    <span class="menu-wrap">
      <button
        ref={button}
        type="button"
        class="icon"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open.value}
        onClick={() => (open.value = !open.value)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            open.value = true;
          }
        }}
      >
        {children}
      </button>
      {open.value && (
        <ul class="menu" role="menu" aria-label={label} ref={menu} onKeyDown={onKeyDown}>
          {items.map((item) => (
            <li role="none" key={item.label}>
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                onClick={() => {
                  close(false);
                  item.onSelect();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
