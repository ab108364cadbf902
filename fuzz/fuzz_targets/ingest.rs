//! Any bytes as any export: the first byte picks the file name and an encoding override, the
//! rest is the file. Ingestion must not panic, and every row read is used or rejected.
#![no_main]

use libfuzzer_sys::fuzz_target;
use syncplan::engine::ingest::{ingest, IngestOptions};
use syncplan::engine::InputFile;

const NAMES: [&str; 8] = [
    "users.csv",
    "ae-users.csv",
    "profiles.csv",
    "roles.csv",
    "groups.csv",
    "group-members.csv",
    "export.txt",
    "README.md",
];
const ENCODINGS: [Option<&str>; 4] = [
    None,
    Some("windows-1252"),
    Some("utf-16le"),
    Some("nonsense"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let opts = IngestOptions {
        encoding: ENCODINGS[usize::from(pick >> 4) % ENCODINGS.len()].map(str::to_string),
    };
    let files = [InputFile {
        name: name.to_string(),
        bytes: bytes.to_vec(),
    }];
    let ing = ingest(&files, &opts);
    for f in &ing.files {
        assert_eq!(f.rows_read, f.rows_used + f.rows_rejected, "{}", f.file);
        for d in &f.diagnostics {
            assert!(
                d.message.chars().count() < 2000,
                "message too long: {}",
                d.code
            );
        }
    }
});
