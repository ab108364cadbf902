//! Command-line options that every command shares: `--encoding` overrides detection.
#![allow(clippy::unwrap_used)]

use std::process::Command;

#[test]
fn encoding_override_wins_over_detection() {
    let dir = std::env::temp_dir().join(format!("syncplan-enc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("users.csv");
    // `Šerbić` in Windows-1252 (0x8A is Š there, a control character in ISO-8859-1).
    std::fs::write(
        &file,
        b"Id,Username,Email,IsActive,ProfileId,LastName\n005000000000001,a@x.example,a@x.example,true,00e000000000001,\x8aerbi\xe6\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_syncplan"))
            .args(["inspect", "--format", "json"])
            .arg(&file)
            .args(extra)
            .env_remove("SYNCPLAN_ENCODING")
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["files"][0].clone()
    };
    let detected = run(&[]);
    assert_eq!(detected["encoding"], "windows-1252");
    assert_eq!(detected["rows_used"], 1);
    let forced = run(&["--encoding", "utf-16le"]);
    assert_eq!(forced["encoding"], "UTF-16LE");
    assert_eq!(forced["kind"], "Unknown");
    std::fs::remove_dir_all(&dir).unwrap();
}
