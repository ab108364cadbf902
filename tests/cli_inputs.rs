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

/// Salesforce's weekly Data Export as it comes: two zip archives holding one CSV per object of
/// the org (those syncplan reads, and accounts, contacts, attachments it does not), one entry
/// stored and the others deflated. Planned as they are, they give the plan of the same CSVs
/// given one by one, and the entries not used are named in one line.
#[test]
fn a_data_export_zip_plans_as_its_csv_files() {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/demo");
    let dir = std::env::temp_dir().join(format!("syncplan-we-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let part = |name: &str, entries: &[(&str, Vec<u8>, SimpleFileOptions)]| {
        let path = dir.join(name);
        let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        for (entry, bytes, opts) in entries {
            z.start_file(*entry, *opts).unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
        path
    };
    let demo_file = |n: &str| std::fs::read(demo.join(n)).unwrap();
    let contacts = b"\"Id\",\"Email\",\"FirstName\",\"LastName\"\r\n\"0033000000AbCdEAAV\",\"ana@acme.example\",\"Ana\",\"Lima\"\r\n".to_vec();
    let attachment = vec![b'x'; 3_000_000];
    let one = part(
        "WE_00D300000001AaAEAU_1.zip",
        &[
            ("Account.csv", b"\"Id\",\"Name\"\r\n".to_vec(), deflated),
            ("Contact.csv", contacts, deflated),
            ("User.csv", demo_file("users.csv"), stored),
            ("UserRole.csv", demo_file("roles.csv"), deflated),
            ("Profile.csv", demo_file("profiles.csv"), deflated),
            ("Attachments/00P3000000AbCdE.bin", attachment, stored),
        ],
    );
    let two = part(
        "WE_00D300000001AaAEAU_2.zip",
        &[
            ("Group.csv", demo_file("groups.csv"), deflated),
            ("GroupMember.csv", demo_file("group-members.csv"), deflated),
            ("UserLicense.csv", demo_file("licenses.csv"), deflated),
            (
                "PermissionSetAssignment.csv",
                demo_file("permission-set-assignments.csv"),
                deflated,
            ),
            ("UserLogin.csv", demo_file("user-logins.csv"), deflated),
            (
                "PardotTenant.csv",
                demo_file("pardot-tenants.csv"),
                deflated,
            ),
            ("Opportunity.csv", b"\"Id\"\r\n".to_vec(), deflated),
        ],
    );
    let run = |args: &[&std::ffi::OsStr]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_syncplan"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        plan
    };
    let scenario = demo.join("syncplan.json");
    let ae = demo.join("ae-users-acme.csv");
    let zipped = run(&[
        "plan".as_ref(),
        one.as_os_str(),
        two.as_os_str(),
        ae.as_os_str(),
        "--scenario".as_ref(),
        scenario.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let unzipped = run(&[
        "plan".as_ref(),
        demo.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(zipped["summary"], unzipped["summary"]);
    assert_eq!(zipped["business_units"], unzipped["business_units"]);
    let files: Vec<&str> = zipped["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"WE_00D300000001AaAEAU_1.zip/User.csv"),
        "{files:?}"
    );
    assert_eq!(files.len(), 10, "{files:?}");
    let unused: Vec<&str> = zipped["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "I-ARCHIVE-UNUSED")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        unused,
        [
            "not used: Account.csv, Contact.csv, Attachments/00P3000000AbCdE.bin",
            "not used: Opportunity.csv"
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The demo org as Setup → Data Export writes it (`tests/fixtures/data-export/make.py`): two
/// archives, every value quoted, CRLF, Western European encoding, no relationship columns, and
/// every empty lookup as the null id. Planned as they come, they give the demo's decisions, and
/// no row is rejected.
#[test]
fn the_data_export_fixture_plans_as_the_demo_org() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let fixture = root.join("tests/fixtures/data-export");
    let demo = root.join("www/demo");
    let run = |args: Vec<std::ffi::OsString>| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_syncplan"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let exported = run(vec![
        "plan".into(),
        fixture.join("WE_00D5g000000demoEAA_1.zip").into(),
        fixture.join("WE_00D5g000000demoEAA_2.zip").into(),
        demo.join("ae-users-acme.csv").into(),
        "--scenario".into(),
        demo.join("syncplan.json").into(),
        "--format".into(),
        "json".into(),
    ]);
    let csv = run(vec![
        "plan".into(),
        demo.clone().into(),
        "--format".into(),
        "json".into(),
    ]);
    assert_eq!(exported["summary"], csv["summary"]);
    let decisions = |plan: &serde_json::Value| -> Vec<(String, String, String, String)> {
        plan["business_units"][0]["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["salesforce_user_id"].to_string(),
                    d["action"].to_string(),
                    d["role"].to_string(),
                    d["reason"]["code"].to_string(),
                )
            })
            .collect()
    };
    assert_eq!(decisions(&exported), decisions(&csv));
    for f in exported["files"].as_array().unwrap() {
        assert_eq!(f["rows_rejected"], 0, "{f}");
        if f["file"].as_str().unwrap().ends_with("User.csv") {
            assert_eq!(f["encoding"], "windows-1252", "{f}");
        }
    }
    let said: Vec<&str> = exported["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "I-ARCHIVE-UNUSED")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        said,
        [
            "not used: Account.csv, Contact.csv, Attachments/00P5g00000At001AAA.pdf",
            "not used: Opportunity.csv"
        ]
    );
}

/// The audit pack says when it was made and dates its files then; `SOURCE_DATE_EPOCH` fixes
/// that moment, so that the same inputs give the same bytes.
#[test]
fn the_audit_pack_is_dated_by_source_date_epoch() {
    let dir = std::env::temp_dir().join(format!("syncplan-pack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/demo");
    let pack = |name: &str| {
        let out = dir.join(name);
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_syncplan"))
            .args(["plan", "--format", "pack", "--output"])
            .arg(&out)
            .arg(&demo)
            .env("SOURCE_DATE_EPOCH", "1796686952")
            .status()
            .unwrap();
        assert!(status.success());
        std::fs::read(out).unwrap()
    };
    let bytes = pack("a.zip");
    assert_eq!(bytes, pack("b.zip"), "the same moment gives the same bytes");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut readme = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("README.txt").unwrap(), &mut readme).unwrap();
    assert!(readme.contains("Made on 2026-12-07 23:42 UTC."), "{readme}");
    for i in 0..zip.len() {
        let entry = zip.by_index(i).unwrap();
        let t = entry.last_modified().unwrap();
        assert_eq!(
            (t.year(), t.month(), t.day(), t.hour(), t.minute()),
            (2026, 12, 7, 23, 42),
            "{}",
            entry.name()
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
