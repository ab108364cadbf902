//! Text helpers shared by reading the exports and deciding.

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

#[cfg(test)]
mod tests {
    use super::*;

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
