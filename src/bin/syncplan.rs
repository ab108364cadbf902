//! The `syncplan` command line: the same engine as the web app, natively.

/// mimalloc instead of glibc's allocator: glibc hands each export's memory back to the system
/// once it is read and asks for it again for the next, so that half of a 1M-user run's page
/// faults were the kernel zeroing memory the program already had (docs/performance.md).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    keep_freed_memory();
    syncplan::cli::main()
}

/// Tell mimalloc never to hand freed memory back to the system (`purge_delay` -1, as
/// `MIMALLOC_PURGE_DELAY=-1` would): a run reads one export after another, and memory handed back
/// is zeroed again by the kernel when asked for again (a 1M-user plan: 15,000–17,000 → 2,000 page
/// faults, 16.0–19.9 → 14.6–15.7 s, peak 3.51 → 3.54 GB). The process is short-lived; the memory
/// goes back at exit. `MIMALLOC_PURGE_DELAY` in the environment still wins.
#[cfg(not(target_arch = "wasm32"))]
fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (include/mimalloc.h); the crate's
    // Rust bindings predate it. Its default is 1000 (ms, src/options.c): anything else means
    // the numbering changed (or the environment set it), and then nothing is set.
    const PURGE_DELAY: std::ffi::c_int = 15;
    extern "C" {
        fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    // SAFETY: both are plain functions of the mimalloc linked in as the global allocator, safe to
    // call at any time with any option number.
    unsafe {
        if mi_option_get(PURGE_DELAY) == 1000 {
            mi_option_set(PURGE_DELAY, -1);
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
