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
