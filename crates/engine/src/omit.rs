//! Which empty fields a serialization leaves out.
//!
//! The plan JSON and the scenario file leave out an optional field that has no value (the
//! spec's shapes: a diagnostic without a position has no `line`). The web app's messages
//! between the page and its worker are postcard (`syncplan::app::worker`), a format without
//! field names: a reader cannot tell which field is missing, so those messages carry every
//! field, `None` included. The fields say `skip_serializing_if = "crate::omit::none"`,
//! and the worker's codec encodes inside [`keeping_every_field`].

use std::cell::Cell;

thread_local! {
    static KEEP: Cell<bool> = const { Cell::new(false) };
}

/// `f`'s result, with every field serialized while it runs (on this thread), empty ones too.
pub fn keeping_every_field<R>(f: impl FnOnce() -> R) -> R {
    /// Puts back what was there before, however `f` ends.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            KEEP.with(|k| k.set(self.0));
        }
    }
    let _restore = Restore(KEEP.with(|k| k.replace(true)));
    f()
}

/// For `skip_serializing_if`: an empty optional field is left out, unless every field is kept.
pub(crate) fn none<T>(value: &Option<T>) -> bool {
    value.is_none() && !KEEP.with(Cell::get)
}

/// For `skip_serializing_if`: a switch that is off is left out (a set-up saved without it reads
/// the same), unless every field is kept.
pub(crate) fn is_false(value: &bool) -> bool {
    !*value && !KEEP.with(Cell::get)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::diag::{Diagnostic, Severity};

    #[test]
    fn an_empty_field_is_left_out_unless_every_field_is_kept() {
        let d = Diagnostic {
            severity: Severity::Warning,
            code: crate::codes::Code::WSkip,
            message: "m".into(),
            file: None,
            line: Some(3),
            column: None,
        };
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json.get("file"), None);
        assert_eq!(json["line"], 3);
        let kept = keeping_every_field(|| serde_json::to_value(&d).unwrap());
        assert_eq!(kept.get("file"), Some(&serde_json::Value::Null));
        assert_eq!(kept.get("column"), Some(&serde_json::Value::Null));
        // and afterwards, fields are left out again
        assert_eq!(serde_json::to_value(&d).unwrap().get("column"), None);
        // nested: the outer call's setting comes back when the inner one ends
        keeping_every_field(|| {
            keeping_every_field(|| ());
            assert!(!none::<u8>(&None));
        });
        assert!(none::<u8>(&None));
    }
}
