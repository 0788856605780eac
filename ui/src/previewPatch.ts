/**
 * Patches the preview's DOM to match a new render instead of replacing it, so the page
 * does not jump and a long article stays fast: blocks whose HTML is unchanged (ignoring
 * `data-sourcepos`, which shifts whenever a line is added above) keep their node identity
 * and learn their new line numbers (see `sourceposOf`);
 * only changed blocks are replaced. Containers (`article`, `header`, `.nr-body`) are
 * patched recursively.
 */

import { blockKey } from "./bodyPatch";

/** The identity of a block: its HTML without line numbers. */
const keys = new WeakMap<Element, string>();

function keyOf(el: Element): string {
  let k = keys.get(el);
  if (k === undefined) {
    k = blockKey(el.outerHTML);
    keys.set(el, k);
  }
  return k;
}

/** Elements whose children are patched rather than the element replaced. */
function containerId(el: Element): string | null {
  const tag = el.tagName.toLowerCase();
  if (tag === "article" || tag === "header" || tag === "main") return `${tag}.${el.className}`;
  if (el.classList.contains("nr-body")) return "nr-body";
  return null;
}

function sameContainer(a: Element, b: Element): boolean {
  const id = containerId(a);
  return id !== null && id === containerId(b);
}

/**
 * Where a kept block now sits in the source. Kept blocks get the new line numbers as a
 * property, not as a changed `data-sourcepos` attribute: rewriting the attribute on every
 * block below an inserted line makes the browser restyle and re-lay out the whole article.
 */
const POS = "nrSourcepos";

type Positioned = Element & { [POS]?: string | null };

/** The element's current `data-sourcepos` (line numbers of the latest render). */
export function sourceposOf(el: Element): string | null {
  if (pending.has(el.ownerDocument) || deferred.has(el.ownerDocument)) flushMoved(el.ownerDocument);
  const p = (el as Positioned)[POS];
  return p !== undefined ? p : el.getAttribute("data-sourcepos");
}

/**
 * Kept blocks whose line numbers moved, with the render they now stand for; the numbers
 * are applied when somebody asks (scroll sync) or once typing pauses (`SETTLE_MS`), not
 * on every keystroke: after Enter near
 * the top of a long article, every block below would otherwise be walked per keystroke.
 */
const pending = new WeakMap<Document, Map<Element, string>>();

const SOURCEPOS_VALUE = / data-sourcepos="([^"]*)"/g;

/** `el` (a kept top-level block) now stands for `html`, which differs only in line numbers. */
export function markMoved(el: Element, html: string): void {
  const doc = el.ownerDocument;
  let map = pending.get(doc);
  if (!map) {
    map = new Map();
    pending.set(doc, map);
  }
  map.set(el, html);
  settleLater(doc);
}

/** Gives `el` its line numbers as the latest render has them (see `POS`). */
export function setSourcepos(el: Element, value: string): void {
  (el as Positioned)[POS] = value;
}

/**
 * Line numbers owed in another form (the pieces a delta moved, see bodyPatch's
 * `applyDelta`): `flush` gives them, once, when somebody asks, as for `markMoved`.
 */
const deferred = new WeakMap<Document, () => void>();

export function deferSourcepos(doc: Document, flush: () => void): void {
  deferred.set(doc, flush);
  settleLater(doc);
}

/**
 * How long after the last deferral the owed line numbers are given anyway, nobody having
 * asked: typing has paused by then, so the walk below the edit costs no keystroke, and the
 * preview's elements say their true lines again (for whatever reads them next, or not
 * through `sourceposOf`). Scroll sync may no longer ask after a keystroke (it keeps its
 * place when only blocks below it changed), so without this they could stay owed.
 */
export const SETTLE_MS = 250;

const settling = new WeakMap<Document, ReturnType<typeof setTimeout>>();

function settleLater(doc: Document): void {
  const before = settling.get(doc);
  if (before !== undefined) clearTimeout(before);
  // the page's own timer: the preview's document is sandboxed and runs no script
  settling.set(
    doc,
    setTimeout(() => {
      settling.delete(doc);
      if (pending.has(doc) || deferred.has(doc)) flushMoved(doc);
    }, SETTLE_MS),
  );
}

/** Forgets the moved blocks (a full patch has just synced every kept block). */
export function forgetMoved(doc: Document): void {
  pending.delete(doc);
  deferred.delete(doc);
}

/** Gives moved blocks their line numbers; call before reading `sourceposOf`. */
export function flushMoved(doc: Document): void {
  const owed = deferred.get(doc);
  if (owed) {
    deferred.delete(doc);
    owed();
  }
  const map = pending.get(doc);
  if (!map) return;
  pending.delete(doc);
  for (const [el, html] of map) {
    if (!el.isConnected) continue;
    const values = Array.from(html.matchAll(SOURCEPOS_VALUE), (m) => m[1]);
    const nodes = [...(el.hasAttribute("data-sourcepos") ? [el] : []), ...Array.from(el.querySelectorAll("[data-sourcepos]"))];
    if (values.length === nodes.length) {
      nodes.forEach((node, i) => {
        if (values[i] !== sourceposOf(node)) (node as Positioned)[POS] = values[i];
      });
    } else {
      // text that merely looks like an attribute: rebuild this block from its render
      const t = doc.createElement("template");
      t.innerHTML = html;
      const fresh = t.content.firstElementChild;
      if (fresh) el.replaceWith(fresh);
    }
  }
}

/** Gives the kept `to` the line numbers of the structurally identical `from`. */
function syncSourcepos(to: Element, from: Element): void {
  const pos = from.getAttribute("data-sourcepos");
  if (pos !== sourceposOf(to)) (to as Positioned)[POS] = pos;
  const a = to.children;
  const b = from.children;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) syncSourcepos(a[i], b[i]);
}

export interface PatchStats {
  kept: number;
  replaced: number;
  removed: number;
}

/**
 * Makes `target`'s element children match `source`'s (a parsed new render; its nodes are
 * moved into `target` as needed). Text nodes between blocks (newlines) are ignored.
 */
export function patchChildren(target: Element, source: Element | DocumentFragment, stats: PatchStats = { kept: 0, replaced: 0, removed: 0 }): PatchStats {
  // stray text directly inside a container is not expected; drop it so indexes line up
  for (const n of Array.from(target.childNodes)) if (n.nodeType !== 1) n.remove();
  const oldEls = Array.from(target.children);
  const newEls = Array.from(source.children);

  let head = 0;
  while (head < oldEls.length && head < newEls.length && matches(oldEls[head], newEls[head])) head++;
  let tailOld = oldEls.length;
  let tailNew = newEls.length;
  while (tailOld > head && tailNew > head && matches(oldEls[tailOld - 1], newEls[tailNew - 1])) {
    tailOld--;
    tailNew--;
  }
  const reconcile = (oldEl: Element, newEl: Element) => {
    if (sameContainer(oldEl, newEl)) {
      for (const attr of Array.from(newEl.attributes)) {
        if (oldEl.getAttribute(attr.name) !== attr.value) oldEl.setAttribute(attr.name, attr.value);
      }
      patchChildren(oldEl, newEl, stats);
    } else {
      syncSourcepos(oldEl, newEl);
      stats.kept++;
    }
  };
  for (let i = 0; i < head; i++) reconcile(oldEls[i], newEls[i]);
  for (let i = 0; i < oldEls.length - tailOld; i++) reconcile(oldEls[tailOld + i], newEls[tailNew + i]);

  // the changed middle: reuse old blocks with an identical key (moved paragraphs), else insert
  const pool = new Map<string, Element[]>();
  for (let i = head; i < tailOld; i++) {
    const el = oldEls[i];
    const k = containerId(el) ?? keyOf(el);
    const list = pool.get(k);
    if (list) list.push(el);
    else pool.set(k, [el]);
  }
  const anchor = tailOld < oldEls.length ? oldEls[tailOld] : null;
  const used = new Set<Element>();
  for (let i = head; i < tailNew; i++) {
    const newEl = newEls[i];
    const k = containerId(newEl) ?? keyOf(newEl);
    const reuse = pool.get(k)?.shift();
    if (reuse) {
      used.add(reuse);
      reconcile(reuse, newEl);
      target.insertBefore(reuse, anchor);
    } else {
      stats.replaced++;
      target.insertBefore(newEl, anchor);
    }
  }
  for (let i = head; i < tailOld; i++) {
    if (!used.has(oldEls[i])) {
      oldEls[i].remove();
      stats.removed++;
    }
  }
  return stats;
}

function matches(a: Element, b: Element): boolean {
  if (sameContainer(a, b)) return true;
  if (containerId(a) !== null || containerId(b) !== null) return false;
  return keyOf(a) === keyOf(b);
}
