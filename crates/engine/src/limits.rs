//! How much input syncplan reads, checked from the sizes alone before a byte is read.
//!
//! Reading holds every file's bytes, its decoded text, its parsed rows and the org model at
//! once: at peak several times the input size. A browser tab gets a few gigabytes at most
//! (a 32-bit WebAssembly memory is capped at 4 GiB, and tabs are killed well before that), so
//! the web app reads at most [`BROWSER`]; the command line reads up to [`CLI`]. Over the
//! limit, [`check_sizes`] returns one `E-TOO-LARGE` error per file that is too large and one
//! for the total, each saying what the limit is and how to split the export.

use super::diag::Diagnostic;
use crate::codes::Code;

/// Size limits, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest single file.
    pub per_file: u64,
    /// All files together.
    pub total: u64,
    /// Where these limits apply, for messages: `in the browser`, `on the command line`.
    pub place: &'static str,
    /// Whether to point at the command line, which reads more.
    pub suggest_cli: bool,
}

const MB: u64 = 1_000_000;

/// The web app: 100 MB per file (some 300,000 users), 250 MB in all.
pub const BROWSER: Limits = Limits {
    per_file: 100 * MB,
    total: 250 * MB,
    place: "in the browser",
    suggest_cli: true,
};

/// The command line: 1 GB per file, 2 GB in all.
pub const CLI: Limits = Limits {
    per_file: 1000 * MB,
    total: 2000 * MB,
    place: "on the command line",
    suggest_cli: false,
};

/// `812 MB`, `1.5 GB`; sizes are rounded up so that a size over a limit never shows as the
/// limit itself.
pub fn human(bytes: u64) -> String {
    if bytes >= 1000 * MB {
        let tenths = bytes.div_ceil(100 * MB);
        format!("{}.{} GB", tenths / 10, tenths % 10)
    } else if bytes >= MB {
        format!("{} MB", bytes.div_ceil(MB))
    } else {
        format!("{} KB", bytes.div_ceil(1000))
    }
}

/// Check the sizes of the files about to be read (`(name, size in bytes)`): no diagnostic
/// when they may be read, else an `E-TOO-LARGE` error per file over [`Limits::per_file`] and
/// one when the total is over [`Limits::total`].
pub fn check_sizes<'a>(
    files: impl IntoIterator<Item = (&'a str, u64)>,
    limits: &Limits,
) -> Vec<Diagnostic> {
    let cli = if limits.suggest_cli {
        format!(
            "; or use the command line (`syncplan plan`), which reads files up to {}",
            human(CLI.per_file)
        )
    } else {
        String::new()
    };
    let mut out = Vec::new();
    let mut total = 0u64;
    let mut count = 0usize;
    for (name, size) in files {
        total = total.saturating_add(size);
        count += 1;
        if size > limits.per_file {
            let parts = size.div_ceil(limits.per_file.max(1));
            out.push(
                Diagnostic::error(
                    Code::ETooLarge,
                    format!(
                        "`{name}` is {}, more than the {} syncplan reads per file {}, so it was not read: export it in {parts} or more parts of at most {} each, every part with the header row (for example by ranges of `CreatedDate` or `Id`), and add all the parts{cli}",
                        human(size),
                        human(limits.per_file),
                        limits.place,
                        human(limits.per_file),
                    ),
                )
                .in_file(name),
            );
        }
    }
    // One file over the total is over the per-file limit too: say it once.
    if total > limits.total && (count > 1 || out.is_empty()) {
        let cli = if limits.suggest_cli {
            format!(
                "; or use the command line (`syncplan plan`), which reads up to {} in all",
                human(CLI.total)
            )
        } else {
            String::new()
        };
        out.push(Diagnostic::error(
            Code::ETooLarge,
            format!(
                "the {count} files add up to {}, more than the {} syncplan reads at once {}, so nothing was read: leave out exports the plan does not need (UserLogin, PermissionSetAssignment), keep only the columns syncplan reads, or plan one business unit's AE users export at a time{cli}",
                human(total),
                human(limits.total),
                limits.place,
            ),
        ));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_for_people() {
        assert_eq!(human(999), "1 KB");
        assert_eq!(human(100 * MB), "100 MB");
        assert_eq!(human(100 * MB + 1), "101 MB");
        assert_eq!(human(1500 * MB), "1.5 GB");
        assert_eq!(human(u64::MAX), "18446744073.8 GB");
    }

    #[test]
    fn under_the_limits_nothing_is_said() {
        assert!(check_sizes([("users.csv", 100 * MB), ("ae.csv", 100 * MB)], &BROWSER).is_empty());
        assert!(check_sizes([], &BROWSER).is_empty());
    }

    #[test]
    fn a_file_too_large_for_the_browser() {
        let d = check_sizes([("users.csv", 812 * MB)], &BROWSER);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::ETooLarge);
        assert_eq!(d[0].file.as_deref(), Some("users.csv"));
        assert_eq!(
            d[0].message,
            "`users.csv` is 812 MB, more than the 100 MB syncplan reads per file in the browser, so it was not read: export it in 9 or more parts of at most 100 MB each, every part with the header row (for example by ranges of `CreatedDate` or `Id`), and add all the parts; or use the command line (`syncplan plan`), which reads files up to 1.0 GB"
        );
        let d = check_sizes([("users.csv", 812 * MB), ("ae.csv", MB)], &BROWSER);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(
            d[1].message,
            "the 2 files add up to 813 MB, more than the 250 MB syncplan reads at once in the browser, so nothing was read: leave out exports the plan does not need (UserLogin, PermissionSetAssignment), keep only the columns syncplan reads, or plan one business unit's AE users export at a time; or use the command line (`syncplan plan`), which reads up to 2.0 GB in all"
        );
        // The command line reads it.
        assert!(check_sizes([("users.csv", 812 * MB)], &CLI).is_empty());
    }

    #[test]
    fn the_total_counts_and_does_not_overflow() {
        let d = check_sizes(
            [("a.csv", 90 * MB), ("b.csv", 90 * MB), ("c.csv", 90 * MB)],
            &BROWSER,
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].file.is_none());
        assert!(d[0].message.starts_with("the 3 files add up to 270 MB"));
        let d = check_sizes([("a.csv", u64::MAX), ("b.csv", u64::MAX)], &CLI);
        assert_eq!(d.len(), 3);
        assert!(!d[2].message.contains("command line (`syncplan plan`)"));
    }
}
