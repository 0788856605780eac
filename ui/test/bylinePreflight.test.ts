import { describe, expect, it, vi } from "vitest";
import type { App } from "../src/app";
import type { BylineCheck, PortalInfo } from "../src/ipc";
import { MINSK_TEXT, opened, page, summary, workspace } from "./fixtures";
import { type FakeIpc, calls, fakeIpc, openFromList, q, rendered, settings, startApp, useWindowHarness } from "./harness";

const TEXT = MINSK_TEXT.replace("status: draft\n", "status: draft\nauthor: Ana Kovač\n");

const AS_ACCOUNT: BylineCheck = {
  portal: "main",
  author: "Ana Kovač",
  account: "desk",
  login: "desk",
  roles: ["author"],
  outcome: "may_not_assign",
  author_id: null,
  warning: "byline: the draft says `Ana Kovač`, but desk (author) may not publish under another author's name; the post is under desk",
};

interface Backend extends FakeIpc {
  portals: PortalInfo[];
  byline: (args: Record<string, unknown>) => BylineCheck;
}

function backend(): Backend {
  const b: Backend = Object.assign(
    fakeIpc(() => null),
    {
      portals: [
        { name: "main", url: "https://portal.example", user: "desk", default: false },
        { name: "local", url: "http://127.0.0.1:8089", user: "edith", default: true },
      ],
      byline: () => AS_ACCOUNT,
    },
  );
  b.answer = async (cmd, args) => {
    switch (cmd) {
      case "get_settings":
        return settings({ user_name: "Dana Desk", role: "desk" });
      case "open_workspace":
        return workspace([summary()]);
      case "list_drafts":
        return page([summary()], args);
      case "read_draft":
        return opened({ path: String(args.path), text: TEXT, hash: "h0" });
      case "render_preview":
        return rendered();
      case "portal_list":
        return b.portals;
      case "portal_profiles":
        return b.portals.map((p) => ({ ...p, default: !!p.default, password_stored: true }));
      case "byline_check":
        return b.byline(args);
      case "desk_checklist":
        return [{ id: "title", passed: true, message: "Title set" }];
      case "publish_draft":
        return { outcome: "published", post_id: 7, link: "https://portal.example/minsk", status: "publish", created: true, adopted: false, images_uploaded: 0, images_reused: 0, warnings: [] };
      case "outbox_list":
        return [];
      case "review_transitions":
      case "review_marks":
        return [];
      default:
        return null;
    }
  };
  return b;
}

useWindowHarness();

async function started(path = "world/minsk.md") {
  const { app } = await startApp();
  // the first draft loads the editor's chunk: slower on a busy machine
  await openFromList(app, path, 10_000);
  return app;
}

async function openPublish(app: App) {
  q("publish-open").click();
  await vi.waitFor(() => expect(app.publishPanel).not.toBeNull());
  await app.publishPanel!.ready;
}

describe("the byline pre-flight", () => {
  it("lists only the portals that exist, the default chosen, and checks the byline there", async () => {
    const b = backend();
    const app = await started();
    await openPublish(app);
    const select = q<HTMLSelectElement>("publish-portal");
    expect(Array.from(select.options).map((o) => o.value)).toEqual(["main", "local"]);
    expect(select.value).toBe("local");
    expect(document.body.textContent).not.toContain("Default portal");
    expect(calls(b, "byline_check")[0].args).toEqual({ portal: "local", text: TEXT });
  });

  it("a byline the account cannot carry blocks Publish until the draft is fixed or the account is chosen", async () => {
    const b = backend();
    const app = await started();
    await openPublish(app);
    expect(q("byline-check").dataset.state).toBe("differs");
    expect(q("byline-text").textContent).toBe("⚠Byline «Ana Kovač» — the post will go out as «desk» (the portal account)");
    expect(q("byline-check").textContent).toContain("«desk» (author) may not publish under another author's name");
    expect(q<HTMLButtonElement>("publish-go").disabled).toBe(true);
    await app.publishPanel!.publish();
    expect(calls(b, "publish_draft")).toHaveLength(0);

    q("byline-accept").click();
    expect(q("byline-check").dataset.acknowledged).toBe("true");
    expect(q("byline-acknowledged").textContent).toContain("«desk»");
    expect(q<HTMLButtonElement>("publish-go").disabled).toBe(false);
    q("publish-go").click();
    await vi.waitFor(() => expect(calls(b, "publish_draft")).toHaveLength(1));

    // the choice holds for this draft when the panel opens again…
    document.querySelector<HTMLElement>("dialog[open] .dialog-close")!.click();
    await openPublish(app);
    expect(q("byline-check").dataset.acknowledged).toBe("true");
    expect(q<HTMLButtonElement>("publish-go").disabled).toBe(false);
    // …but not for another account on another portal
    b.byline = () => ({ ...AS_ACCOUNT, portal: "main", account: "Night Desk" });
    const select = q<HTMLSelectElement>("publish-portal");
    select.value = "main";
    select.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(q("byline-text").textContent).toContain("«Night Desk»"));
    expect(q("byline-check").dataset.acknowledged).toBe("false");
    expect(q<HTMLButtonElement>("publish-go").disabled).toBe(true);
  });

  it("Fix the draft closes the panel and puts the caret in the Author field", async () => {
    const b = backend();
    // (another account than the one "Publish as the account" was chosen for above)
    b.byline = () => ({ ...AS_ACCOUNT, account: "Desk 2" });
    const app = await started();
    await openPublish(app);
    q("byline-fix").click();
    expect(q("publish-panel")).toBeNull();
    expect(document.activeElement).toBe(q("meta-author"));
  });

  it("a byline the post will carry passes; an unreachable portal does not block", async () => {
    const b = backend();
    b.byline = () => ({ ...AS_ACCOUNT, outcome: "assigned", author_id: 3, warning: null, account: "Edith Moreau", roles: ["editor"] });
    const app = await started();
    await openPublish(app);
    expect(q("byline-check").dataset.state).toBe("ok");
    expect(q("byline-text").textContent).toBe("✓Byline «Ana Kovač» — the post will carry that portal user's name");
    expect(q("byline-fix")).toBeNull();
    expect(q<HTMLButtonElement>("publish-go").disabled).toBe(false);

    b.byline = () => {
      throw { code: "unreachable", message: "the portal did not answer" };
    };
    await app.publishPanel!.checkByline();
    expect(q("byline-check").dataset.state).toBe("unchecked");
    expect(q("byline-check").textContent).toBe("Byline not checked: the portal did not answer");
    expect(q<HTMLButtonElement>("publish-go").disabled).toBe(false);
  });

  it("with no portal it says so, and the button opens Settings at Portals", async () => {
    const b = backend();
    b.portals = [];
    const app = await started();
    await openPublish(app);
    expect(q("publish-no-portal").hidden).toBe(false);
    expect(q("publish-no-portal").textContent).toContain("No portal is set up yet");
    expect(q<HTMLSelectElement>("publish-portal").options).toHaveLength(0);
    expect(q<HTMLButtonElement>("publish-go").disabled).toBe(true);
    expect(calls(b, "byline_check")).toHaveLength(0);
    q("publish-setup-portal").click();
    expect(q("publish-panel")).toBeNull();
    await vi.waitFor(() => expect(q("settings-portals")).not.toBeNull());
    await vi.waitFor(() => expect(document.activeElement).toBe(q("portal-add")));
  });
});
