import { afterEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { COMMANDS, type CommandName } from "../src/generated/contract";
import { asCommandError, byteToIndex, describeError, ipc, onDraftsChanged, type Ipc } from "../src/ipc";

afterEach(() => clearMocks());

function record() {
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    return cmd === "import_image" ? "![](images/p.png)" : null;
  });
  return calls;
}

describe("ipc wrappers", () => {
  it("call every command of docs/ipc.md with its snake_case arguments", async () => {
    const calls = record();
    const settings = {
      user_name: "Ana",
      user_email: "",
      role: "editor" as const,
      categories: ["World"],
      recent_folders: [],
      last_folder: null,
      theme: "system" as const,
      watch: "auto" as const,
      sync_auto: true,
      sync_interval_minutes: 5,
    };
    await ipc.openWorkspace();
    await ipc.openWorkspace("/srv/drafts");
    await ipc.listDrafts({ status: "in-review", category: "World" });
    await ipc.listDrafts({}, 300, 100);
    await ipc.searchDrafts("minsk", { tag: "Belarus" });
    await ipc.readDraft("world/minsk.md");
    await ipc.renderPreview("world/minsk.md", "Body");
    await ipc.saveDraft("world/minsk.md", "Body", "h1");
    await ipc.updateFrontMatter("---\ntitle: a\n---\n", { title: "b", tags: ["x"], slug: null });
    await ipc.newDraft("Talks stall");
    await ipc.newDraft("Talks stall", ["World"], ["Belarus"]);
    await ipc.listRevisions("a.md");
    await ipc.revisionDiff("a.md", 3, "now");
    await ipc.diffText("theirs", "mine");
    await ipc.restoreRevision("a.md", 3, "h2");
    await ipc.resolveConflict("a.md", "theirs", "mine text");
    await expect(ipc.importImage("world/minsk.md", "p.png", new Uint8Array([1, 2, 255]))).resolves.toBe("![](images/p.png)");
    await ipc.exportHtml("a.md", "text", "/tmp/a.html");
    await ipc.getSettings();
    await ipc.saveSettings(settings);
    await ipc.openExternal("https://example.org/");
    await ipc.renderPreview("world/minsk.md", "Body", true);
    await ipc.exportHtml("a.md", "text", "/tmp/a.html", true, true);
    expect(calls).toEqual([
      { cmd: "open_workspace", args: {} },
      { cmd: "open_workspace", args: { path: "/srv/drafts" } },
      { cmd: "list_drafts", args: { filter: { status: "in-review", category: "World" }, offset: 0, limit: 200 } },
      { cmd: "list_drafts", args: { filter: {}, offset: 300, limit: 100 } },
      { cmd: "search_drafts", args: { query: "minsk", filter: { tag: "Belarus" } } },
      { cmd: "read_draft", args: { path: "world/minsk.md" } },
      { cmd: "render_preview", args: { path: "world/minsk.md", text: "Body" } },
      { cmd: "save_draft", args: { path: "world/minsk.md", text: "Body", base_hash: "h1" } },
      { cmd: "update_front_matter", args: { text: "---\ntitle: a\n---\n", changes: { title: "b", tags: ["x"], slug: null } } },
      { cmd: "new_draft", args: { title: "Talks stall" } },
      { cmd: "new_draft", args: { title: "Talks stall", categories: ["World"], tags: ["Belarus"] } },
      { cmd: "list_revisions", args: { path: "a.md" } },
      { cmd: "revision_diff", args: { path: "a.md", id: 3, text: "now" } },
      { cmd: "diff_text", args: { old: "theirs", new: "mine" } },
      { cmd: "restore_revision", args: { path: "a.md", id: 3, base_hash: "h2" } },
      { cmd: "resolve_conflict", args: { path: "a.md", keep: "theirs", mine: "mine text" } },
      { cmd: "import_image", args: { draft_path: "world/minsk.md", file_name: "p.png", bytes: [1, 2, 255] } },
      { cmd: "export_html", args: { path: "a.md", text: "text", dest: "/tmp/a.html" } },
      { cmd: "get_settings", args: {} },
      { cmd: "save_settings", args: { settings } },
      { cmd: "open_external", args: { url: "https://example.org/" } },
      // remote images load only when the draft's choice says so
      { cmd: "render_preview", args: { path: "world/minsk.md", text: "Body", remote_images: true } },
      { cmd: "export_html", args: { path: "a.md", text: "text", dest: "/tmp/a.html", overwrite: true, remote_images: true } },
    ]);
    // bytes cross as a plain JSON array of numbers, as the contract says
    expect(Array.isArray((calls[16].args as { bytes: unknown }).bytes)).toBe(true);
  });

  it("call the publishing and review commands with their snake_case arguments", async () => {
    const calls = record();
    await ipc.portalList();
    await ipc.portalTest("main");
    await ipc.publishDraft("w/a.md", { portal: "main", status: "future", overwrite: true, republish_new: false });
    await ipc.publishDraft("w/a.md", { portal: null, status: null, overwrite: false, republish_new: true });
    await ipc.outboxList();
    await ipc.outboxRetryNow();
    await ipc.deskChecklist("w/a.md", "T");
    await ipc.reviewMarks("T");
    await ipc.reviewResolve("T", null, false);
    await ipc.reviewTransitions("approved");
    await ipc.reviewTransitions("approved", "w/a.conflict-20261126-093000.md");
    await ipc.reviewChangeRequest("T");
    await ipc.reviewTransition("w/a.md", "in-review", null);
    await ipc.lockHold("w/a.md");
    await ipc.lockRelease("w/a.md");
    expect(calls.map((c) => [c.cmd, c.args])).toEqual([
      ["portal_list", {}],
      ["portal_test", { name: "main" }],
      ["publish_draft", { path: "w/a.md", portal: "main", status: "future", overwrite: true, republish_new: false }],
      ["publish_draft", { path: "w/a.md", portal: null, status: null, overwrite: false, republish_new: true }],
      ["outbox_list", {}],
      ["outbox_retry_now", {}],
      ["desk_checklist", { path: "w/a.md", text: "T" }],
      ["review_marks", { text: "T" }],
      ["review_resolve", { text: "T", id: null, accept: false }],
      ["review_transitions", { status: "approved", path: null }],
      ["review_transitions", { status: "approved", path: "w/a.conflict-20261126-093000.md" }],
      ["review_change_request", { text: "T" }],
      ["review_transition", { path: "w/a.md", to: "in-review", note: null }],
      ["lock_hold", { path: "w/a.md" }],
      ["lock_release", { path: "w/a.md" }],
    ]);
  });

  it("call the portal commands of Settings and the byline pre-flight with their arguments", async () => {
    const calls = record();
    await ipc.portalProfiles();
    await ipc.portalAdd({ name: "main", url: "https://n.example", user: "ana", password: "pw" });
    await ipc.portalEdit({ name: "main", url: "https://n.example", user: "ana", password: null });
    await ipc.portalRemove("main");
    await ipc.portalSetDefault("local");
    await ipc.bylineCheck("local", "T");
    expect(calls.map((c) => [c.cmd, c.args])).toEqual([
      ["portal_profiles", {}],
      ["portal_add", { name: "main", url: "https://n.example", user: "ana", password: "pw" }],
      ["portal_edit", { name: "main", url: "https://n.example", user: "ana", password: null }],
      ["portal_remove", { name: "main" }],
      ["portal_set_default", { name: "local" }],
      ["byline_check", { portal: "local", text: "T" }],
    ]);
  });

  it("wrap every command Rust registers, sending only the arguments Rust names", async () => {
    // COMMANDS is generated from newsroom_api::contract::commands(), which a Rust test in
    // src-tauri checks against generate_handler! and each wrapper's parameters
    const settings = {
      user_name: "Ana",
      user_email: "",
      role: "editor" as const,
      categories: [],
      recent_folders: [],
      last_folder: null,
      theme: "system" as const,
      watch: "auto" as const,
      sync_auto: true,
      sync_interval_minutes: 5,
    };
    const samples: { [K in keyof Ipc]: Parameters<Ipc[K]> } = {
      openWorkspace: ["/srv/drafts"],
      listDrafts: [{ status: "draft" }, 0, 10],
      searchDrafts: ["minsk", {}],
      readDraft: ["a.md"],
      renderPreview: ["a.md", "T", true],
      saveDraft: ["a.md", "T", "h"],
      updateFrontMatter: ["T", { title: "x" }],
      readFrontMatter: ["T"],
      newDraft: ["T", ["World"], ["x"]],
      listRevisions: ["a.md"],
      revisionDiff: ["a.md", 1, "T"],
      diffText: ["old", "new"],
      restoreRevision: ["a.md", 1, "h"],
      resolveConflict: ["a.md", "mine", "T"],
      importImage: ["a.md", "p.png", [1]],
      importImageFile: ["a.md", "/home/ana/Pictures/p.png"],
      exportSuggestion: ["a.md"],
      exportHtml: ["a.md", "T", "/tmp/a.html", true, true],
      getSettings: [],
      saveSettings: [settings],
      openExternal: ["https://example.org/"],
      launchDraft: [],
      portalList: [],
      portalTest: ["main"],
      portalProfiles: [],
      portalAdd: [{ name: "m", url: "https://n.example", user: "u", password: "p" }],
      portalEdit: [{ name: "m", url: "https://n.example", user: "u", password: null }],
      portalRemove: ["m"],
      portalSetDefault: ["m"],
      bylineCheck: [null, "T"],
      publishDraft: ["a.md", { portal: null, status: null, overwrite: false, republish_new: false }],
      outboxList: [],
      outboxRetryNow: [],
      deskChecklist: ["a.md", "T"],
      reviewMarks: ["T"],
      reviewChangeRequest: ["T"],
      reviewResolve: ["T", null, true],
      reviewTransitions: ["draft", "a.md"],
      reviewTransition: ["a.md", "in-review", null],
      reviewQueue: [],
      deskQueue: [],
      lockHold: ["a.md"],
      lockRelease: ["a.md"],
      spellLanguages: [],
      spellCheck: ["Teh text", ["Ana Kovač"]],
      spellSuggest: ["Teh"],
      spellLearn: ["Kovač"],
      syncStatus: [],
      syncNow: [],
    };
    const calls = record();
    for (const [name, args] of Object.entries(samples)) {
      await (ipc[name as keyof Ipc] as (...a: unknown[]) => Promise<unknown>)(...args);
    }
    // called by the benchmark's injected script, not by the page
    const notWrapped: CommandName[] = ["perf_mark"];
    const registered = (Object.keys(COMMANDS) as CommandName[]).filter((c) => !notWrapped.includes(c));
    expect([...new Set(calls.map((c) => c.cmd))].sort()).toEqual([...registered].sort());
    for (const { cmd, args } of calls) {
      const spec = COMMANDS[cmd as CommandName];
      const names = spec.map((a) => a.replace(/\?$/, ""));
      const sent = Object.keys((args ?? {}) as object);
      expect(
        sent.filter((k) => !names.includes(k)),
        `${cmd} sends arguments Rust does not take`,
      ).toEqual([]);
      const required = spec.filter((a) => !a.endsWith("?"));
      expect(
        required.filter((k) => !sent.includes(k)),
        `${cmd} leaves out arguments Rust requires`,
      ).toEqual([]);
    }
  });

  it("turns the marks' UTF-8 byte offsets into string indexes", () => {
    const t = "Kovač {++é😀++}x";
    const bytes = new TextEncoder().encode(t);
    const xByte = bytes.length - 1;
    expect(byteToIndex(t, xByte)).toBe(t.length - 1);
    expect(byteToIndex(t, new TextEncoder().encode("Kovač ").length)).toBe(6);
  });

  it("passes a command's {code, message} rejection through", async () => {
    mockIPC(() => {
      throw { code: "not_found", message: "world/x.md: no such draft", file: "world/x.md" };
    });
    const err = await ipc.readDraft("world/x.md").catch((e: unknown) => e);
    expect(asCommandError(err).code).toBe("not_found");
    expect(describeError(err)).toBe("world/x.md: no such draft");
    expect(describeError({ code: "invalid_draft", message: "bad key", file: "a.md", line: 3 })).toBe("a.md:3: bad key");
    expect(asCommandError("boom")).toEqual({ code: "unknown", message: "boom" });
  });

  it("delivers drafts-changed payloads", async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const seen = vi.fn();
    const unlisten = await onDraftsChanged(seen);
    const payload = { changes: [{ kind: "changed", path: "world/minsk.md" }] };
    await emit("drafts-changed", payload);
    expect(seen).toHaveBeenCalledWith(payload);
    unlisten();
  });
});
