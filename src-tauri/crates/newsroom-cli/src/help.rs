//! `newsroom completions SHELL` and `newsroom man`: generated from the same clap
//! definition as `--help`, so they never disagree with the binary.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory};
use newsroom_core::{CoreError, Result};

use crate::Cli;

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    pub shell: clap_complete::Shell,
}

pub fn completions(a: CompletionsArgs) -> Result<ExitCode> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "newsroom", &mut script);
    out!("{}", String::from_utf8_lossy(&script));
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct ManArgs {
    /// Write `newsroom.1` and one page per command (`newsroom-list.1`, …) into this
    /// folder instead of printing `newsroom.1`.
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub out_dir: Option<PathBuf>,
}

pub fn man(a: ManArgs) -> Result<ExitCode> {
    let cmd = Cli::command();
    match a.out_dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
            clap_mangen::generate_to(cmd, &dir).map_err(|e| io(&dir, e))?;
            eprintln!("newsroom: manual pages written to {}", dir.display());
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut page)
                .map_err(|e| io(std::path::Path::new("newsroom.1"), e))?;
            out!("{}", String::from_utf8_lossy(&page));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn io(path: &std::path::Path, source: std::io::Error) -> CoreError {
    CoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and subcommand, with its path (`newsroom portal add`).
    fn all(cmd: &clap::Command, path: String, out: &mut Vec<(String, clap::Command)>) {
        for sub in cmd.get_subcommands() {
            let p = format!("{path} {}", sub.get_name());
            out.push((p.clone(), sub.clone()));
            all(sub, p, out);
        }
    }

    #[test]
    fn every_option_has_help_and_every_command_an_example() {
        let cli = Cli::command();
        cli.clone().debug_assert();
        let mut cmds = vec![("newsroom".to_owned(), cli.clone())];
        all(&cli, "newsroom".to_owned(), &mut cmds);
        for (path, cmd) in &cmds {
            assert!(cmd.get_about().is_some(), "{path}: no about");
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                assert!(arg.get_help().is_some(), "{path} {id}: no help text");
            }
            let has_subcommands = cmd.get_subcommands().next().is_some();
            if path != "newsroom" && !has_subcommands {
                let after = cmd
                    .get_after_help()
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                assert!(after.contains("Example"), "{path}: no example");
            }
            let text = format!("{:?}", cmd.get_about()) + &format!("{:?}", cmd.get_long_about());
            assert!(
                !text.contains("docs/"),
                "{path}: points to the repository's docs"
            );
        }
    }
}
