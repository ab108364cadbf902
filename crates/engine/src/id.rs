//! Salesforce ids: 15 characters (case-sensitive) or 18 (the 15 plus a 3-character
//! checksum). Everything is normalised to 18 characters before joining.
//!
//! One newtype per kind ([`UserId`], [`ProfileId`], …) checks the key prefix, so a
//! profile id can never be joined where a role id is expected.

use std::fmt;

use serde::{Deserialize, Serialize};

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// Whether `text` is the null id, `000000000000000AAA` (or its 15 characters), which
/// Salesforce's Data Export writes for an empty lookup: no value, not a reference.
pub fn is_null_id(text: &str) -> bool {
    let t = text.trim().as_bytes();
    matches!(t.len(), 15 | 18)
        && t.iter().take(15).all(|&b| b == b'0')
        && t.iter().skip(15).all(|b| b.eq_ignore_ascii_case(&b'A'))
}

/// The 3-character checksum of a 15-character id.
///
/// Split the 15 into three 5-character chunks; in each, bit i (i = 0 for the chunk's first
/// character) is set when that character is an upper-case A–Z; map each 5-bit value into
/// `ABCDEFGHIJKLMNOPQRSTUVWXYZ012345`.
pub fn checksum(id15: &[u8; 15]) -> [u8; 3] {
    // Unrolled and branch-free (ingestion computes one per id read: millions in a large org).
    let up = |c: u8| u8::from(c.wrapping_sub(b'A') < 26);
    let chunk = |a: u8, b: u8, c: u8, d: u8, e: u8| {
        let bits = up(a) | up(b) << 1 | up(c) << 2 | up(d) << 3 | up(e) << 4;
        // `ABCDEFGHIJKLMNOPQRSTUVWXYZ012345`
        if bits < 26 {
            b'A' + bits
        } else {
            b'0' + (bits - 26)
        }
    };
    let [a0, a1, a2, a3, a4, b0, b1, b2, b3, b4, c0, c1, c2, c3, c4] = *id15;
    [
        chunk(a0, a1, a2, a3, a4),
        chunk(b0, b1, b2, b3, b4),
        chunk(c0, c1, c2, c3, c4),
    ]
}

/// Whether every byte is an ASCII letter or digit: eight bytes at a time (ingestion checks
/// every id it reads: millions in a large org).
fn all_alphanumeric(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x80 * ONES;
    // For bytes below 0x80, `x + (0x80 - lo)` sets a byte's high bit when it is `lo` or more,
    // with no carry into the next byte.
    let word_ok = |x: u64| {
        if x & HIGH != 0 {
            return false;
        }
        let at_least = |x: u64, lo: u64| x + (0x80 - lo) * ONES;
        let digit = at_least(x, 0x30) & !at_least(x, 0x3A);
        let y = x | (0x20 * ONES); // upper case to lower case (and nothing else into a–z)
        let letter = at_least(y, 0x61) & !at_least(y, 0x7B);
        (digit | letter) & HIGH == HIGH
    };
    let mut words = b.chunks_exact(8);
    let whole = words.all(|w| {
        w.first_chunk::<8>()
            .is_some_and(|c| word_ok(u64::from_le_bytes(*c)))
    });
    whole && words.remainder().iter().all(u8::is_ascii_alphanumeric)
}

/// Why a text is not a Salesforce id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    /// Not 15 or 18 characters.
    Length(usize),
    /// A character other than an ASCII letter or digit.
    Character(char),
    /// An 18-character id whose checksum does not match its first 15 characters,
    /// and which is not merely case-folded.
    Checksum { expected: String },
    /// The key prefix is not the one of the expected kind.
    Prefix {
        expected: &'static str,
        found: String,
    },
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdError::Length(n) => write!(f, "is {n} characters long, not 15 or 18"),
            IdError::Character(c) => write!(f, "contains `{c}`, which no Salesforce id has"),
            IdError::Checksum { expected } => {
                write!(
                    f,
                    "has a wrong checksum (its first 15 characters give `{expected}`)"
                )
            }
            IdError::Prefix { expected, found } => {
                write!(f, "starts with `{found}`, not `{expected}`")
            }
        }
    }
}

/// A normalised 18-character Salesforce id of any kind.
///
/// Held inline as its 18 ASCII letters and digits (no allocation: an org has millions of ids,
/// one per GroupMember row and more); ordered and compared as the text is. Serialised as the
/// 18-character string; deserialising parses (and so checks) it.
#[derive(Clone)]
pub struct SfId([u8; 18]);

impl SfId {
    /// The 18 bytes as two integers, big-endian so that comparing them orders as the text
    /// does: an 18-byte `memcmp` call per comparison was a tenth of ingestion's time.
    #[inline(always)]
    fn words(&self) -> (u128, u16) {
        let (head, tail) = (self.0.first_chunk::<16>(), self.0.last_chunk::<2>());
        (
            head.map(|h| u128::from_be_bytes(*h)).unwrap_or(0),
            tail.map(|t| u16::from_be_bytes(*t)).unwrap_or(0),
        )
    }
}

// The comparisons and the hash are `inline(always)`: the app's wasm is built for size, where
// `#[inline]` alone does not inline them into std's generic code (`BTreeMap` searches, sorts,
// hash probes), which then called a function per key compared (src/lib.rs).
impl PartialEq for SfId {
    #[inline(always)]
    fn eq(&self, other: &Self) -> bool {
        self.words() == other.words()
    }
}

impl Eq for SfId {}

impl PartialOrd for SfId {
    #[inline(always)]
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SfId {
    #[inline(always)]
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.words().cmp(&other.words())
    }
}

impl std::hash::Hash for SfId {
    #[inline(always)]
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let (h, t) = self.words();
        state.write_u64(h as u64);
        state.write_u64((h >> 64) as u64 ^ u64::from(t));
    }
}

impl Serialize for SfId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SfId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        SfId::parse(&text).map(|p| p.id).map_err(|e| {
            serde::de::Error::custom(format!("`{text}` is not a Salesforce id: it {e}"))
        })
    }
}

/// The outcome of parsing: the id, and whether it had to be repaired from a case-folded form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    pub id: T,
    /// Set when an 18-character id had been upper- or lower-cased (by a spreadsheet) and its
    /// checksum restored the original case: the text as it was found.
    pub repaired_from: Option<String>,
}

impl SfId {
    /// Parse a 15- or 18-character id (surrounding spaces ignored) and normalise it to 18.
    pub fn parse(text: &str) -> Result<Parsed<SfId>, IdError> {
        let t = crate::text::trim(text);
        if !all_alphanumeric(t.as_bytes()) {
            if let Some(c) = t.chars().find(|c| !c.is_ascii_alphanumeric()) {
                return Err(IdError::Character(c));
            }
        }
        let b = t.as_bytes();
        match b.len() {
            15 => {
                let mut id15 = [0u8; 15];
                id15.copy_from_slice(b);
                Ok(Parsed {
                    id: SfId::from15(&id15),
                    repaired_from: None,
                })
            }
            18 => {
                let (head, tail) = b.split_at(15);
                let mut id15 = [0u8; 15];
                id15.copy_from_slice(head);
                let expected = checksum(&id15);
                if tail == expected {
                    let mut id = [0u8; 18];
                    id.copy_from_slice(b);
                    return Ok(Parsed {
                        id: SfId(id),
                        repaired_from: None,
                    });
                }
                // Case-folded by a spreadsheet? The checksum tells the original case.
                let all_upper = !t.bytes().any(|c| c.is_ascii_lowercase());
                let all_lower = !t.bytes().any(|c| c.is_ascii_uppercase());
                if all_upper || all_lower {
                    let mut sum = [0u8; 3];
                    for (dst, src) in sum.iter_mut().zip(tail) {
                        *dst = src.to_ascii_uppercase();
                    }
                    let mut restored = id15;
                    let mut ok = true;
                    for (chunk_i, s) in sum.iter().enumerate() {
                        let Some(bits) = ALPHABET.iter().position(|a| a == s) else {
                            ok = false;
                            break;
                        };
                        for i in 0..5 {
                            if let Some(c) = restored.get_mut(chunk_i * 5 + i) {
                                *c = if bits & (1 << i) != 0 {
                                    c.to_ascii_uppercase()
                                } else {
                                    c.to_ascii_lowercase()
                                };
                            }
                        }
                    }
                    if ok && checksum(&restored) == sum {
                        let repaired = SfId::from15(&restored);
                        return Ok(Parsed {
                            id: repaired,
                            repaired_from: Some(t.to_string()),
                        });
                    }
                }
                Err(IdError::Checksum {
                    expected: String::from_utf8_lossy(&[head, &expected[..]].concat()).into_owned(),
                })
            }
            n => Err(IdError::Length(n)),
        }
    }

    fn from15(id15: &[u8; 15]) -> SfId {
        let sum = checksum(id15);
        let mut id = [0u8; 18];
        for (d, s) in id.iter_mut().zip(id15.iter().chain(sum.iter())) {
            *d = *s;
        }
        SfId(id)
    }

    /// The 18 characters as bytes (ASCII letters and digits).
    pub fn as_bytes(&self) -> &[u8; 18] {
        &self.0
    }

    /// The 18-character form.
    pub fn as_str(&self) -> &str {
        // Only ever built from ASCII letters and digits (`parse` checks), so always UTF-8.
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// The 3-character key prefix (`005` for users, `00e` for profiles, …).
    pub fn prefix(&self) -> &str {
        // The typed ids' prefixes without a UTF-8 check (ingestion asks a few times per row).
        match self.0.first_chunk::<3>() {
            Some(b"005") => "005",
            Some(b"00G") => "00G",
            Some(b"00e") => "00e",
            Some(b"00E") => "00E",
            Some(b"100") => "100",
            Some(b"0PS") => "0PS",
            Some(b"0Uv") => "0Uv",
            _ => self
                .0
                .get(..3)
                .and_then(|p| std::str::from_utf8(p).ok())
                .unwrap_or(""),
        }
    }

    /// The 15-character, case-sensitive form.
    pub fn short(&self) -> &str {
        let s = self.as_str();
        s.get(..15).unwrap_or(s)
    }
}

impl fmt::Debug for SfId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for SfId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $kind:literal) => {
        $(#[$doc])*
        #[derive(Clone, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(SfId);

        // As the id's own: `inline(always)` (see `SfId`'s).
        impl PartialEq for $name {
            #[inline(always)]
            fn eq(&self, other: &Self) -> bool {
                self.0 == other.0
            }
        }

        impl PartialOrd for $name {
            #[inline(always)]
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $name {
            #[inline(always)]
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.0.cmp(&other.0)
            }
        }

        impl std::hash::Hash for $name {
            #[inline(always)]
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.0.hash(state)
            }
        }

        impl $name {
            /// The key prefix every id of this kind starts with.
            pub const PREFIX: &'static str = $prefix;
            /// What the id names, for messages.
            pub const KIND: &'static str = $kind;

            /// Parse and normalise, checking the key prefix.
            pub fn parse(text: &str) -> Result<Parsed<$name>, IdError> {
                let p = SfId::parse(text)?;
                Self::try_from_sf(p.id).map(|id| Parsed { id, repaired_from: p.repaired_from })
            }

            /// Check the prefix of an already normalised id.
            pub fn try_from_sf(id: SfId) -> Result<$name, IdError> {
                if id.prefix() == $prefix {
                    Ok($name(id))
                } else {
                    Err(IdError::Prefix { expected: $prefix, found: id.prefix().to_string() })
                }
            }

            pub fn as_sf(&self) -> &SfId {
                &self.0
            }

            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    };
}

typed_id!(/// A User id (`005…`).
    UserId, "005", "user");
typed_id!(/// A Profile id (`00e…`).
    ProfileId, "00e", "profile");
typed_id!(/// A UserRole id (`00E…`).
    RoleId, "00E", "role");
typed_id!(/// A Group id (`00G…`), public groups and role groups alike.
    GroupId, "00G", "group");
typed_id!(/// A UserLicense id (`100…`).
    LicenseId, "100", "user license");
typed_id!(/// A PermissionSet id (`0PS…`).
    PermissionSetId, "0PS", "permission set");
typed_id!(/// A PardotTenant id (`0Uv…`).
    TenantId, "0Uv", "Account Engagement business unit");

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Eight bytes at a time, as one at a time.
        #[test]
        fn alphanumeric_words_as_bytes(b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40)) {
            proptest::prop_assert_eq!(all_alphanumeric(&b), b.iter().all(u8::is_ascii_alphanumeric));
        }

        /// The same on letters and digits with at most one byte from the edges of the ranges
        /// (random bytes are rarely all valid).
        #[test]
        fn alphanumeric_words_near_the_edges(
            b in proptest::collection::vec(proptest::sample::select(b"0189AZaz".to_vec()), 0..24),
            bad in proptest::option::of((proptest::prelude::any::<usize>(),
                proptest::sample::select(b"/:@[`{\x7f\x80\xb0\xc1\xda\xfa\x10".to_vec()))),
        ) {
            let mut b = b;
            if let (Some((at, byte)), false) = (bad, b.is_empty()) {
                let n = b.len();
                b[at % n] = byte;
            }
            proptest::prop_assert_eq!(all_alphanumeric(&b), b.iter().all(u8::is_ascii_alphanumeric));
        }
    }

    proptest::proptest! {
        /// The unrolled checksum is the rule as written: per 5-character chunk, bit i for an
        /// upper-case character i, looked up in the alphabet.
        #[test]
        fn checksum_is_the_rule_as_written(id15 in proptest::array::uniform15(proptest::prelude::any::<u8>())) {
            let mut expected = [0u8; 3];
            for (chunk, slot) in id15.chunks(5).zip(expected.iter_mut()) {
                let bits: usize = (0..5).filter(|&i| chunk[i].is_ascii_uppercase()).map(|i| 1 << i).sum();
                *slot = ALPHABET[bits];
            }
            proptest::prop_assert_eq!(checksum(&id15), expected);
        }
    }

    #[test]
    fn spec_test_vectors() {
        for (short, long) in [
            ("a0D30000001n7Pi", "a0D30000001n7PiEAI"),
            ("001M000000qfPyS", "001M000000qfPySIAU"),
            ("aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaAAA"),
            ("AbCdEfGhIjKlMnO", "AbCdEfGhIjKlMnOVKV"),
        ] {
            assert_eq!(SfId::parse(short).unwrap().id.as_str(), long, "{short}");
            let p = SfId::parse(long).unwrap();
            assert_eq!(p.id.as_str(), long);
            assert_eq!(p.repaired_from, None);
        }
    }

    proptest::proptest! {
        /// The ids (plain and typed) order, compare and hash as their text does: the maps and
        /// sorts keyed by them give the same order as the plan's text.
        #[test]
        fn ids_order_and_compare_as_their_text(
            a in "[0-9A-Za-z]{12}", b in "[0-9A-Za-z]{12}", same_prefix in proptest::prelude::any::<bool>(),
        ) {
            use std::hash::BuildHasher;
            let hasher = std::collections::hash_map::RandomState::new();
            let (a, b) = (format!("005{a}"), format!("{}{b}", if same_prefix { "005" } else { "00e" }));
            let (sa, sb) = (SfId::parse(&a).unwrap().id, SfId::parse(&b).unwrap().id);
            proptest::prop_assert_eq!(sa.cmp(&sb), sa.as_str().cmp(sb.as_str()));
            proptest::prop_assert_eq!(sa == sb, sa.as_str() == sb.as_str());
            proptest::prop_assert_eq!(sa.partial_cmp(&sb), Some(sa.cmp(&sb)));
            let ua = UserId::try_from_sf(sa.clone()).unwrap();
            if let Ok(ub) = UserId::try_from_sf(sb.clone()) {
                proptest::prop_assert_eq!(ua.cmp(&ub), sa.cmp(&sb));
                proptest::prop_assert_eq!(ua == ub, sa == sb);
                proptest::prop_assert_eq!(ua.partial_cmp(&ub), Some(sa.cmp(&sb)));
                proptest::prop_assert_eq!(hasher.hash_one(&ua), hasher.hash_one(&sa));
            }
            let again = SfId::parse(&a).unwrap().id;
            proptest::prop_assert_eq!(hasher.hash_one(&again), hasher.hash_one(&sa));
        }
    }

    #[test]
    fn fifteen_and_eighteen_join() {
        let a = UserId::parse("005000000000001").unwrap().id;
        let b = UserId::parse(a.as_str()).unwrap().id;
        assert_eq!(a, b);
    }

    #[test]
    fn never_lower_cases_a_fifteen_character_id() {
        let profile = SfId::parse("00e000000000001").unwrap().id;
        let role = SfId::parse("00E000000000001").unwrap().id;
        assert_ne!(profile, role);
        assert!(ProfileId::try_from_sf(profile).is_ok());
        assert!(RoleId::try_from_sf(role).is_ok());
    }

    #[test]
    fn case_folded_ids_are_repaired() {
        let original = "001M000000qfPySIAU";
        for folded in [original.to_uppercase(), original.to_lowercase()] {
            let p = SfId::parse(&folded).unwrap();
            assert_eq!(p.id.as_str(), original, "{folded}");
            assert_eq!(p.repaired_from.as_deref(), Some(folded.as_str()));
        }
    }

    #[test]
    fn wrong_checksum_is_rejected() {
        let e = SfId::parse("001M000000qfPySAAA").unwrap_err();
        assert_eq!(
            e,
            IdError::Checksum {
                expected: "001M000000qfPySIAU".into()
            }
        );
    }

    #[test]
    fn wrong_length_character_and_prefix() {
        assert_eq!(SfId::parse("005abc").unwrap_err(), IdError::Length(6));
        assert_eq!(
            SfId::parse("005-00000000001").unwrap_err(),
            IdError::Character('-')
        );
        assert_eq!(
            UserId::parse("00e000000000001").unwrap_err(),
            IdError::Prefix {
                expected: "005",
                found: "00e".into()
            }
        );
    }
}
