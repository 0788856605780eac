import { describe, expect, it, vi } from "vitest";
import { ipc, type Settings } from "../src/ipc";
import { openSettings } from "../src/settings";
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
