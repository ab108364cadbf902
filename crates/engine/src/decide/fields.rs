//! The fields User Sync writes to a linked AE user (§3 synced fields, §10.7 comparison).

use super::explain::{BuCx, Builder};
use super::Change;
use crate::codec::codecs;
use crate::codes::Code;
use crate::model::{AeUser, User};
use crate::scenario::canonical_role;
use crate::text;

/// Field changes User Sync would write, plus the role.
pub(super) fn changes(cx: &BuCx, u: &User, a: &AeUser, role: Option<&str>) -> Vec<Change> {
    let mut out = Vec::new();
    let fields: [(&str, Option<&str>, Option<&str>); 5] = [
        (
            "first_name",
            u.first_name.as_deref(),
            a.first_name.as_deref(),
        ),
        ("last_name", u.last_name.as_deref(), a.last_name.as_deref()),
        ("email", u.email.as_deref(), Some(&a.email)),
        ("job_title", u.title.as_deref(), a.job_title.as_deref()),
        ("phone", u.phone.as_deref(), a.phone.as_deref()),
    ];
    for (field, sf, aev) in fields {
        let (Some(sf), Some(aev)) = (sf, aev) else {
            continue;
        };
        let differs = if field == "email" {
            text::folded(sf) != text::folded(aev)
        } else {
            !same_text(sf, aev)
        };
        if differs {
            out.push(Change {
                field: field.to_string(),
                before: Some(aev.trim().to_string()),
                after: Some(sf.trim().to_string()),
            });
        }
    }
    if cx.has_role {
        if let Some(role) = role {
            let before = a.role.clone().unwrap_or_default();
            if canonical_role(&before) != canonical_role(role) {
                out.push(Change {
                    field: "role".to_string(),
                    before: Some(before.trim().to_string()),
                    after: Some(role.to_string()),
                });
            }
        }
    }
    out
}

/// What the comparison of fields rests on: which fields are synced, and whether roles could be
/// compared.
pub(super) fn assumptions(b: &mut Builder, cx: &BuCx) {
    if b.d
        .changes
        .iter()
        .any(|c| c.field != "email" && c.field != "role")
    {
        b.assume(Code::LUpdate, "first name, last name, job title and phone are assumed to be synced fields (only email is documented)");
    }
    if !cx.has_role && cx.has_export {
        b.assume(
            Code::LUpdate,
            "the AE users export has no role name column: roles were not compared, only fields",
        );
    }
}

/// Whether two synced values are the same text (§10.7): trimmed, CRLF and CR as LF, in Unicode
/// NFC. Equal bytes are the same text, and ASCII is its own NFC: the normalization (from the
/// codecs, which in the browser cross to JavaScript) is asked only of differing non-ASCII text.
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (text::trim(a), text::trim(b));
    if a == b {
        return true;
    }
    let plain = |s: &str| s.is_ascii() && !s.contains('\r');
    if plain(a) && plain(b) {
        return false;
    }
    let norm = |s: &str| codecs().nfc(&s.replace("\r\n", "\n").replace('\r', "\n"));
    norm(a) == norm(b)
}
