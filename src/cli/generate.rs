//! `syncplan generate`: write a deterministic synthetic org (see [`crate::generate`]) into a
//! folder, ready for `syncplan inspect DIR` and `syncplan plan DIR`.
use std::path::Path;
use std::process::ExitCode;

use crate::generate::{generate, Config};

pub fn run(users: usize, seed: u64, out: &Path) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("syncplan: cannot create `{}`: {e}", out.display());
        return ExitCode::from(2);
    }
    let files = generate(Config { users, seed });
    let mut total = 0usize;
    for f in &files {
        let path = out.join(&f.name);
        if let Err(e) = std::fs::write(&path, &f.bytes) {
            eprintln!("syncplan: cannot write `{}`: {e}", path.display());
            return ExitCode::from(2);
        }
        total += f.bytes.len();
    }
    eprintln!(
        "wrote {} files ({:.1} MB) for {users} users (seed {seed}) to {}",
        files.len(),
        total as f64 / 1e6,
        out.display()
    );
    ExitCode::SUCCESS
}
