//! `make contract`: writes the page's generated types (see `newsroom_api::contract`) into
//! the folder given (default `ui/src/generated`, from the repository's top).

fn main() {
    let dir = std::env::args_os()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| newsroom_api::contract::GENERATED_DIR.into());
    if let Err(e) = newsroom_api::contract::write(&dir) {
        eprintln!("newsroom-contract: cannot write {}: {e}", dir.display());
        std::process::exit(1);
    }
    println!("newsroom-contract: wrote {}", dir.display());
}
