import { describe, expect, it, vi } from "vitest";
import { ipc, type Settings } from "../src/ipc";
import { openSettings, syncMinutes } from "../src/settings";
import { fakeIpc, settings, useWindowHarness } from "./harness";

useWindowHarness();

const q = <T extends HTMLElement = HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`)!;

describe("Settings → email and live updates of the drafts folder", () => {
  it("shows the saved mode and saves the one chosen (a shared drive forced to polling)", async () => {
    const fake = fakeIpc(() => null);
    const saved: Settings[] = [];
    fake.answer = async (cmd, args) => {
      if (cmd === "save_settings") {
        saved.push(args.settings as Settings);
        return args.settings;
      }
      if (cmd === "portal_profiles") return [];
      return null;
    };
    const hooks = { saved: vi.fn(), openFolder: async () => undefined };
    openSettings(ipc, settings({ watch: "events" }), hooks);
    const select = q<HTMLSelectElement>("settings-watch");
    expect(select.value).toBe("events");
    expect([...select.options].map((o) => o.value)).toEqual(["auto", "events", "poll"]);
    select.value = "poll";
    q<HTMLInputElement>("settings-email").value = " ana@desk.example ";
    q("settings-dialog")
      .querySelector("form")!
      .dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(hooks.saved).toHaveBeenCalledOnce());
    expect(saved).toHaveLength(1);
    expect(saved[0].watch).toBe("poll");
    expect(saved[0].user_name).toBe("Ana");
    expect(saved[0].user_email).toBe("ana@desk.example");
  });
});

describe("Settings → Sync", () => {
  it("shows and saves automatic sync and its interval, a nonsense interval keeping the old one", async () => {
    const fake = fakeIpc(() => null);
    const saved: Settings[] = [];
    fake.answer = async (cmd, args) => {
      if (cmd === "save_settings") {
        saved.push(args.settings as Settings);
        return args.settings;
      }
      if (cmd === "portal_profiles") return [];
      return null;
    };
    const submit = () =>
      q("settings-dialog")
        .querySelector("form")!
        .dispatchEvent(new Event("submit", { cancelable: true }));
    const hooks = { saved: vi.fn(), openFolder: async () => undefined };
    openSettings(ipc, settings({ sync_auto: true, sync_interval_minutes: 5 }), hooks);
    expect(q<HTMLInputElement>("settings-sync-auto").checked).toBe(true);
    expect(q<HTMLInputElement>("settings-sync-interval").value).toBe("5");
    q<HTMLInputElement>("settings-sync-auto").checked = false;
    q<HTMLInputElement>("settings-sync-interval").value = "15";
    submit();
    await vi.waitFor(() => expect(saved).toHaveLength(1));
    expect([saved[0].sync_auto, saved[0].sync_interval_minutes]).toEqual([false, 15]);

    document.body.replaceChildren();
    openSettings(ipc, settings({ sync_interval_minutes: 10 }), hooks);
    q<HTMLInputElement>("settings-sync-interval").value = "0";
    submit();
    await vi.waitFor(() => expect(saved).toHaveLength(2));
    expect(saved[1].sync_interval_minutes).toBe(10);
  });
});

describe("syncMinutes", () => {
  it("takes whole minutes from 1 to a day", () => {
    expect([syncMinutes("7", 5), syncMinutes("2.6", 5), syncMinutes("", 5), syncMinutes("-3", 5), syncMinutes("99999", 5)]).toEqual([7, 3, 5, 5, 1440]);
  });
});
