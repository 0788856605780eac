/**
 * The Publish box (like WordPress's): portal, status (draft, pending review, publish now,
 * schedule), the desk's pre-flight checklist and byline check, Publish with step-by-step
 * progress, and the result. Also the Outbox (jobs waiting to be retried).
 */
import "./portals.css";
import { h } from "./html";
import { openDialog, type DialogHandle } from "./dialog";
import {
  asCommandError,
  describeError,
  onPublishProgress,
  type BylineCheck,
  type Check,
  type Ipc,
  type OutboxJob,
  type PostStatus,
  type Progress,
  type PublishOutcome,
  type PublishProgress,
} from "./ipc";
import { localInputToRfc3339, rfc3339ToLocalInput } from "./time";

export interface PublishHooks {
  path(): string;
  title(): string;
  text(): string;
  /** The draft's `publish_at` (RFC 3339 or ""). */
  publishAt(): string;
  /** Saves pending edits (rejects when the draft cannot be saved). */
  flush(): Promise<void>;
  /** Writes `publish_at` through `update_front_matter`. */
  setPublishAt(rfc3339: string): Promise<void>;
  /** After a publish: the Rust side recorded the post in the file. */
  published(outcome: PublishOutcome): Promise<void> | void;
  openExternal(url: string): void;
  /** "Fix the draft": the panel has closed; put the caret in the sidebar's Author field. */
  fixByline?(): void;
  /** "Set up a portal": the panel has closed; open Settings at Portals. */
  openPortalSettings?(): void;
  listenProgress?: (handler: (p: PublishProgress) => void) => Promise<() => void>;
}

const STATUS_CHOICES: [PostStatus, string][] = [
  ["draft", "Draft on the portal"],
  ["pending", "Submit for review (pending)"],
  ["publish", "Publish now"],
  ["future", "Schedule"],
];

/** One line per step, in the reporter's words. */
export function progressLine(p: Progress): { key: string; text: string } {
  switch (p.step) {
    case "connecting":
      return { key: "connecting", text: `Connecting to ${p.portal}` };
    case "plan":
      // "updates post 42, «Minsk talks»…", said before anything is sent
      return { key: "plan", text: p.summary.charAt(0).toUpperCase() + p.summary.slice(1) };
    case "terms":
      return { key: "terms", text: "Categories and tags" };
    case "image":
      return { key: "image", text: `Images ${p.done}/${p.total}` };
    case "post":
      return { key: "post", text: p.action ? `Post (${p.action})` : "Post" };
    case "front_matter":
      return { key: "front_matter", text: "Recording the post in the draft" };
    case "retrying":
      return { key: "retrying", text: `Retrying (attempt ${p.attempt}) in ${Math.ceil(p.wait_ms / 1000)} s: ${p.message}` };
    case "done":
      return { key: "done", text: "Done" };
    default:
      return { key: "other", text: String((p as { step: string }).step) };
  }
}

export function checklistItems(checks: Check[]): HTMLLIElement[] {
  return checks.map((c) =>
    h(
      "li",
      { class: `check ${c.passed ? "pass" : "fail"}`, "data-testid": "check-item", "data-id": c.id, "data-passed": String(c.passed) },
      h("span", { class: "check-icon", "aria-label": c.passed ? "passed" : "failed", text: c.passed ? "✓" : "✗" }),
      h("span", { class: "check-message", text: c.message }),
    ),
  );
}

/** "Publish as the account", per draft, for one byline, portal and account; a changed
 * byline (or another portal) asks again. Kept while the app runs. */
const bylineAcknowledged = new Map<string, string>();

const bylineKey = (c: BylineCheck) => JSON.stringify([c.portal, c.author, c.account]);

/** The pre-flight line for a byline check; `differs` when the post will not carry the draft's name. */
export function bylineLine(c: BylineCheck): { differs: boolean; text: string; detail: string } {
  const author = c.author ?? "";
  switch (c.outcome) {
    case "no_author":
      return { differs: false, text: `No byline in the draft: the post will carry the portal account's name «${c.account}»`, detail: "" };
    case "account":
      return { differs: false, text: `Byline «${author}» — the portal account's own name`, detail: "" };
    case "assigned":
      return { differs: false, text: `Byline «${author}» — the post will carry that portal user's name`, detail: "" };
    default: {
      const why = c.outcome === "no_such_user" ? `No portal user is called «${author}».` : `«${c.account}» (${c.roles.join(", ") || "no role"}) may not publish under another author's name.`;
      return { differs: true, text: `Byline «${author}» — the post will go out as «${c.account}» (the portal account)`, detail: why };
    }
  }
}

export class PublishPanel {
  readonly dialog: DialogHandle;
  private readonly portal = h("select", { "aria-label": "Portal", "data-testid": "publish-portal" });
  private readonly radios: HTMLInputElement[];
  private readonly scheduleAt = h("input", { type: "datetime-local", "aria-label": "Publish at", "data-testid": "publish-schedule-at" });
  private readonly checklist = h("ul", { class: "checklist", "data-testid": "publish-checklist", "aria-label": "Pre-flight checks" });
  private readonly checkNote = h("p", { class: "muted check-note" });
  private readonly portalField: HTMLElement;
  private readonly noPortal = h("div", { class: "portal-missing", "data-testid": "publish-no-portal", hidden: true });
  private readonly byline = h("div", { class: "byline-check", "data-testid": "byline-check", "aria-live": "polite", hidden: true });
  private readonly go = h("button", { type: "button", class: "primary", "data-testid": "publish-go", text: "Publish" });
  private readonly progress = h("ol", { class: "publish-progress", "data-testid": "publish-progress", "aria-live": "polite" });
  private readonly result = h("div", { class: "publish-result", "data-testid": "publish-result", "aria-live": "polite" });
  private unlisten: (() => void) | null = null;
  private busy = false;
  private blockedByMarks = false;
  private hasPortal = true;
  /** The byline differs and "Publish as the account" was not chosen for it. */
  private blockedByByline = false;
  private bylineSeq = 0;
  /** Resolves once portals, checklist and the progress listener are ready. */
  readonly ready: Promise<void>;

  constructor(
    private readonly ipc: Ipc,
    private readonly hooks: PublishHooks,
  ) {
    this.radios = STATUS_CHOICES.map(([value]) => h("input", { type: "radio", name: "nr-publish-status", value, "data-testid": `publish-status-${value}` }));
    const at = hooks.publishAt();
    const future = !!at && Date.parse(at) > Date.now();
    this.radios.find((r) => r.value === (future ? "future" : "publish"))!.checked = true;
    this.scheduleAt.value = rfc3339ToLocalInput(at);
    const outboxBtn = h("button", { type: "button", class: "link-button", "data-testid": "outbox-open", text: "Outbox…" });
    outboxBtn.addEventListener("click", () => openOutbox(this.ipc, (u) => this.hooks.openExternal(u)));
    this.dialog = openDialog({ title: `Publish ‘${hooks.title()}’`, testid: "publish-panel", className: "publish-dialog", onClose: () => this.unlisten?.() });
    this.portalField = h("label", { class: "field" }, h("span", { class: "field-label", text: "Portal" }), this.portal);
    this.dialog.body.append(
      this.portalField,
      this.noPortal,
      h(
        "fieldset",
        { class: "publish-status" },
        h("legend", { text: "Status" }),
        ...STATUS_CHOICES.map(([, label], i) => h("label", { class: "check" }, this.radios[i], h("span", { text: label }))),
        this.scheduleAt,
      ),
      h("h3", { class: "section-title", text: "Before publishing" }),
      this.byline,
      this.checklist,
      this.checkNote,
      h("div", { class: "dialog-actions" }, outboxBtn, this.go),
      this.progress,
      this.result,
    );
    for (const r of this.radios) r.addEventListener("change", () => this.syncSchedule());
    this.syncSchedule();
    this.go.addEventListener("click", () => void this.publish());
    this.portal.addEventListener("change", () => void this.checkByline());
    this.ready = Promise.all([this.loadPortals().then(() => this.checkByline()), this.loadChecklist(), this.listen()]).then(() => undefined);
  }

  private status(): PostStatus {
    return (this.radios.find((r) => r.checked)?.value ?? "publish") as PostStatus;
  }

  private syncSchedule(): void {
    this.scheduleAt.hidden = this.status() !== "future";
    this.go.textContent = { draft: "Send as draft", pending: "Submit for review", publish: "Publish", future: "Schedule" }[this.status()];
  }

  private async listen(): Promise<void> {
    try {
      const un = await (this.hooks.listenProgress ?? onPublishProgress)((p) => {
        if (p.path === this.hooks.path()) this.step(p.progress);
      });
      if (!this.dialog.element.isConnected) un();
      else this.unlisten = un;
    } catch {
      // no events outside Tauri: the result still shows
    }
  }

  /** Only portals that exist; the default one chosen. With none, the way to add one. */
  private async loadPortals(): Promise<void> {
    let portals: Awaited<ReturnType<Ipc["portalList"]>> = [];
    try {
      portals = (await this.ipc.portalList()) ?? [];
    } catch (e) {
      this.showError(e);
    }
    this.portal.replaceChildren(...portals.map((p) => h("option", { value: p.name, text: `${p.name} — ${p.url} (${p.user})` })));
    const chosen = portals.find((p) => p.default) ?? portals[0];
    if (chosen) this.portal.value = chosen.name;
    this.hasPortal = portals.length > 0;
    this.portalField.hidden = !this.hasPortal;
    this.noPortal.hidden = this.hasPortal;
    if (!this.hasPortal) {
      const setUp = h("button", { type: "button", "data-testid": "publish-setup-portal", text: "Set up a portal in Settings…" });
      setUp.addEventListener("click", () => {
        this.dialog.close();
        this.hooks.openPortalSettings?.();
      });
      this.noPortal.replaceChildren(h("p", { text: "No portal is set up yet: add the site you publish to, with its user and application password." }), setUp);
    }
    this.syncGo();
  }

  private syncGo(): void {
    this.go.disabled = this.busy || this.blockedByMarks || !this.hasPortal || this.blockedByByline;
  }

  /** The byline pre-flight: whose name the post will carry on the chosen portal. */
  async checkByline(): Promise<void> {
    const seq = ++this.bylineSeq;
    const portal = this.portal.value;
    this.blockedByByline = false;
    this.syncGo();
    if (!portal) {
      this.byline.hidden = true;
      return;
    }
    this.byline.hidden = false;
    this.byline.dataset.state = "checking";
    this.byline.replaceChildren(h("span", { class: "muted", text: `Checking the byline on ${portal}…` }));
    let check: BylineCheck | null;
    try {
      check = await this.ipc.bylineCheck(portal, this.hooks.text());
    } catch (e) {
      if (seq !== this.bylineSeq) return;
      // not a blocker: the publish itself reports what the portal says
      this.byline.dataset.state = "unchecked";
      this.byline.replaceChildren(h("span", { class: "muted", text: `Byline not checked: ${describeError(e)}` }));
      return;
    }
    if (seq !== this.bylineSeq) return;
    if (!check) {
      this.byline.hidden = true;
      return;
    }
    this.showByline(check);
  }

  private showByline(check: BylineCheck): void {
    const { differs, text, detail } = bylineLine(check);
    const path = this.hooks.path();
    const acknowledged = differs && bylineAcknowledged.get(path) === bylineKey(check);
    this.byline.dataset.state = differs ? "differs" : "ok";
    this.byline.dataset.acknowledged = String(acknowledged);
    this.blockedByByline = differs && !acknowledged;
    const line = h("p", { class: "byline-text", "data-testid": "byline-text" }, h("span", { class: "check-icon", text: differs ? "⚠" : "✓" }), text);
    this.byline.replaceChildren(line);
    if (differs) {
      this.byline.append(h("p", { class: "muted", text: detail }));
      if (acknowledged) {
        this.byline.append(h("p", { class: "muted", "data-testid": "byline-acknowledged", text: `Publishing as «${check.account}», as you chose.` }));
      } else {
        const fix = h("button", { type: "button", class: "primary", "data-testid": "byline-fix", text: "Fix the draft" });
        const asAccount = h("button", { type: "button", "data-testid": "byline-accept", text: "Publish as the account" });
        fix.addEventListener("click", () => {
          this.dialog.close();
          this.hooks.fixByline?.();
        });
        asAccount.addEventListener("click", () => {
          bylineAcknowledged.set(path, bylineKey(check));
          this.showByline(check);
          this.go.focus();
        });
        this.byline.append(h("div", { class: "byline-actions" }, fix, asAccount));
      }
    }
    this.syncGo();
  }

  async loadChecklist(): Promise<void> {
    try {
      const checks = (await this.ipc.deskChecklist(this.hooks.path(), this.hooks.text())) ?? [];
      this.checklist.replaceChildren(...checklistItems(checks));
      this.blockedByMarks = checks.some((c) => c.id === "open_marks" && !c.passed);
      const failing = checks.filter((c) => !c.passed).length;
      this.checkNote.textContent = this.blockedByMarks
        ? "Accept or reject the open suggestions and comments first: the portal never receives them."
        : failing
          ? `${failing} check${failing === 1 ? "" : "s"} not passed; you can still publish.`
          : "All checks passed.";
      this.syncGo();
    } catch (e) {
      this.checkNote.textContent = `Checklist unavailable: ${describeError(e)}`;
    }
  }

  private step(p: Progress): void {
    const { key, text } = progressLine(p);
    for (const li of Array.from(this.progress.children)) li.classList.add("step-done");
    let row = this.progress.querySelector<HTMLElement>(`[data-step="${key}"]`);
    if (!row) {
      row = h("li", { class: "publish-step", "data-testid": "publish-step", "data-step": key });
      this.progress.append(row);
    }
    row.classList.remove("step-done");
    if (key === "done") row.classList.add("step-done");
    row.textContent = text;
    if (p.step === "image") row.title = p.file;
  }

  async publish(extra: { overwrite?: boolean; republishNew?: boolean } = {}): Promise<void> {
    // the same gate as the button's, for a call that does not go through it
    if (this.busy || this.blockedByMarks || !this.hasPortal || this.blockedByByline) return;
    this.busy = true;
    this.syncGo();
    this.progress.replaceChildren();
    this.result.replaceChildren();
    const status = this.status();
    try {
      await this.hooks.flush();
      if (status === "future") {
        const at = localInputToRfc3339(this.scheduleAt.value);
        if (!at) throw { code: "invalid_argument", message: "Choose the date and time to publish at." };
        await this.hooks.setPublishAt(at);
        await this.hooks.flush();
      }
      const outcome = await this.ipc.publishDraft(this.hooks.path(), {
        portal: this.portal.value || null,
        status,
        overwrite: !!extra.overwrite,
        republish_new: !!extra.republishNew,
      });
      this.showOutcome(outcome);
      await this.hooks.published(outcome);
    } catch (e) {
      this.showError(e);
    } finally {
      this.busy = false;
      this.syncGo();
    }
  }

  private showOutcome(o: PublishOutcome): void {
    if (o.outcome === "published") {
      const link = h("button", { type: "button", class: "link-button", "data-testid": "publish-link", text: o.link });
      link.addEventListener("click", () => this.hooks.openExternal(o.link));
      const what = o.status === "future" ? "Scheduled" : o.status === "draft" ? "Sent as a draft" : o.status === "pending" ? "Submitted for review" : "Published";
      this.result.replaceChildren(
        h("p", { class: "publish-ok", "data-outcome": "published" }, `${what}${o.created ? "" : " (updated)"}: `, link),
        h("p", { class: "muted", text: `Images: ${o.images_uploaded} uploaded, ${o.images_reused} already there${o.adopted ? " · adopted an existing post" : ""}` }),
        ...o.warnings.map((w) => h("p", { class: "publish-warning", "data-testid": "publish-warning", text: `⚠ ${w}` })),
      );
    } else {
      const when = new Date(o.next_attempt_ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      this.result.replaceChildren(
        h("p", { class: "publish-queued", "data-outcome": "queued", "data-testid": "publish-queued", text: `Queued — will retry: ${o.message}` }),
        h("p", { class: "muted", text: `Next attempt around ${when} (${o.portal}). See the Outbox.` }),
      );
    }
  }

  private showError(e: unknown): void {
    const err = asCommandError(e);
    const box = h("div", { class: "publish-error", "data-testid": "publish-error", "data-code": err.code }, h("p", { text: describeError(err) }));
    const retry = (label: string, testid: string, extra: { overwrite?: boolean; republishNew?: boolean }) => {
      const b = h("button", { type: "button", "data-testid": testid, text: label });
      b.addEventListener("click", () => void this.publish(extra));
      box.append(b);
    };
    if (err.code === "changed_on_portal") retry("Overwrite", "publish-overwrite", { overwrite: true });
    if (err.code === "deleted_on_portal") retry("Publish as new", "publish-as-new", { republishNew: true });
    this.result.replaceChildren(box);
  }
}

/** The Outbox: publish jobs waiting for the portal, with "Retry now". */
export function openOutbox(ipc: Ipc, openExternal: (url: string) => void): { dialog: DialogHandle; loaded: Promise<void> } {
  const list = h("ul", { class: "outbox-list", "data-testid": "outbox-list" });
  const note = h("p", { class: "muted", "aria-live": "polite" });
  const retry = h("button", { type: "button", class: "primary", "data-testid": "outbox-retry", text: "Retry now" });
  const dialog = openDialog({ title: "Outbox", testid: "outbox-dialog" });
  dialog.body.append(list, note, h("div", { class: "dialog-actions" }, retry));
  const row = (j: OutboxJob) => {
    const li = h(
      "li",
      { class: "outbox-job", "data-testid": "outbox-job", "data-key": j.key, "data-state": j.state },
      h("strong", { text: j.path }),
      h("span", { class: "muted", text: ` → ${j.portal} · ${j.state} · ${j.attempts} attempt${j.attempts === 1 ? "" : "s"}` }),
      j.next_attempt_ms ? h("span", { class: "muted", text: ` · next ${new Date(j.next_attempt_ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}` }) : null,
      j.last_error ? h("p", { class: "outbox-error", text: `${j.last_error}${j.last_error_code ? ` (${j.last_error_code})` : ""}` }) : null,
    );
    if (j.link) {
      const a = h("button", { type: "button", class: "link-button", text: j.link });
      a.addEventListener("click", () => openExternal(j.link!));
      li.append(a);
    }
    return li;
  };
  const load = async () => {
    try {
      const jobs = (await ipc.outboxList()) ?? [];
      list.replaceChildren(...jobs.map(row));
      note.textContent = jobs.length ? "" : "Nothing waiting.";
    } catch (e) {
      note.textContent = describeError(e);
    }
  };
  retry.addEventListener("click", async () => {
    retry.disabled = true;
    try {
      await ipc.outboxRetryNow();
      note.textContent = "Retrying…";
    } catch (e) {
      note.textContent = describeError(e);
    }
    await load();
    retry.disabled = false;
  });
  return { dialog, loaded: load() };
}
