//! Salesforce's weekly Data Export as it comes (§11): one or more zip archives
//! (`WE_<org id>_1.zip`, `_2.zip`, …) holding one CSV per object of the whole org. syncplan
//! takes the entries it has a use for ([`wanted`]), names the others in one line, and never
//! inflates an entry it does not need.

use std::io::{Cursor, Read};

use super::InputFile;
use crate::codes::Code;
use crate::diag::Diagnostic;

/// The objects whose Data Export CSV syncplan reads (the entry's name, less `.csv`).
pub const WANTED: &[&str] = &[
    "User",
    "Profile",
    "UserRole",
    "Group",
    "GroupMember",
    "UserLicense",
    "PermissionSetAssignment",
    "UserLogin",
    "PardotTenant",
];

/// Whether the bytes are a zip archive.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Whether an archive's entry is one syncplan reads: `User.csv`, `GroupMember.csv`, … (in any
/// folder of the archive, any case).
pub fn wanted(entry: &str) -> bool {
    let base = entry.rsplit(['/', '\\']).next().unwrap_or(entry);
    let Some(object) = base
        .len()
        .checked_sub(4)
        .filter(|&i| {
            base.get(i..)
                .is_some_and(|e| e.eq_ignore_ascii_case(".csv"))
        })
        .and_then(|i| base.get(..i))
    else {
        return false;
    };
    WANTED.iter().any(|w| w.eq_ignore_ascii_case(object))
}

/// What an archive gave: the entries read, each as a file named `<archive>/<entry>`, and what
/// is worth saying (the entries not used; an entry or the archive that could not be read).
#[derive(Debug, Default)]
pub struct Unpacked {
    pub files: Vec<InputFile>,
    pub notes: Vec<Diagnostic>,
}

/// Read the wanted entries of the zip archive `name`; an entry larger than `limit` bytes once
/// inflated is not read (E-TOO-LARGE). `None` when the archive holds no entry syncplan reads, or
/// cannot be read as a zip: it is not a Data Export (an Excel workbook is a zip too), and is
/// read as any other file, which says what it is.
pub fn unpack(name: &str, bytes: &[u8], limit: u64) -> Option<Unpacked> {
    let mut out = Unpacked::default();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    if !zip.file_names().any(wanted) {
        return None;
    }
    let mut unused = Vec::new();
    for i in 0..zip.len() {
        let mut entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                out.notes.push(
                    Diagnostic::error(
                        Code::EArchive,
                        format!("entry {} cannot be read: {e}", i + 1),
                    )
                    .in_file(name),
                );
                continue;
            }
        };
        let entry_name = entry.name().to_string();
        if entry.is_dir() {
            continue;
        }
        if !wanted(&entry_name) {
            unused.push(entry_name);
            continue;
        }
        let file = format!("{name}/{entry_name}");
        if entry.size() > limit {
            out.notes.push(
                Diagnostic::error(
                    Code::ETooLarge,
                    format!(
                        "`{entry_name}` is {} bytes once unzipped, more than the {limit} syncplan reads per file, so it was not read",
                        entry.size()
                    ),
                )
                .in_file(file),
            );
            continue;
        }
        let mut data = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        match entry.read_to_end(&mut data) {
            Ok(_) => out.files.push(InputFile {
                name: file,
                bytes: data,
            }),
            Err(e) => out.notes.push(
                Diagnostic::error(
                    Code::EArchive,
                    format!("`{entry_name}` cannot be unzipped: {e}"),
                )
                .in_file(file),
            ),
        }
    }
    out.files.sort_by(|a, b| a.name.cmp(&b.name));
    if !unused.is_empty() {
        out.notes
            .push(Diagnostic::info(Code::IArchiveUnused, not_used(&unused)).in_file(name));
    }
    Some(out)
}

/// "not used: Account.csv, Contact.csv, … 214 more": the first few names, the rest counted.
fn not_used(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut text = format!(
        "not used: {}",
        names
            .iter()
            .take(SHOWN)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    );
    if names.len() > SHOWN {
        text.push_str(&format!(", … {} more", names.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entries_read_are_the_objects_syncplan_knows() {
        for yes in [
            "User.csv",
            "GROUPMEMBER.CSV",
            "export/UserRole.csv",
            "PardotTenant.csv",
        ] {
            assert!(wanted(yes), "{yes}");
        }
        for no in [
            "Account.csv",
            "User.txt",
            "Users.csv",
            "User",
            ".csv",
            "Contact.csv",
        ] {
            assert!(!wanted(no), "{no}");
        }
    }

    #[test]
    fn the_entries_not_used_are_named_in_one_line() {
        let names: Vec<String> = (1..=10).map(|i| format!("O{i}.csv")).collect();
        assert_eq!(
            not_used(&names),
            "not used: O1.csv, O2.csv, O3.csv, O4.csv, O5.csv, O6.csv, O7.csv, O8.csv, … 2 more"
        );
    }
}
