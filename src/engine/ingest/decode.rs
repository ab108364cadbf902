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
//! Malformed UTF-16 is decoded with replacement characters and a warning (`W-ENCODING`).
//! Text with NUL bytes or many control characters after decoding is taken for a binary file
//! (`E-BINARY`) and not read further.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use crate::engine::diag::Diagnostic;

/// A decoded file.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, without a BOM.
    pub text: String,
    /// The encoding used, as reported to the user: `UTF-8`, `UTF-16LE`, `UTF-16BE`,
    /// `windows-1252`, or the canonical name of an override.
    pub encoding: String,
    /// Encoding warnings and errors (without file; the caller adds it).
    pub diagnostics: Vec<Diagnostic>,
    /// Set when the bytes are not text at all.
    pub binary: bool,
}

/// Decode `bytes`, honouring an encoding override by label.
pub fn decode(bytes: &[u8], override_label: Option<&str>) -> Decoded {
    let mut diagnostics = Vec::new();
    if let Some(label) = override_label.map(str::trim).filter(|l| !l.is_empty()) {
        match Encoding::for_label(label.as_bytes()) {
            Some(enc) => {
                let body = strip_bom_for(enc, bytes);
                let (text, malformed) = enc.decode_without_bom_handling(body);
                if malformed {
                    diagnostics.push(Diagnostic::warning(
                        "W-ENCODING",
                        format!("some bytes are not valid {}; they were replaced by `\u{FFFD}`", enc.name()),
                    ));
                }
                return finish(text.into_owned(), enc.name().to_string(), diagnostics);
            }
            None => diagnostics.push(Diagnostic::warning(
                "W-ENCODING",
                format!("`{label}` is not an encoding syncplan knows; the encoding was detected instead"),
            )),
        }
    }

    let (enc, body): (&'static Encoding, &[u8]) =
        if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            (UTF_8, rest)
        } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
            (UTF_16LE, rest)
        } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
            (UTF_16BE, rest)
        } else if std::str::from_utf8(bytes).is_ok() {
            (UTF_8, bytes)
        } else {
            (WINDOWS_1252, bytes)
        };
    let (text, malformed) = enc.decode_without_bom_handling(body);
    if malformed {
        diagnostics.push(Diagnostic::warning(
            "W-ENCODING",
            format!(
                "some bytes are not valid {}; they were replaced by `\u{FFFD}`",
                enc.name()
            ),
        ));
    }
    finish(text.into_owned(), enc.name().to_string(), diagnostics)
}

fn strip_bom_for<'a>(enc: &'static Encoding, bytes: &'a [u8]) -> &'a [u8] {
    let bom: &[u8] = if enc == UTF_8 {
        b"\xEF\xBB\xBF"
    } else if enc == UTF_16LE {
        b"\xFF\xFE"
    } else if enc == UTF_16BE {
        b"\xFE\xFF"
    } else {
        b""
    };
    bytes.strip_prefix(bom).unwrap_or(bytes)
}

fn finish(mut text: String, encoding: String, mut diagnostics: Vec<Diagnostic>) -> Decoded {
    if let Some(rest) = text.strip_prefix('\u{FEFF}') {
        text = rest.to_string();
    }
    let total = text.chars().count();
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        .count();
    let binary = text.contains('\0') || (total > 0 && controls * 100 > total);
    let nuls = text.chars().filter(|c| *c == '\0').count();
    if binary && total >= 4 && nuls * 3 >= total {
        // Every other byte NUL: UTF-16 that lost its byte order mark.
        diagnostics.push(Diagnostic::error(
            "E-BINARY",
            format!("the file is not {encoding} text; it looks like UTF-16 without a byte order mark: choose the encoding `utf-16le` (or `utf-16be`)"),
        ));
    } else if binary {
        diagnostics.push(Diagnostic::error(
            "E-BINARY",
            format!("the file is not text (read as {encoding}, it holds control characters); export it as CSV"),
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
    fn detects_encodings() {
        assert_eq!(decode(b"a,b", None).encoding, "UTF-8");
        let d = decode(b"\xEF\xBB\xBFId", None);
        assert_eq!((d.text.as_str(), d.encoding.as_str()), ("Id", "UTF-8"));
        let d = decode(b"\xFF\xFEI\0d\0", None);
        assert_eq!((d.text.as_str(), d.encoding.as_str()), ("Id", "UTF-16LE"));
        let d = decode(b"\xFE\xFF\0I\0d", None);
        assert_eq!((d.text.as_str(), d.encoding.as_str()), ("Id", "UTF-16BE"));
        let d = decode(b"\x8A\x8E\x92\x96", None);
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            ("ŠŽ’–", "windows-1252")
        );
        let d = decode("é".as_bytes(), Some("windows-1252"));
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            ("Ã©", "windows-1252")
        );
        assert!(decode(b"\0\x01\x02abc", None).binary);
    }
}
