//! Text helpers shared by reading the exports and deciding.

use std::borrow::Cow;

/// `str::trim`, with a fast way out for the usual value that starts and ends with a visible
/// ASCII character (then there is nothing to trim: no whitespace is visible ASCII). Ingestion
/// trims every value and id it reads, the plan every name it compares: millions in a large org.
#[inline]
pub fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// `s.trim().to_lowercase()`, borrowed when that changes nothing but the trim: usernames,
/// emails and most names compared without case are lower-case ASCII already.
pub fn folded(s: &str) -> Cow<'_, str> {
    let t = trim(s);
    if t.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(t)
    } else {
        Cow::Owned(t.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_is_trimmed_and_lower_cased() {
        for v in [
            "",
            " a@x.example ",
            "A@X.example",
            "zoë",
            "ZOË ",
            "\u{212A}",
            "İ",
            "a\tb",
        ] {
            assert_eq!(folded(v), v.trim().to_lowercase(), "{v:?}");
        }
        assert!(matches!(
            folded(" jane@acme.example "),
            Cow::Borrowed("jane@acme.example")
        ));
    }

    #[test]
    fn fast_trim_is_str_trim() {
        for v in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{a0}x\u{a0}",
            "x\u{3000}",
            "\tx",
            "é",
            " é ",
            "a b",
            "\u{feff}",
            "0055g0000000001AAA",
        ] {
            assert_eq!(trim(v), v.trim(), "{v:?}");
        }
    }
}
