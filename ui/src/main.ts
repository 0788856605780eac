import "./styles.css";
import { App } from "./app";
import { perfMark } from "./perfLog";

perfMark("script-start");

const mount = document.getElementById("app")!;
const app = new App(mount);
perfMark("app-built");

void app.start().catch((e: unknown) => {
  const message = e && typeof e === "object" && "message" in e ? String((e as { message: unknown }).message) : String(e);
  app.errorBanner.show(`Could not open the drafts folder: ${message}. Open another one in Settings.`);
});

// Save before the window closes: Tauri waits for this handler, then closes unless prevented.
void import("@tauri-apps/api/window")
  .then(({ getCurrentWindow }) =>
    getCurrentWindow().onCloseRequested(async (event) => {
      if (!(await app.beforeClose())) event.preventDefault();
    }),
  )
  .catch(() => {
    // not inside Tauri
  });
