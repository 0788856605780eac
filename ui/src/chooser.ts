/**
 * The system's own file and folder choosers (tauri-plugin-dialog; capabilities/default.json
 * allows only its open and save). They hand back a path and nothing else: the path then goes
 * to the app's own commands (`open_workspace`, `export_html`, `import_image_file`), which
 * check it as they check a typed one. The plugin's two commands are called here directly
 * (no npm wrapper), so what the page asks of the plugin is in this one file.
 *
 * A chooser that cannot open (no GTK dialog or portal: headless runs, some sandboxes)
 * answers `unavailable`, and each caller falls back to its typed-path field.
 */
import { invoke } from "@tauri-apps/api/core";

export type Chosen = { kind: "chosen"; path: string } | { kind: "cancelled" } | { kind: "unavailable"; reason: string };

/** The image types Insert Image and the featured image offer (the core accepts these and svg). */
export const IMAGE_EXTENSIONS = ["png", "jpg", "jpeg", "gif", "webp", "avif"];

interface DialogFilter {
  name: string;
  extensions: string[];
}

async function ask(command: "open" | "save", options: Record<string, unknown>): Promise<Chosen> {
  let answer: unknown;
  try {
    answer = await invoke(`plugin:dialog|${command}`, { options });
  } catch (e) {
    return { kind: "unavailable", reason: e instanceof Error ? e.message : String(e) };
  }
  const path = Array.isArray(answer) ? answer[0] : answer;
  return typeof path === "string" && path ? { kind: "chosen", path } : { kind: "cancelled" };
}

/** Open Folder: a folder of drafts. */
export function chooseFolder(title = "Open a drafts folder"): Promise<Chosen> {
  return ask("open", { title, directory: true, multiple: false });
}

/** Export: where to save, starting at `defaultPath` (a suggested file). */
export function chooseSaveFile(title: string, defaultPath: string, filters: DialogFilter[]): Promise<Chosen> {
  return ask("save", { title, ...(defaultPath ? { defaultPath } : {}), filters });
}

/** Insert Image, the featured image: one image file. */
export function chooseImage(title = "Insert an image"): Promise<Chosen> {
  return ask("open", { title, multiple: false, directory: false, filters: [{ name: "Images", extensions: IMAGE_EXTENSIONS }] });
}
