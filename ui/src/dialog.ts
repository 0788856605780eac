/** Modal dialogs: labelled, Escape closes, focus returns where it was. */
import { h } from "./html";

export interface DialogHandle {
  element: HTMLDialogElement;
  body: HTMLElement;
  close(): void;
}

export function openDialog(opts: { title: string; testid?: string; className?: string; onClose?: () => void }): DialogHandle {
  const previous = document.activeElement as HTMLElement | null;
  const titleId = `dlg-${Math.random().toString(36).slice(2, 8)}`;
  const body = h("div", { class: "dialog-body" });
  const closeBtn = h("button", { type: "button", class: "icon-button dialog-close", "aria-label": "Close" }, "×");
  const element = h(
    "dialog",
    { class: `dialog ${opts.className ?? ""}`, "aria-labelledby": titleId, "data-testid": opts.testid },
    // not a <header>: that would be a second banner landmark beside the toolbar's
    h("div", { class: "dialog-header" }, h("h2", { id: titleId, text: opts.title }), closeBtn),
    body,
  );
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    if (typeof element.close === "function" && element.open) element.close();
    element.remove();
    opts.onClose?.();
    previous?.focus?.();
  };
  closeBtn.addEventListener("click", close);
  element.addEventListener("cancel", (e) => {
    e.preventDefault();
    close();
  });
  element.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  });
  document.body.append(element);
  if (typeof element.showModal === "function") {
    try {
      element.showModal();
    } catch {
      element.setAttribute("open", "");
    }
  } else element.setAttribute("open", "");
  return { element, body, close };
}

/** Focuses the first field of a freshly built dialog. */
export function focusFirst(root: HTMLElement): void {
  const el = root.querySelector<HTMLElement>("input, select, textarea, button:not(.dialog-close)");
  el?.focus();
}

/**
 * Asks before an action that cannot be taken back quietly. Resolves true only on the
 * confirming button; Escape, Close and Cancel resolve false. Focus starts on Cancel, so
 * an Enter pressed by habit does not confirm.
 */
export function confirmDialog(opts: { title: string; message: string; confirm: string; testid?: string }): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const dlg = openDialog({ title: opts.title, testid: opts.testid ?? "confirm-dialog", className: "confirm-dialog", onClose: () => resolve(answer) });
    const cancel = h("button", { type: "button", "data-testid": "confirm-cancel", text: "Cancel" });
    const ok = h("button", { type: "button", class: "primary", "data-testid": "confirm-ok", text: opts.confirm });
    cancel.addEventListener("click", () => dlg.close());
    ok.addEventListener("click", () => {
      answer = true;
      dlg.close();
    });
    dlg.body.append(h("p", { text: opts.message }), h("div", { class: "dialog-actions" }, cancel, ok));
    cancel.focus();
  });
}
