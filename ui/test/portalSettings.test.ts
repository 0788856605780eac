import { describe, expect, it, vi } from "vitest";
import { ipc, type PortalEntry, type PortalReport, type Settings } from "../src/ipc";
import { openSettings } from "../src/settings";
import { describeReport } from "../src/portalSettings";
import { type FakeIpc, calls, fakeIpc, settings, useWindowHarness } from "./harness";

const SECRET = "abcd efgh ijkl mnop";

const REPORT: PortalReport = {
  portal: "local",
  url: "http://127.0.0.1:8089",
  site_name: "Newsroom Test",
  query_routes: false,
  user: { id: 4, login: "edith", name: "Edith Moreau", roles: ["editor"] },
  allowed_statuses: ["draft", "pending", "publish", "future"],
  can_upload: true,
  can_set_author: true,
  categories: [],
};

interface Backend extends FakeIpc {
  portals: PortalEntry[];
  /** What the password store holds, by portal name (the UI must never see it). */
  passwords: Map<string, string>;
  test: (name: string) => PortalReport;
}

function backend(portals: PortalEntry[] = []): Backend {
  const b: Backend = Object.assign(
    fakeIpc(() => null),
    { portals, passwords: new Map<string, string>(), test: () => REPORT },
  );
  b.answer = async (cmd, args) => {
    const entry = (name: string) => b.portals.find((p) => p.name === name);
    switch (cmd) {
      case "portal_profiles":
        return b.portals.map((p) => ({ ...p, password_stored: b.passwords.has(p.name) || p.password_stored }));
      case "portal_add": {
        const url = String(args.url);
        if (url.startsWith("http://news")) throw { code: "insecure_url", message: `refusing to send the password for \`${url}\` over plain http: use https://` };
        const p = { name: String(args.name), url, user: String(args.user), default: b.portals.length === 0, password_stored: true };
        b.portals.push(p);
        b.passwords.set(p.name, String(args.password));
        return { portal: p, password_location: { kind: "keyring" } };
      }
      case "portal_edit": {
        const p = entry(String(args.name))!;
        Object.assign(p, { url: args.url, user: args.user });
        if (args.password !== null) b.passwords.set(p.name, String(args.password));
        return { portal: p, password_location: args.password === null ? null : { kind: "file", path: "/home/d/.config/newsroom/secrets/local.password" } };
      }
      case "portal_remove":
        b.portals = b.portals.filter((p) => p.name !== args.name);
        b.passwords.delete(String(args.name));
        return null;
      case "portal_set_default":
        for (const p of b.portals) p.default = p.name === args.name;
        return null;
      case "portal_test":
        return b.test(String(args.name));
      default:
        return null;
    }
  };
  return b;
}

const SETTINGS: Settings = settings({ user_name: "Dana Desk", role: "desk" });
const q = <T extends HTMLElement = HTMLElement>(id: string, root: ParentNode = document) => root.querySelector<T>(`[data-testid="${id}"]`)!;
const qa = (id: string, root: ParentNode = document) => Array.from(root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));
const row = (name: string) => qa("portal-row").find((r) => r.dataset.name === name)!;

function type(id: string, value: string) {
  const el = q<HTMLInputElement>(id);
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

async function open(section?: "portals") {
  const { portals } = openSettings(ipc, SETTINGS, { saved: () => undefined, openFolder: async () => undefined }, section);
  await portals.loaded;
  return portals;
}

useWindowHarness();

describe("Settings → Portals", () => {
  it("lists the portals with the default and whether a password is stored", async () => {
    backend([
      { name: "main", url: "https://news.example.org", user: "desk", default: true, password_stored: true },
      { name: "local", url: "http://127.0.0.1:8089", user: "edith", default: false, password_stored: false },
    ]);
    await open();
    expect(qa("portal-row").map((r) => [r.dataset.name, r.dataset.default])).toEqual([
      ["main", "true"],
      ["local", "false"],
    ]);
    expect(q("portal-default", row("main")).textContent).toBe("Default");
    expect(row("local").querySelector('[data-testid="portal-default"]')).toBeNull();
    expect(q("portal-password-state", row("main")).dataset.stored).toBe("true");
    expect(q("portal-password-state", row("local")).textContent).toContain("No password stored");
    expect(q("portal-empty").hidden).toBe(true);
  });

  it("adds a portal: the password field is a password field, is cleared, and is never shown; then tests it", async () => {
    const b = backend();
    await open();
    expect(q("portal-empty").hidden).toBe(false);
    q("portal-add").click();
    expect(q("portal-form").hidden).toBe(false);
    expect(q<HTMLInputElement>("portal-password").type).toBe("password");
    type("portal-name", "local");
    type("portal-url", "http://127.0.0.1:8089/");
    type("portal-user", "edith");
    type("portal-password", SECRET);
    q("portal-save").click();
    await vi.waitFor(() => expect(q("portal-test-result", row("local")).dataset.ok).toBe("true"));
    expect(calls(b, "portal_add")[0].args).toEqual({ name: "local", url: "http://127.0.0.1:8089/", user: "edith", password: SECRET });
    expect(calls(b, "portal_test")[0].args).toEqual({ name: "local" });
    expect(q("portal-test-result", row("local")).textContent).toBe(`✓ ${describeReport(REPORT)}`);
    expect(q("portal-test-result", row("local")).textContent).toContain("Logged in as Edith Moreau (edith · editor)");
    expect(q("portal-note").textContent).toContain("system keyring");
    expect(q("portal-form").hidden).toBe(true);
    expect(q<HTMLInputElement>("portal-password").value).toBe("");
    expect(document.body.innerHTML).not.toContain("abcd");
    expect(document.body.textContent).not.toContain("abcd");
  });

  it("a refused portal keeps the form open with the reason, and nothing is listed", async () => {
    const b = backend();
    await open();
    q("portal-add").click();
    q("portal-save").click();
    expect(q("portal-form-error").textContent).toBe("Enter a name, the site address, the WordPress user, the application password.");
    expect(calls(b, "portal_add")).toHaveLength(0);
    type("portal-name", "main");
    type("portal-url", "http://news.example.org");
    type("portal-user", "desk");
    type("portal-password", SECRET);
    q("portal-save").click();
    await vi.waitFor(() => expect(q("portal-form-error").textContent).toContain("over plain http"));
    expect(q("portal-form").hidden).toBe(false);
    expect(qa("portal-row")).toHaveLength(0);
    expect(q<HTMLInputElement>("portal-password").value).toBe("");
  });

  it("edits a portal: the name stays, an empty password keeps the stored one", async () => {
    const b = backend([{ name: "local", url: "http://127.0.0.1:8089", user: "edith", default: true, password_stored: true }]);
    await open();
    q("portal-edit", row("local")).click();
    expect(q<HTMLInputElement>("portal-name").readOnly).toBe(true);
    expect(q<HTMLInputElement>("portal-url").value).toBe("http://127.0.0.1:8089");
    expect(q<HTMLInputElement>("portal-password").value).toBe("");
    expect(q<HTMLInputElement>("portal-password").placeholder).toContain("keep the stored password");
    type("portal-user", "ana");
    q("portal-save").click();
    await vi.waitFor(() => expect(calls(b, "portal_edit")).toHaveLength(1));
    expect(calls(b, "portal_edit")[0].args).toEqual({ name: "local", url: "http://127.0.0.1:8089", user: "ana", password: null });
    await vi.waitFor(() => expect(row("local").textContent).toContain("user ana"));

    q("portal-edit", row("local")).click();
    type("portal-password", "new secret");
    q("portal-save").click();
    await vi.waitFor(() => expect(calls(b, "portal_edit")).toHaveLength(2));
    expect(calls(b, "portal_edit")[1].args.password).toBe("new secret");
    await vi.waitFor(() => expect(q("portal-note").textContent).toContain("No system keyring here"));
  });

  it("removes a portal after a second click, and makes another the default", async () => {
    const b = backend([
      { name: "main", url: "https://news.example.org", user: "desk", default: true, password_stored: true },
      { name: "local", url: "http://127.0.0.1:8089", user: "edith", default: false, password_stored: true },
    ]);
    await open();
    q("portal-make-default", row("local")).click();
    await vi.waitFor(() => expect(row("local").dataset.default).toBe("true"));
    expect(calls(b, "portal_set_default")[0].args).toEqual({ name: "local" });
    q("portal-remove", row("main")).click();
    expect(calls(b, "portal_remove")).toHaveLength(0);
    expect(q("portal-remove", row("main")).textContent).toContain("and its password");
    q("portal-remove", row("main")).click();
    await vi.waitFor(() => expect(qa("portal-row").map((r) => r.dataset.name)).toEqual(["local"]));
    expect(calls(b, "portal_remove")[0].args).toEqual({ name: "main" });
  });

  it("a failed test says why", async () => {
    const b = backend([{ name: "local", url: "http://127.0.0.1:8089", user: "edith", default: true, password_stored: true }]);
    b.test = () => {
      throw { code: "unauthorized", message: "the portal refused user `edith`" };
    };
    await open();
    q("portal-test", row("local")).click();
    await vi.waitFor(() => expect(q("portal-test-result", row("local")).dataset.ok).toBe("false"));
    expect(q("portal-test-result", row("local")).textContent).toBe("✗ the portal refused user `edith`");
    expect(q<HTMLButtonElement>("portal-test", row("local")).disabled).toBe(false);
    b.test = () => {
      throw { code: "no_password", message: "no password for portal `local`: run `newsroom portal add local --url … --user …` again" };
    };
    q("portal-test", row("local")).click();
    await vi.waitFor(() => expect(q("portal-test-result", row("local")).textContent).toBe("✗ No password stored for local: Edit it and enter the application password."));
  });

  it("opened at Portals with none: says so and offers to add one", async () => {
    backend();
    await open("portals");
    expect(q("portal-empty").hidden).toBe(false);
    await vi.waitFor(() => expect(document.activeElement).toBe(q("portal-add")));
  });
});
