//! The `syncplan` command line: the same engine as the web app, natively.

/// mimalloc instead of glibc's allocator: glibc hands each export's memory back to the system
/// once it is read and asks for it again for the next, so that half of a 1M-user run's page
/// faults were the kernel zeroing memory the program already had (README, Performance).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    syncplan::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
