//! The engine's two uses of large Unicode tables, behind one seam: decoding bytes in an encoding
//! named by a WHATWG label (`windows-1252`, `utf-16le`, `latin1`, `shift_jis`…) and Unicode NFC
//! (spec §10.7 compares synced fields after NFC).
//!
//! Natively they come from encoding_rs and unicode-normalization ([`Tables`]). In WebAssembly
//! the engine runs in a browser, which has both already: `TextDecoder` implements the same
//! WHATWG Encoding Standard as encoding_rs (in Firefox it *is* encoding_rs) and
//! `String.prototype.normalize` the same NFC. The worker [`install`]s them
//! (`syncplan::app::codecs`), and its wasm carries neither crate's tables: about 150 KB of
//! brotli (docs/performance.md, "Bundle"). The engine stays pure: it imports no web crate, it
//! is handed an implementation of [`Codecs`].
//!
//! Both implementations answer the same table of cases ([`CASES`]): natively in this module's
//! tests, in headless Chromium in `tests/web.rs`.

use std::sync::OnceLock;

/// Text decoded from bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoding {
    /// The text, with a byte order mark kept as `U+FEFF` (no BOM handling).
    pub text: String,
    /// The encoding's WHATWG name as [`NAMES`] spells it (`UTF-16LE`, `windows-1252`).
    pub encoding: &'static str,
    /// Some bytes were not valid in the encoding and became `U+FFFD`.
    pub malformed: bool,
}

/// Decoding and normalization, from whoever has the tables.
pub trait Codecs: Sync {
    /// `bytes` decoded in the encoding `label` names (a WHATWG label, any case, surrounding
    /// whitespace ignored), a byte order mark left in the text. `None` when no encoding has that
    /// label, or it names the `replacement` encoding (which decodes nothing).
    fn decode(&self, label: &str, bytes: &[u8]) -> Option<Decoding>;
    /// `text` in Unicode Normalization Form C.
    fn nfc(&self, text: &str) -> String;
}

/// The WHATWG Encoding Standard's names, as it spells them (the browser reports them in lower
/// case; [`name`] restores the spelling so the command line and the browser say the same).
pub const NAMES: [&str; 39] = [
    "UTF-8",
    "IBM866",
    "ISO-8859-2",
    "ISO-8859-3",
    "ISO-8859-4",
    "ISO-8859-5",
    "ISO-8859-6",
    "ISO-8859-7",
    "ISO-8859-8",
    "ISO-8859-8-I",
    "ISO-8859-10",
    "ISO-8859-13",
    "ISO-8859-14",
    "ISO-8859-15",
    "ISO-8859-16",
    "KOI8-R",
    "KOI8-U",
    "macintosh",
    "windows-874",
    "windows-1250",
    "windows-1251",
    "windows-1252",
    "windows-1253",
    "windows-1254",
    "windows-1255",
    "windows-1256",
    "windows-1257",
    "windows-1258",
    "x-mac-cyrillic",
    "GBK",
    "gb18030",
    "Big5",
    "EUC-JP",
    "ISO-2022-JP",
    "Shift_JIS",
    "EUC-KR",
    "UTF-16BE",
    "UTF-16LE",
    "x-user-defined",
];

/// The standard's spelling of an encoding's name, given in any case; `None` for a name that is
/// not one of [`NAMES`].
pub fn name(any_case: &str) -> Option<&'static str> {
    NAMES
        .iter()
        .find(|n| n.eq_ignore_ascii_case(any_case))
        .copied()
}

/// UTF-8 decoded by the standard library, whose replacement of malformed bytes is the WHATWG
/// decoder's (each maximal invalid subpart becomes one `U+FFFD`): no codecs needed, no copy
/// into JavaScript and back in the browser.
pub fn utf8(bytes: &[u8]) -> Decoding {
    let (text, malformed) = match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), false),
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
    };
    Decoding {
        text,
        encoding: "UTF-8",
        malformed,
    }
}

static INSTALLED: OnceLock<&'static dyn Codecs> = OnceLock::new();

/// Hand the engine its codecs (the browser's, in the worker). The first call wins; it returns
/// whether this one did.
pub fn install(codecs: &'static dyn Codecs) -> bool {
    INSTALLED.set(codecs).is_ok()
}

/// The installed codecs, or the built-in ones: [`Tables`] natively; in WebAssembly, where
/// nothing was installed, only UTF-8 and UTF-16 (from the standard library) and no NFC.
pub fn codecs() -> &'static dyn Codecs {
    match INSTALLED.get() {
        Some(c) => *c,
        None => &BUILT_IN,
    }
}

#[cfg(not(target_arch = "wasm32"))]
const BUILT_IN: Tables = Tables;
#[cfg(target_arch = "wasm32")]
const BUILT_IN: StandardLibrary = StandardLibrary;

/// encoding_rs and unicode-normalization: the command line's and the native tests' codecs.
#[cfg(not(target_arch = "wasm32"))]
pub struct Tables;

#[cfg(not(target_arch = "wasm32"))]
impl Codecs for Tables {
    fn decode(&self, label: &str, bytes: &[u8]) -> Option<Decoding> {
        let enc = encoding_rs::Encoding::for_label(label.trim().as_bytes())?;
        if enc == encoding_rs::REPLACEMENT {
            return None;
        }
        let (text, malformed) = enc.decode_without_bom_handling(bytes);
        Some(Decoding {
            text: text.into_owned(),
            encoding: name(enc.name()).unwrap_or("UTF-8"),
            malformed,
        })
    }

    fn nfc(&self, text: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        text.nfc().collect()
    }
}

/// What a wasm build has without installed codecs: UTF-8 and UTF-16 decoding from the standard
/// library, and no normalization (text compares as it is).
#[cfg(target_arch = "wasm32")]
pub struct StandardLibrary;

#[cfg(target_arch = "wasm32")]
impl Codecs for StandardLibrary {
    fn decode(&self, label: &str, bytes: &[u8]) -> Option<Decoding> {
        let label = label.trim();
        let (encoding, units): (&'static str, fn([u8; 2]) -> u16) =
            if label.eq_ignore_ascii_case("utf-8") {
                return Some(utf8(bytes));
            } else if label.eq_ignore_ascii_case("utf-16le") {
                ("UTF-16LE", u16::from_le_bytes)
            } else if label.eq_ignore_ascii_case("utf-16be") {
                ("UTF-16BE", u16::from_be_bytes)
            } else {
                return None;
            };
        let pairs = bytes.chunks_exact(2);
        let odd = !pairs.remainder().is_empty();
        let mut malformed = odd;
        let mut text: String = char::decode_utf16(pairs.map(|p| {
            units([
                p.first().copied().unwrap_or(0),
                p.get(1).copied().unwrap_or(0),
            ])
        }))
        .map(|c| {
            c.unwrap_or_else(|_| {
                malformed = true;
                '\u{FFFD}'
            })
        })
        .collect();
        if odd {
            text.push('\u{FFFD}');
        }
        Some(Decoding {
            text,
            encoding,
            malformed,
        })
    }

    fn nfc(&self, text: &str) -> String {
        text.to_string()
    }
}

/// A case both implementations must answer the same way.
pub struct Case {
    /// What the case shows.
    pub what: &'static str,
    pub label: &'static str,
    pub bytes: &'static [u8],
    /// `None`: the label names no encoding.
    pub expect: Option<(&'static str, &'static str, bool)>,
}

/// The decoding cases ([`Codecs::decode`]): the encodings the spec names (§7), a label's
/// aliases and case, malformed input, a BOM left in, and labels that name nothing.
pub const CASES: &[Case] = &[
    Case {
        what: "windows-1252's 0x80–0x9F are letters and punctuation",
        label: "windows-1252",
        bytes: b"\x80\x8A\x8E\x92\x93\x94\x96\x97\x99\x9A\x9E\x9F",
        expect: Some(("windows-1252", "€ŠŽ’“”–—™šžŸ", false)),
    },
    Case {
        what: "windows-1252's five unassigned bytes are C1 controls, not errors",
        label: "windows-1252",
        bytes: b"\x81\x8D\x8F\x90\x9D",
        expect: Some(("windows-1252", "\u{81}\u{8D}\u{8F}\u{90}\u{9D}", false)),
    },
    Case {
        what: "latin1 is windows-1252 (WHATWG)",
        label: " Latin1 ",
        bytes: b"Zo\xEB \x96 caf\xE9",
        expect: Some(("windows-1252", "Zoë – café", false)),
    },
    Case {
        what: "UTF-16LE with its BOM left in",
        label: "utf-16le",
        bytes: b"\xFF\xFEI\0d\0,\0\xE9\0",
        expect: Some(("UTF-16LE", "\u{FEFF}Id,é", false)),
    },
    Case {
        what: "utf-16 is UTF-16LE",
        label: "UTF-16",
        bytes: b"O\0k\0",
        expect: Some(("UTF-16LE", "Ok", false)),
    },
    Case {
        what: "UTF-16BE with a surrogate pair",
        label: "utf-16be",
        bytes: b"\0A\xD8\x3D\xDE\x00",
        expect: Some(("UTF-16BE", "A😀", false)),
    },
    Case {
        what: "a lone surrogate is malformed",
        label: "utf-16le",
        bytes: b"A\0\x00\xD8B\0",
        expect: Some(("UTF-16LE", "A\u{FFFD}B", true)),
    },
    Case {
        what: "an odd last byte is malformed",
        label: "utf-16le",
        bytes: b"A\0B",
        expect: Some(("UTF-16LE", "A\u{FFFD}", true)),
    },
    Case {
        what: "invalid UTF-8 is malformed",
        label: "utf-8",
        bytes: b"caf\xC3\xA9 \xFF!",
        expect: Some(("UTF-8", "café \u{FFFD}!", true)),
    },
    Case {
        what: "another single-byte encoding",
        label: "iso-8859-2",
        bytes: b"\xA9\xE8",
        expect: Some(("ISO-8859-2", "Šč", false)),
    },
    Case {
        what: "a multi-byte encoding",
        label: "shift_jis",
        bytes: b"\x93\x8C\x8B\x9E",
        expect: Some(("Shift_JIS", "東京", false)),
    },
    Case {
        what: "an unknown label",
        label: "klingon",
        bytes: b"x",
        expect: None,
    },
    Case {
        what: "a label of the replacement encoding decodes nothing",
        label: "iso-2022-kr",
        bytes: b"x",
        expect: None,
    },
];

/// The normalization cases ([`Codecs::nfc`]): `(text, its NFC)`.
pub const NFC_CASES: &[(&str, &str)] = &[
    ("Zoe\u{308}", "Zoë"),
    ("Rene\u{301}e", "Renée"),
    ("Zoë", "Zoë"),
    ("A\u{30A}ngstro\u{308}m", "Ångström"),
    ("\u{212B}", "Å"),
    ("plain ASCII", "plain ASCII"),
    ("\u{1100}\u{1161}", "\u{AC00}"),
];

/// Where `codecs` answers [`CASES`] or [`NFC_CASES`] otherwise than expected, one line each
/// (empty when it agrees): what the native tests and the browser's (`tests/web.rs`) assert.
pub fn disagreements(codecs: &dyn Codecs) -> Vec<String> {
    let mut out = Vec::new();
    for c in CASES {
        let got = codecs.decode(c.label, c.bytes);
        let got = got
            .as_ref()
            .map(|d| (d.encoding, d.text.as_str(), d.malformed));
        if got != c.expect {
            out.push(format!("{}: got {got:?}, expected {:?}", c.what, c.expect));
        }
    }
    for (text, nfc) in NFC_CASES {
        let got = codecs.nfc(text);
        if got != *nfc {
            out.push(format!("NFC of {text:?}: got {got:?}, expected {nfc:?}"));
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_tables_answer_every_case() {
        assert_eq!(disagreements(&Tables), Vec::<String>::new());
    }

    #[test]
    fn the_standard_librarys_utf8_is_the_tables() {
        let cases: [&[u8]; 6] = [
            b"caf\xC3\xA9",
            b"caf\xC3\xA9 \xFF!",
            b"\xEF\xBB\xBFbom kept",
            b"\xF0\x9F\x98",
            b"\xE0\x80\x80\xED\xA0\x80",
            b"",
        ];
        for b in cases {
            assert_eq!(Some(utf8(b)), Tables.decode("utf-8", b), "{b:?}");
        }
    }

    #[test]
    fn every_name_is_encoding_rs_spelling() {
        for n in NAMES {
            let enc = encoding_rs::Encoding::for_label(n.as_bytes());
            assert_eq!(enc.map(|e| e.name()), Some(n));
            assert_eq!(name(&n.to_lowercase()), Some(n));
        }
        assert_eq!(name("klingon"), None);
    }

    #[test]
    fn natively_the_tables_are_built_in() {
        let d = codecs().decode("windows-1252", b"\x8A").map(|d| d.text);
        assert_eq!(d.as_deref(), Some("Š"));
    }
}
