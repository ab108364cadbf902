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

/// Which entries of an archive to read, and what to say about the others: the one choice the
/// command line ([`unpack`]) and the web app (which reads the chosen entries out of the
/// browser's `File`, never the whole archive) share.
#[derive(Debug, Default, PartialEq)]
pub struct Selection {
    /// The positions of the entries to read, in the order given.
    pub read: Vec<usize>,
    /// The entries not used (one line), and each wanted entry too large to read (E-TOO-LARGE).
    pub notes: Vec<Diagnostic>,
}

/// Choose what to read of the archive `name` from its entries' names and sizes once inflated:
/// the entries syncplan reads ([`wanted`]) up to `limit` bytes each. `None` when no entry is
/// wanted: the archive is not a Data Export, and is read as any other file.
pub fn select<'a>(
    name: &str,
    entries: impl IntoIterator<Item = (&'a str, u64)>,
    limit: u64,
) -> Option<Selection> {
    let mut out = Selection::default();
    let mut unused = Vec::new();
    let mut any = false;
    for (i, (entry, size)) in entries.into_iter().enumerate() {
        if entry.ends_with('/') {
            continue;
        }
        if !wanted(entry) {
            unused.push(entry.to_string());
            continue;
        }
        any = true;
        if size > limit {
            out.notes.push(
                Diagnostic::error(
                    Code::ETooLarge,
                    format!(
                        "`{entry}` is {size} bytes once unzipped, more than the {limit} syncplan reads per file, so it was not read"
                    ),
                )
                .in_file(format!("{name}/{entry}")),
            );
            continue;
        }
        out.read.push(i);
    }
    if !any {
        return None;
    }
    if !unused.is_empty() {
        out.notes
            .push(Diagnostic::info(Code::IArchiveUnused, not_used(&unused)).in_file(name));
    }
    Some(out)
}

/// Read the wanted entries of the zip archive `name` ([`select`]); an entry larger than `limit`
/// bytes once inflated is not read (E-TOO-LARGE). `None` when the archive holds no entry
/// syncplan reads, or cannot be read as a zip: it is not a Data Export (an Excel workbook is a
/// zip too), and is read as any other file, which says what it is.
pub fn unpack(name: &str, bytes: &[u8], limit: u64) -> Option<Unpacked> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut listing: Vec<(String, u64)> = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        // An entry whose header cannot be read is listed by position, and reported below.
        let (n, size) = zip
            .by_index_raw(i)
            .map(|e| (e.name().to_string(), e.size()))
            .unwrap_or_else(|_| (format!("entry {}", i + 1), 0));
        listing.push((n, size));
    }
    let selection = select(name, listing.iter().map(|(n, s)| (n.as_str(), *s)), limit)?;
    let mut out = Unpacked {
        files: Vec::new(),
        notes: selection.notes,
    };
    for i in selection.read {
        let entry_name = listing.get(i).map(|(n, _)| n.clone()).unwrap_or_default();
        let file = format!("{name}/{entry_name}");
        let read = zip.by_index(i).and_then(|mut entry| {
            let mut data = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
            entry.read_to_end(&mut data)?;
            Ok(data)
        });
        match read {
            Ok(data) => out.files.push(InputFile {
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
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
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
    fn the_selection_reads_the_wanted_entries_within_the_limit_and_names_the_rest() {
        let entries = [
            ("Account.csv", 10),
            ("User.csv", 50),
            ("export/", 0),
            ("GroupMember.csv", 500),
            ("Contact.csv", 10),
        ];
        let s = select("WE_1.zip", entries, 100).unwrap();
        assert_eq!(s.read, vec![1]);
        let notes: Vec<String> = s
            .notes
            .iter()
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(
            notes[0].contains("E-TOO-LARGE") && notes[0].contains("GroupMember.csv"),
            "{notes:?}"
        );
        assert!(
            notes[1].contains("not used: Account.csv, Contact.csv"),
            "{notes:?}"
        );
        assert_eq!(select("book.xlsx", [("xl/workbook.xml", 10)], 100), None);
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
