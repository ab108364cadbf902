//! The `syncplan` command line: the same engine as the web app, natively.
#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    syncplan::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
