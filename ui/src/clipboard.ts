/** "Copy as rich text": HTML and plain text together, so a CMS or mail client keeps the formatting. */

export async function copyRichText(html: string, text: string, node: Element | null): Promise<boolean> {
  try {
    if (typeof ClipboardItem !== "undefined" && navigator.clipboard?.write) {
      await navigator.clipboard.write([
        new ClipboardItem({
          "text/html": new Blob([html], { type: "text/html" }),
          "text/plain": new Blob([text], { type: "text/plain" }),
        }),
      ]);
      return true;
    }
  } catch {
    // fall through to selecting and copying
  }
  if (!node) return false;
  const doc = node.ownerDocument;
  const sel = doc.defaultView?.getSelection();
  if (!sel) return false;
  const range = doc.createRange();
  range.selectNodeContents(node);
  sel.removeAllRanges();
  sel.addRange(range);
  let ok = false;
  try {
    ok = doc.execCommand("copy");
  } finally {
    sel.removeAllRanges();
  }
  return ok;
}
