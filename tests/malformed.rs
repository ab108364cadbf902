//! The malformed-input suite: every file (or folder) under `tests/malformed/` is read by
//! `syncplan inspect --format json`, and its exit code, per-file accounting and every
//! diagnostic (file, line, column, severity, code, message) must be exactly those in
//! `tests/malformed/expected.json`. `tests/malformed/make.py` writes the inputs; the big ones
//! (a 1 MB field, 100,000 columns) are generated here instead of committed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed")
}

/// Run `syncplan inspect --format json` on `path`: the exit code and the JSON.
fn inspect(path: &Path) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_syncplan"))
        .args(["inspect", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: no JSON on stdout ({e}); stderr: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), doc)
}

/// The part of the JSON the table pins down.
fn summary(exit: i32, doc: &Value) -> Value {
    let mut files = serde_json::Map::new();
    let mut diags = Vec::new();
    for f in doc["files"].as_array().unwrap() {
        files.insert(
            f["file"].as_str().unwrap().to_string(),
            json!({
                "kind": f["kind"],
                "encoding": f["encoding"],
                "read": f["rows_read"],
                "used": f["rows_used"],
                "rejected": f["rows_rejected"],
            }),
        );
        assert_eq!(
            f["rows_read"].as_u64().unwrap(),
            f["rows_used"].as_u64().unwrap() + f["rows_rejected"].as_u64().unwrap(),
            "{}: every row read is used or rejected",
            f["file"]
        );
        diags.extend(f["diagnostics"].as_array().unwrap().iter().cloned());
    }
    diags.extend(doc["diagnostics"].as_array().unwrap().iter().cloned());
    let diags: Vec<Value> = diags
        .iter()
        .map(|d| {
            json!({
                "file": d["file"], "line": d["line"], "column": d["column"],
                "severity": d["severity"], "code": d["code"], "message": d["message"],
            })
        })
        .collect();
    json!({ "exit": exit, "files": files, "diagnostics": diags })
}

#[test]
fn every_malformed_input_gets_its_exact_diagnostics() {
    let table: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir().join("expected.json")).unwrap())
            .unwrap();
    assert!(table.len() >= 30, "the suite has {} inputs", table.len());
    let listed: BTreeSet<String> = table
        .iter()
        .map(|c| c["input"].as_str().unwrap().to_string())
        .collect();
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !matches!(n.as_str(), "expected.json" | "make.py" | "README.md"))
        .collect();
    assert_eq!(listed, on_disk, "every input has a row in expected.json");
    let mut failures = Vec::new();
    for case in &table {
        let input = case["input"].as_str().unwrap();
        let (exit, doc) = inspect(&dir().join(input));
        let got = summary(exit, &doc);
        let want = json!({
            "exit": case["exit"], "files": case["files"], "diagnostics": case["diagnostics"],
        });
        if got != want {
            failures.push(format!(
                "{input} ({}):\n  want {want}\n  got  {got}",
                case["what"].as_str().unwrap_or("")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const USER_HEADER: &str = "Id,Username,Email,FirstName,LastName,IsActive,UserType,ProfileId,Title";
const USER_ROW: &str =
    "005000000000001AAA,u@x.example,u@x.example,Ann,Lee,true,Standard,00e000000000001AAA";

/// Write a generated input to a fresh folder and inspect it.
fn inspect_generated(name: &str, bytes: &[u8]) -> Value {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("malformed-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let (exit, doc) = inspect(&path);
    summary(exit, &doc)
}

#[test]
fn a_one_megabyte_field_is_read_said_and_shortened_in_messages() {
    let title = "T".repeat(1 << 20);
    let got = inspect_generated(
        "big-title.csv",
        format!("{USER_HEADER}\n{USER_ROW},{title}\n").as_bytes(),
    );
    assert_eq!(got["exit"], 0, "{got}");
    assert_eq!(got["files"]["big-title.csv"]["used"], 1);
    let long = |file: &str, column: u64| {
        json!({
            "file": file, "line": 2, "column": column, "severity": "warning", "code": "W-LONG-VALUE",
            "message": "this value is 1048576 characters long, longer than any Salesforce field (131072): the export may be damaged; it was read as it is",
        })
    };
    assert_eq!(got["diagnostics"], json!([long("big-title.csv", 9)]));

    let id = "0".repeat(1 << 20);
    let got = inspect_generated(
        "big-id.csv",
        format!("{USER_HEADER}\n{id},u@x.example,u@x.example,Ann,Lee,true,Standard,00e000000000001AAA,T\n")
            .as_bytes(),
    );
    assert_eq!(got["exit"], 1);
    assert_eq!(
        got["diagnostics"],
        json!([long("big-id.csv", 1), {
            "file": "big-id.csv", "line": 2, "column": 1, "severity": "error", "code": "E-ID",
            "message": format!("column `Id` holds `{}…` (1048576 characters in all), which is not a valid user id: it is 1048576 characters long, not 15 or 18", "0".repeat(80)),
        }])
    );
}

#[test]
fn one_hundred_thousand_columns() {
    let header: Vec<String> = (1..=100_000).map(|i| format!("c{i}")).collect();
    let row = vec!["x"; 100_000].join(",");
    let got = inspect_generated(
        "wide.csv",
        format!("{}\n{row}\n", header.join(",")).as_bytes(),
    );
    assert_eq!(got["exit"], 2);
    assert_eq!(
        got["diagnostics"],
        json!([{
            "file": "wide.csv", "line": 1, "column": null, "severity": "error",
            "code": "E-NOT-RECOGNISED",
            "message": "not recognised: the first line (`c1`, `c2`, `c3`, `c4`, `c5`, `c6`, `c7`, `c8`) is not the header of any export syncplan reads; a User export needs `Id`, `Username`, `IsActive` and `ProfileId` or `Profile.Name`",
        }])
    );

    // A User export with 100,000 extra columns is read; the extra columns are ignored.
    let got = inspect_generated(
        "wide-users.csv",
        format!("{USER_HEADER},{}\n{USER_ROW},T,{row}\n", header.join(",")).as_bytes(),
    );
    assert_eq!(got["exit"], 0, "{got}");
    assert_eq!(got["files"]["wide-users.csv"]["used"], 1);
    assert_eq!(got["diagnostics"], json!([]));

    // 100,000 columns and a short row: one error at the right line and column.
    let got = inspect_generated(
        "wide-ragged.csv",
        format!(
            "{USER_HEADER},{}\n{USER_ROW},T,{row}\nshort,row\n",
            header.join(",")
        )
        .as_bytes(),
    );
    assert_eq!(got["files"]["wide-ragged.csv"]["used"], 1);
    assert_eq!(
        got["diagnostics"],
        json!([{
            "file": "wide-ragged.csv", "line": 3, "column": 3, "severity": "error",
            "code": "E-RAGGED", "message": "this row has 2 fields but the header has 100009",
        }])
    );
}

#[test]
fn a_file_too_large_is_reported_before_it_is_read() {
    // A sparse file just over the command line's limit: its size is checked, its bytes are
    // never read (reading 1 GB here would take seconds and memory).
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("malformed-too-large");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("users.csv");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(syncplan::engine::limits::CLI.per_file + 1)
        .unwrap();
    drop(f);
    let (exit, doc) = inspect(&path);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(exit, 2, "{doc}");
    assert_eq!(doc["files"], json!([]));
    assert_eq!(
        doc["unreadable"],
        json!([{
            "path": path.display().to_string(),
            "reason": "`users.csv` is 1.1 GB, more than the 1.0 GB syncplan reads per file on the command line, so it was not read: export it in 2 or more parts of at most 1.0 GB each, every part with the header row (for example by ranges of `CreatedDate` or `Id`), and add all the parts",
        }])
    );
}
