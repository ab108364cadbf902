//! The command line reads its exports on a second thread, one file ahead of the typing
//! (`cli::ingest_inputs`): what it reads must be what the engine's `ingest` makes of the same
//! files in memory, and a file that cannot be read is reported, not lost.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use syncplan::engine::ingest::{ingest, IngestOptions};
use syncplan::engine::InputFile;

#[test]
fn reading_on_a_second_thread_ingests_what_ingest_does() {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/demo");
    let missing = demo.join("no-such-export.csv");
    let found = syncplan::cli::read_inputs(&[demo.clone(), missing.clone()]);
    assert!(found.unreadable.is_empty());
    // The folder's files (its README too, which is skipped as documentation) and the missing one.
    assert!(found.files.len() >= 11, "{:?}", found.files);

    let opts = IngestOptions::default();
    let read = syncplan::cli::ingest_inputs(&found.files, &opts);
    assert_eq!(read.unreadable.len(), 1);
    assert_eq!(read.unreadable[0].0, missing);
    assert_eq!(read.files_read, found.files.len() - 1);

    let in_memory: Vec<InputFile> = found
        .files
        .iter()
        .filter(|f| f.path != missing)
        .map(|f| InputFile {
            name: f.name.clone(),
            bytes: std::fs::read(&f.path).unwrap(),
        })
        .rev() // ingest sorts by name, as ingest_inputs does
        .collect();
    let expected = ingest(&in_memory, &opts);
    assert!(!expected.org.users.is_empty());
    assert!(expected.diagnostics.iter().any(|d| d.code == "I-SKIPPED"));
    assert_eq!(read.ingested, expected);
}

/// `plan` with no export to read says which of two things happened: nothing was found, or what
/// was found could not be read (each file named with why).
#[test]
fn plan_says_whether_nothing_was_found_or_nothing_could_be_read() {
    let dir = std::env::temp_dir().join(format!("syncplan-none-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plan = |input: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_syncplan"))
            .arg("plan")
            .arg(input)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, err) = plan(&dir);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "syncplan: no export file was found in the inputs given\n"
    );
    let missing = dir.join("users.csv");
    let (code, err) = plan(&missing);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with(&format!("syncplan: cannot read `{}`: ", missing.display())),
        "{err}"
    );
    assert!(
        err.ends_with("syncplan: none of the export files given could be read\n"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
