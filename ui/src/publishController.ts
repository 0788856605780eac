/**
 * Publishing the open draft: the publish panel (checklist, byline pre-flight, schedule,
 * progress), taking in what the publish wrote into the file, the outbox dialog, and the
 * drafts list's queued markers kept in step with `outbox-event`.
 */
import { onOutboxEvent, type Ipc } from "./ipc";
import type { DocumentController } from "./documentController";
import type { DraftsPane } from "./draftsPane";
import type { MetadataPanel } from "./metadataPanel";
import type { StatusBar } from "./statusBar";
import type { SettingsSection } from "./settings";
import { PublishPanel, openOutbox } from "./publishPanel";

export interface PublishParts {
  ipc: Ipc;
  doc: DocumentController;
  drafts: DraftsPane;
  metadata: MetadataPanel;
  status: StatusBar;
  /** The drafts list is read again soon (the draft's row shows its post). */
  listChanged: () => void;
  openExternal: (url: string) => void;
  openSettings: (section?: SettingsSection) => void;
}

export class PublishController {
  /** The publish panel last opened (tests wait for it). */
  panel: PublishPanel | null = null;
  private outboxSeq = 0;
  private unlisten: (() => void) | null = null;

  constructor(private readonly parts: PublishParts) {}

  /** Subscribes to `outbox-event`; rejects outside Tauri (no live markers then). */
  async listen(): Promise<void> {
    this.unlisten = await onOutboxEvent(() => void this.refreshOutbox());
  }

  /** The publish panel for the open draft (saved first by the panel itself). */
  async open(): Promise<void> {
    const { doc, ipc, status } = this.parts;
    const cur = doc.current;
    if (!cur) return status.flash("Open a draft first");
    this.panel = new PublishPanel(ipc, {
      path: () => cur.session.path,
      title: () => cur.summary.title,
      text: () => (doc.current === cur ? doc.editor.getText() : cur.session.savedText),
      publishAt: () => doc.frontMatterView.publish_at,
      flush: () => doc.flushOrThrow(),
      setPublishAt: (at) => doc.changeFrontMatter({ publish_at: at }),
      published: async () => {
        // the Rust side recorded the post (`portal:`) in the file: take it in
        if (doc.current === cur) {
          await cur.session.changedOnDisk().catch(() => undefined);
          doc.refreshMetadata();
        }
        this.parts.listChanged();
        void this.refreshOutbox();
      },
      openExternal: (u) => this.parts.openExternal(u),
      fixByline: () => this.parts.metadata.element.querySelector<HTMLElement>('[data-testid="meta-author"]')?.focus(),
      openPortalSettings: () => this.parts.openSettings("portals"),
    });
    await this.panel.ready;
  }

  /** The outbox: jobs waiting, parked or done, with Retry. */
  openOutbox(): void {
    void openOutbox(this.parts.ipc, (u) => this.parts.openExternal(u));
  }

  /** Reads `outbox_list` again for the drafts list's queued markers (latest answer wins). */
  async refreshOutbox(): Promise<void> {
    const seq = ++this.outboxSeq;
    try {
      const jobs = (await this.parts.ipc.outboxList()) ?? [];
      if (seq === this.outboxSeq) this.parts.drafts.setOutbox(jobs);
    } catch {
      // no outbox (no portal configured): no markers
    }
  }

  dispose(): void {
    this.unlisten?.();
  }
}
