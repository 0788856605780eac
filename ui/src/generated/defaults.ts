// Generated from the Rust types by `make contract` (newsroom-api, src/contract/).
// Do not edit: change the Rust type and run `make contract`.
import type { Role, Settings, Status } from "./contract";

/** The newsroom's sections until the settings say otherwise. */
export const DEFAULT_CATEGORIES: readonly string[] = [
  "Business",
  "Entertainment",
  "Environment",
  "Health",
  "News Analysis",
  "Opinion",
  "Science",
  "Sports",
  "Technology",
  "World",
];

/** What `get_settings` answers before the user changed anything. */
export const DEFAULT_SETTINGS: Settings = {
  "user_name": "",
  "user_email": "",
  "role": "reporter",
  "categories": [
    "Business",
    "Entertainment",
    "Environment",
    "Health",
    "News Analysis",
    "Opinion",
    "Science",
    "Sports",
    "Technology",
    "World"
  ],
  "recent_folders": [],
  "last_folder": null,
  "theme": "system",
  "watch": "auto",
  "sync_auto": true,
  "sync_interval_minutes": 5
};

/** How many folders "Open recent" remembers. */
export const MAX_RECENT_FOLDERS = 10;

/** `list_drafts`'s page size when none is given, and the most one page carries. */
export const DRAFTS_PAGE = 200;
export const MAX_DRAFTS_PAGE = 1000;

/** The workflow's statuses, in order. */
export const STATUSES: readonly Status[] = ["draft", "in-review", "changes-requested", "approved", "scheduled", "published"];

/** The roles, as Settings offers them. */
export const ROLES: readonly Role[] = ["reporter", "editor", "desk"];
