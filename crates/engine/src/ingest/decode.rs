//! Bytes to text: which encoding a file is in.
//!
//! Decision, in this order (spec §7, "Encodings"):
//!
//! 1. An encoding the user named ([`IngestOptions::encoding`](super::IngestOptions), any WHATWG
//!    label such as `windows-1252`, `utf-16le`, `latin1`) wins; a BOM of that encoding is dropped.
//!    An unknown label is a warning (`W-ENCODING`) and detection proceeds.
//! 2. A byte order mark: `EF BB BF` is UTF-8, `FF FE` UTF-16LE (Excel "Unicode Text"),
//!    `FE FF` UTF-16BE.
//! 3. Bytes that are valid UTF-8 are UTF-8.
//! 4. Anything else is Windows-1252 (Excel "CSV" on Windows), whose bytes 0x80–0x9F are
//!    letters and punctuation (`Š`, `Ž`, `’`, `–`) where ISO-8859-1 has control characters.
//!
//! Before any of this, files that are not text at all are recognised by their first bytes (zip,
//! Excel `.xlsx`/`.xls`, gzip, PDF, images) and rejected (`E-BINARY`) with what they are and
//! what to do. A file that is UTF-8 except for some stray bytes (a row pasted from a
//! Windows-1252 file) keeps its UTF-8 and reads each stray byte as Windows-1252, with a warning
//! naming the first such line (`W-ENCODING`).
//!
//! Malformed UTF-16 is decoded with replacement characters and a warning (`W-ENCODING`).
//! Text with NUL bytes or many control characters after decoding is taken for a binary file
//! (`E-BINARY`) and not read further.

use crate::codes::Code;
use std::borrow::Cow;

use crate::codec::{codecs, utf8, Decoding};

use crate::diag::Diagnostic;

/// A decoded file.
#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    /// The text, without a BOM: the file's own bytes when they are UTF-8 (no copy: a large
    /// org's exports are hundreds of megabytes), else decoded.
    pub text: Cow<'a, str>,
    /// The encoding used, as reported to the user: `UTF-8`, `UTF-16LE`, `UTF-16BE`,
    /// `windows-1252`, or the canonical name of an override.
    pub encoding: String,
    /// Encoding warnings and errors (without file; the caller adds it).
    pub diagnostics: Vec<Diagnostic>,
    /// Set when the bytes are not text at all.
    pub binary: bool,
}

/// Decode `bytes`, honouring an encoding override by label. NUL bytes padding the end of a file
/// that has none before them (a file cut or copied by a tool that rounds it up to a block) are
/// left out, with a warning: the rows before them are read.
pub fn decode<'a>(bytes: &'a [u8], override_label: Option<&str>) -> Decoded<'a> {
    let text_end = bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    let padding = bytes.len() - text_end;
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    let padded = padding > 0
        && text_end > 0
        && !utf16
        && bytes.get(..text_end).is_some_and(|t| !t.contains(&0));
    if !padded {
        return decode_text(bytes, override_label);
    }
    let mut d = decode_text(bytes.get(..text_end).unwrap_or(bytes), override_label);
    d.diagnostics.push(Diagnostic::warning(
        Code::WEncoding,
        format!(
            "the file ends with {padding} NUL byte(s) after its last line, which were left out"
        ),
    ));
    d
}

fn decode_text<'a>(bytes: &'a [u8], override_label: Option<&str>) -> Decoded<'a> {
    if let Some(what) = known_binary(bytes) {
        return Decoded {
            text: Cow::Borrowed(""),
            encoding: "binary".to_string(),
            diagnostics: vec![Diagnostic::error(
                Code::EBinary,
                format!("the file is {what}"),
            )],
            binary: true,
        };
    }
    let mut diagnostics = Vec::new();
    if let Some(label) = override_label.map(str::trim).filter(|l| !l.is_empty()) {
        // An empty decoding names the encoding, whose BOM (if it has one) is dropped.
        let decoded = codecs().decode(label, b"").and_then(|probe| {
            let body = bom_of(probe.encoding)
                .and_then(|bom| bytes.strip_prefix(bom))
                .unwrap_or(bytes);
            codecs().decode(label, body)
        });
        match decoded {
            Some(d) => {
                malformed_warning(&d, &mut diagnostics);
                return finish(d.text.into(), d.encoding.to_string(), diagnostics, false);
            }
            None => diagnostics.push(Diagnostic::warning(
                Code::WEncoding,
                format!("`{label}` is not an encoding syncplan knows; the encoding was detected instead"),
            )),
        }
    }

    let with_bom = BOMS
        .iter()
        .find_map(|(label, bom)| bytes.strip_prefix(*bom).map(|rest| (*label, rest)));
    let (label, body): (&str, &[u8]) = if let Some(found) = with_bom {
        found
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        // Checked once, and borrowed: not copied, not decoded again.
        let hint = utf16_hint(bytes);
        return finish(Cow::Borrowed(text), "UTF-8".to_string(), diagnostics, hint);
    } else if let Some((text, warnings)) = mixed_utf8(bytes) {
        diagnostics.extend(warnings);
        return finish(
            text.into(),
            "UTF-8".to_string(),
            diagnostics,
            utf16_hint(bytes),
        );
    } else {
        ("windows-1252", bytes)
    };
    // UTF-8 after its BOM (Excel's "CSV UTF-8"): borrowed when valid.
    if label == "UTF-8" {
        if let Ok(text) = std::str::from_utf8(body) {
            let hint = utf16_hint(bytes);
            return finish(Cow::Borrowed(text), "UTF-8".to_string(), diagnostics, hint);
        }
    }
    let decoded = if label == "UTF-8" {
        Some(utf8(body))
    } else {
        codecs().decode(label, body)
    };
    let Some(d) = decoded else {
        // Only a WebAssembly build without the browser's codecs installed gets here: the file
        // is not read (as a binary file is not).
        diagnostics.push(Diagnostic::error(
            Code::EBinary,
            format!("the file is not UTF-8, and this build of syncplan cannot decode `{label}`"),
        ));
        return Decoded {
            text: Cow::Borrowed(""),
            encoding: label.to_string(),
            diagnostics,
            binary: true,
        };
    };
    malformed_warning(&d, &mut diagnostics);
    let hint = (label == "UTF-8" || label == "windows-1252") && utf16_hint(bytes);
    finish(d.text.into(), d.encoding.to_string(), diagnostics, hint)
}

fn malformed_warning(d: &Decoding, diagnostics: &mut Vec<Diagnostic>) {
    if d.malformed {
        diagnostics.push(Diagnostic::warning(
            Code::WEncoding,
            format!(
                "some bytes are not valid {}; they were replaced by `\u{FFFD}`",
                d.encoding
            ),
        ));
    }
}

/// The encodings with a byte order mark, and the mark, in the order they are looked for.
const BOMS: [(&str, &[u8]); 3] = [
    ("UTF-8", b"\xEF\xBB\xBF"),
    ("UTF-16LE", b"\xFF\xFE"),
    ("UTF-16BE", b"\xFE\xFF"),
];

/// The byte order mark of an encoding that has one.
fn bom_of(encoding: &str) -> Option<&'static [u8]> {
    BOMS.iter()
        .find(|(e, _)| *e == encoding)
        .map(|(_, bom)| *bom)
}

/// One stray byte's Windows-1252 reading.
fn windows_1252(bytes: &[u8]) -> String {
    codecs()
        .decode("windows-1252", bytes)
        .map(|d| d.text)
        .unwrap_or_else(|| "\u{FFFD}".repeat(bytes.len()))
}

/// Formats that are not text, recognised by their first bytes: what to call them and what to do.
fn known_binary(bytes: &[u8]) -> Option<&'static str> {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        if has(b"xl/") {
            return Some("an Excel workbook (.xlsx), not a CSV file: open it in Excel and save each sheet as CSV UTF-8");
        }
        return Some("a zip archive, not a CSV file: unzip it and add the CSV files inside");
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Some("an old Excel workbook (.xls), not a CSV file: open it in Excel and save it as CSV UTF-8");
    }
    if bytes.starts_with(b"\x1F\x8B") {
        return Some("a gzip archive, not a CSV file: decompress it and add the CSV file inside");
    }
    if bytes.starts_with(b"%PDF-") {
        return Some("a PDF document, not a CSV file: export the data from Salesforce as CSV");
    }
    if bytes.starts_with(b"\x89PNG")
        || bytes.starts_with(b"\xFF\xD8\xFF")
        || bytes.starts_with(b"GIF8")
    {
        return Some("an image, not a CSV file: export the data from Salesforce as CSV");
    }
    None
}

/// ASCII text in UTF-16 without a byte order mark: NUL in (nearly) every other byte, and in
/// no other position.
fn utf16_hint(bytes: &[u8]) -> bool {
    // No NUL byte at all (a fast search): not UTF-16.
    if bytes.len() < 4 || !bytes.contains(&0) {
        return false;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        if let [a, b] = pair {
            even += usize::from(*a == 0);
            odd += usize::from(*b == 0);
        }
    }
    // An odd length's last byte sits at an even index.
    if bytes.len() % 2 == 1 && bytes.last() == Some(&0) {
        even += 1;
    }
    let half = bytes.len() / 2;
    let (many, few) = if odd > even { (odd, even) } else { (even, odd) };
    many * 10 >= half * 9 && few * 10 <= half
}

/// A file that is UTF-8 except for some bytes (rows pasted from a Windows-1252 file): the
/// UTF-8 stays UTF-8 and each stray byte is read as Windows-1252, with a warning for each line
/// that has such bytes (the first [`MIXED_LINES_NAMED`], then how many more). `None` when no
/// multi-byte UTF-8 is present (then the file is Windows-1252).
fn mixed_utf8(bytes: &[u8]) -> Option<(String, Vec<Diagnostic>)> {
    let mut text = String::with_capacity(bytes.len());
    let mut has_multibyte = false;
    // Each line with stray bytes, with its first stray byte.
    let mut bad_lines: Vec<(usize, u8)> = Vec::new();
    let (mut offset, mut line, mut counted) = (0usize, 1usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        has_multibyte |= !valid.is_ascii();
        text.push_str(valid);
        offset += valid.len();
        let invalid = chunk.invalid();
        if let Some(&b) = invalid.first() {
            line += bytes
                .get(counted..offset)
                .map_or(0, |s| s.iter().filter(|c| **c == b'\n').count());
            counted = offset;
            if bad_lines.last().is_none_or(|(l, _)| *l != line) {
                bad_lines.push((line, b));
            }
        }
        text.push_str(&windows_1252(invalid));
        offset += invalid.len();
    }
    if bad_lines.is_empty() || !has_multibyte {
        return None;
    }
    let mut warnings: Vec<Diagnostic> = bad_lines
        .iter()
        .take(MIXED_LINES_NAMED)
        .map(|&(line, byte)| {
            let one = [byte];
            let shown = windows_1252(&one);
            Diagnostic::warning(
                Code::WEncoding,
                format!(
                    "the file is UTF-8 but line {line} has bytes that are not (the first is `{byte:02X}`); they were read as windows-1252 (`{shown}`): check that row and save the file as CSV UTF-8"
                ),
            )
            .at_line(line as u64)
        })
        .collect();
    if bad_lines.len() > MIXED_LINES_NAMED {
        warnings.push(Diagnostic::warning(
            Code::WEncoding,
            format!(
                "{} more lines have bytes that are not UTF-8, read as windows-1252",
                bad_lines.len() - MIXED_LINES_NAMED
            ),
        ));
    }
    Some((text, warnings))
}

/// How many lines with stray bytes [`mixed_utf8`] names one by one.
const MIXED_LINES_NAMED: usize = 50;

/// The control bytes of UTF-8 text in one pass, eight bytes at a time, looking closer only at
/// the words that may hold one (in a CSV, mostly the line ends): how many bytes are below 0x20
/// (other than tab, LF and CR) or 0x7F, and whether a `C2` byte (which may start U+0080–U+009F)
/// was seen.
fn ascii_controls(bytes: &[u8]) -> (usize, bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Non-zero when some byte of `x` is zero (it may flag more, never fewer).
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let is_control = |b: &u8| (*b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || *b == 0x7F;
    let (mut n, mut c2) = (0, false);
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let x = w
            .first_chunk::<8>()
            .map(|c| u64::from_le_bytes(*c))
            .unwrap_or(0);
        let below_0x20 = x.wrapping_sub(0x20 * ONES) & !x & HIGH;
        if below_0x20 | zero_byte(x ^ (0x7F * ONES)) != 0 {
            n += w.iter().filter(|b| is_control(b)).count();
        }
        c2 |= zero_byte(x ^ (0xC2 * ONES)) != 0;
    }
    let rest = words.remainder();
    (
        n + rest.iter().filter(|b| is_control(b)).count(),
        c2 || rest.contains(&0xC2),
    )
}

fn finish(
    mut text: Cow<'_, str>,
    encoding: String,
    mut diagnostics: Vec<Diagnostic>,
    utf16: bool,
) -> Decoded<'_> {
    if text.starts_with('\u{FEFF}') {
        text = match text {
            Cow::Borrowed(t) => Cow::Borrowed(t.get('\u{FEFF}'.len_utf8()..).unwrap_or_default()),
            Cow::Owned(t) => Cow::Owned(
                t.get('\u{FEFF}'.len_utf8()..)
                    .unwrap_or_default()
                    .to_string(),
            ),
        };
    }
    let is_bad = |c: &char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    // Counted on bytes (the text is valid UTF-8): control characters (`char::is_control`:
    // U+0000–U+001F, U+007F–U+009F) are those ASCII bytes, and U+0080–U+009F is `C2 80`–`C2 9F`.
    let bytes = text.as_bytes();
    let (mut controls, c2) = ascii_controls(bytes);
    if c2 {
        controls += bytes
            .windows(2)
            .filter(|w| matches!(w, [0xC2, 0x80..=0x9F]))
            .count();
    }
    // NUL is a control byte: looked for only when some control byte was counted.
    let nul = controls > 0 && bytes.contains(&0);
    // Characters are counted only when some control character makes the share matter.
    let total = if controls > 0 {
        text.chars().count()
    } else {
        0
    };
    let binary = nul || (total > 0 && controls * 100 > total);
    if binary && utf16 {
        // Every other byte NUL: UTF-16 that lost its byte order mark.
        diagnostics.push(Diagnostic::error(
            Code::EBinary,
            format!("the file is not {encoding} text; it looks like UTF-16 without a byte order mark: choose the encoding `utf-16le` (or `utf-16be`)"),
        ));
    } else if binary {
        let (line, c) = text
            .split('\n')
            .enumerate()
            .find_map(|(i, l)| l.chars().find(is_bad).map(|c| (i + 1, c)))
            .unwrap_or((1, '\0'));
        diagnostics.push(Diagnostic::error(
            Code::EBinary,
            format!(
                "the file is not text (read as {encoding}, line {line} holds the control character U+{:04X}); export it as CSV",
                u32::from(c)
            ),
        ));
    }
    Decoded {
        text,
        encoding,
        diagnostics,
        binary,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn binary_is_judged_on_characters_as_char_is_control_counts_them() {
        // `finish` counts on bytes; the rule is on characters: both must agree.
        let by_chars = |t: &str| {
            let total = t.chars().count();
            let bad = |c: &char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
            let controls = t.chars().filter(bad).count();
            t.contains('\0') || (total > 0 && controls * 100 > total)
        };
        let texts = [
            "Id,Name\n1,Zoë\n".to_string(),
            "a\u{85}b".to_string(),
            "é\u{9f}".repeat(3),
            "\u{a0}\u{a0}\u{a0}".to_string(),
            format!("{}\u{1}", "x".repeat(99)),
            format!("{}\u{1}\u{7f}", "ü".repeat(99)),
            format!("{}\u{80}\u{9f}", "€".repeat(150)),
            "tab\tcr\r\nlf".to_string(),
            "nul\0".to_string(),
            String::new(),
        ];
        for t in texts {
            let got = finish(t.clone().into(), "utf-8".into(), Vec::new(), false).binary;
            assert_eq!(got, by_chars(&t), "{t:?}");
        }
        assert!(finish("a\u{85}b".into(), "utf-8".into(), Vec::new(), false).binary);
        assert!(!finish("Zoë\u{a0}".into(), "utf-8".into(), Vec::new(), false).binary);
    }

    #[test]
    fn control_bytes_are_counted_eight_at_a_time_as_one_at_a_time() {
        let plain = |b: &[u8]| {
            let n = b
                .iter()
                .filter(|&&c| (c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r')) || c == 0x7F)
                .count();
            (n, b.contains(&0xC2))
        };
        let mut cases: Vec<Vec<u8>> = vec![
            b"Id,Name\n1,Zoe\r\n2,\tAl\n".to_vec(),
            b"\x01\x02\x1f\x20\x7f\x00 abcdefgh\x1b".to_vec(),
            (0u8..=255).collect(),
            (0u8..=255).rev().cycle().take(1001).collect(),
        ];
        cases.push(b"x".repeat(17));
        cases.push("Zoë\u{85}\u{7f} café, 東京".repeat(3).into_bytes());
        cases.push(b"abcdefg\xC2".to_vec());
        cases.push(b"abcdefgh\x7f".to_vec());
        for c in cases {
            assert_eq!(ascii_controls(&c), plain(&c), "{c:?}");
        }
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_hinted_at_either_parity() {
        assert!(utf16_hint(b"I\0d\0,\0N\0a\0m\0e\0"));
        assert!(utf16_hint(b"\0I\0d\0,\0N\0a\0m\0e"));
        assert!(!utf16_hint(b"Id,Name\n1,Zoe\n"));
    }

    #[test]
    fn detects_encodings() {
        assert_eq!(decode(b"a,b", None).encoding, "UTF-8");
        let d = decode(b"\xEF\xBB\xBFId", None);
        assert_eq!((&*d.text, d.encoding.as_str()), ("Id", "UTF-8"));
        let d = decode(b"\xFF\xFEI\0d\0", None);
        assert_eq!((&*d.text, d.encoding.as_str()), ("Id", "UTF-16LE"));
        let d = decode(b"\xFE\xFF\0I\0d", None);
        assert_eq!((&*d.text, d.encoding.as_str()), ("Id", "UTF-16BE"));
        let d = decode(b"\x8A\x8E\x92\x96", None);
        assert_eq!((&*d.text, d.encoding.as_str()), ("ŠŽ’–", "windows-1252"));
        let d = decode("é".as_bytes(), Some("windows-1252"));
        assert_eq!((&*d.text, d.encoding.as_str()), ("Ã©", "windows-1252"));
        assert!(decode(b"\0\x01\x02abc", None).binary);
    }
}
