//! `newsroom config`: where the settings and indexes are, and who the settings say you are.
//!
//! The same files the desktop app uses ([`newsroom_core::user_dirs`]): the name and role
//! set in the app's Settings are what `submit`, `approve` and `new` fall back on.

use std::process::ExitCode;

use clap::Args;
use newsroom_core::Result;
use newsroom_core::settings::SettingsFile;
use newsroom_core::user_dirs::{self, UserDirs};

#[derive(Args)]
pub struct ConfigArgs {
    /// One JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The name set in the app's Settings (the shared `settings.json`), when there is one:
/// the default of `--as` and of `new --author`.
pub fn settings_name() -> Option<String> {
    let name = SettingsFile::shared().load().user_name;
    (!name.trim().is_empty()).then_some(name)
}

pub fn config(a: ConfigArgs) -> Result<ExitCode> {
    let dirs = UserDirs::from_env();
    let file = SettingsFile::in_dir(&dirs.config);
    let settings = file.load();
    if a.json {
        crate::output::json(&serde_json::json!({
            "config_dir": dirs.config,
            "data_dir": dirs.data,
            "settings_file": file.path(),
            "portals_file": dirs.portals_file(),
            "user_name": Some(&settings.user_name).filter(|n| !n.is_empty()),
            "user_email": Some(&settings.user_email).filter(|n| !n.is_empty()),
            "role": settings.role,
            "categories": settings.categories,
        }));
        return Ok(ExitCode::SUCCESS);
    }
    let name = if settings.user_name.is_empty() {
        "(not set: the app's Settings, or --as NAME)"
    } else {
        settings.user_name.as_str()
    };
    outln!("config folder  {}", user_dirs::display(&dirs.config));
    outln!("data folder    {}", user_dirs::display(&dirs.data));
    outln!("name           {name}");
    if !settings.user_email.is_empty() {
        outln!("email          {}", settings.user_email);
    }
    outln!("role           {}", settings.role.as_str());
    outln!("categories     {}", settings.categories.join(", "));
    Ok(ExitCode::SUCCESS)
}
