import "./styles.css";
import { App } from "./app";
import { perfMark } from "./perfLog";

perfMark("script-start");

const mount = document.getElementById("app")!;
const app = new App(mount);
perfMark("app-built");

void app.start().catch((e: unknown) => {
  const message = e && typeof e === "object" && "message" in e ? String((e as { message: unknown }).message) : String(e);
  // folderProblem's message names the folder already
  const line = message.startsWith("Could not open the folder") ? message : `Could not open the drafts folder: ${message}`;
  app.errorBanner.show(`${line}. Open another one in Settings.`);
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
