//! Creates, once every user has been seen (§3, §10.4): L-SKIP-DUP when several users would be
//! created with one email, or onto an email an update or restore writes; then L-CREATE (G-CREATE
//! in legacy) for the rest.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::explain::{BuCx, Builder, Findings};
use super::Action;
use crate::codes::Code;
use crate::diag::Severity;
use crate::model::Text;
use crate::sort;
use crate::text;

const DUP_ASSUMPTION: &str = "which of several users with one email is created is an assumption";

/// Decide the users waiting to be created (`pending`: indices into `decisions`).
pub(super) fn settle(
    cx: &BuCx,
    pending: &[usize],
    decisions: &mut [Builder],
    taken_emails: &BTreeMap<Cow<'_, str>, Text>,
    findings: &mut Findings,
) {
    let mut by_new_email: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut created: Vec<usize> = Vec::new();
    for &idx in pending {
        let e = decisions
            .get(idx)
            .and_then(|b| b.d.email.as_deref())
            .map(|e| text::folded(e).into_owned())
            .filter(|e| !e.is_empty());
        match e {
            Some(e) => by_new_email.entry(e).or_default().push(idx),
            None => created.push(idx),
        }
    }
    for (email, idxs) in by_new_email {
        created.extend(skip_duplicates(
            &email,
            idxs,
            decisions,
            taken_emails,
            findings,
        ));
    }
    for idx in created {
        if let Some(b) = decisions.get_mut(idx) {
            create(cx, b);
        }
    }
}

/// L-SKIP-DUP among the users that would be created with `email`: the smallest Id wins, unless
/// an update or restore takes the email. Gives the winner, if any.
fn skip_duplicates(
    email: &str,
    mut idxs: Vec<usize>,
    decisions: &mut [Builder],
    taken_emails: &BTreeMap<Cow<'_, str>, Text>,
    findings: &mut Findings,
) -> Option<usize> {
    sort::sort_by(&mut idxs, |x, y| {
        let k = |i: &usize| {
            decisions
                .get(*i)
                .and_then(|b| b.d.salesforce_user_id.clone())
        };
        k(x).cmp(&k(y))
    });
    let taken_by = taken_emails.get(email).cloned();
    let winner_name = idxs
        .first()
        .and_then(|i| decisions.get(*i))
        .and_then(|b| b.d.username.clone())
        .unwrap_or_default();
    let mut winner = None;
    for (n, idx) in idxs.iter().enumerate() {
        let Some(b) = decisions.get_mut(*idx) else {
            continue;
        };
        let uname = b.d.username.clone().unwrap_or_default();
        let (skipped, finding) = if let Some(t) = &taken_by {
            (
                format!("`{t}` is updated or restored with the email `{email}`, so creating `{uname}` with the same email is skipped"),
                format!("`{uname}` is skipped: `{t}` takes the email `{email}`; fix: give each user its own email"),
            )
        } else if n == 0 {
            if idxs.len() > 1 {
                b.assume(Code::LSkipDup, DUP_ASSUMPTION);
            }
            winner = Some(*idx);
            continue;
        } else {
            (
                format!("`{winner_name}` has the same email `{email}` and the smallest Id, so only it is created"),
                format!("`{uname}` is skipped: `{winner_name}` (smaller Id) is created with the same email `{email}`; fix: give each user its own email"),
            )
        };
        let uid =
            b.d.salesforce_user_id
                .as_ref()
                .map(|x| x.to_string())
                .unwrap_or_default();
        b.assume(Code::LSkipDup, DUP_ASSUMPTION);
        b.act(Action::Skip, Code::LSkipDup, skipped);
        findings.raise(Some(b), Severity::Warning, Code::WSkip, finding, vec![uid]);
    }
    winner
}

/// L-CREATE (G-CREATE in legacy): a new AE user with the role already decided.
fn create(cx: &BuCx, b: &mut Builder) {
    let uname = b.d.username.clone().unwrap_or_default();
    let role = b.d.role.clone().unwrap_or_default();
    let code = if cx.legacy {
        Code::GCreate
    } else {
        Code::LCreate
    };
    b.d.changes = Vec::new();
    b.act(
        Action::Create,
        code,
        format!(
            "`{uname}` {}, active, not linked and no AE user has the email: a new AE user is created with role {role}",
            cx.assigned_word()
        ),
    );
}
