//! Identity (§3, §10.1–3): which Salesforce user each AE user is linked to, which AE users hold
//! each email, and W-LINK-CONFLICT when an AE user's two links disagree.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::explain::{ae_ref, ae_who, BuCx, Findings};
use crate::codes::Code;
use crate::diag::Severity;
use crate::id::UserId;
use crate::model::AeUser;
use crate::sort;
use crate::text;
use rustc_hash::{FxHashMap, FxHashSet};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum LinkState {
    /// Neither a Salesforce id nor a CRM username (§10.1).
    Unlinked,
    /// A link to a user missing from the User export (§10.1).
    Dangling,
    Linked,
}

/// The links of one business unit's AE users, by their index in the export.
pub(super) struct Links<'a> {
    /// Each AE user's state and the Salesforce user it is linked to.
    pub state: Vec<(LinkState, Option<UserId>)>,
    /// What linked it: "Salesforce id" or "CRM username".
    pub via: Vec<&'static str>,
    /// The one AE user each Salesforce user is linked to (§10.2: not in the bin first, then the
    /// smallest AE id).
    pub of_user: FxHashMap<UserId, usize>,
    /// The AE users that lost their Salesforce user to another: loser → winner.
    pub losers: BTreeMap<usize, usize>,
    /// The AE users holding each email (folded), smallest AE id first.
    pub by_email: FxHashMap<Cow<'a, str>, Vec<usize>>,
}

impl Links<'_> {
    pub fn state_of(&self, i: usize) -> Option<&(LinkState, Option<UserId>)> {
        self.state.get(i)
    }

    /// The AE users holding `email` (folded), smallest AE id first.
    pub fn holding(&self, email: &str) -> &[usize] {
        self.by_email.get(email).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The AE users' ids as they sort: as numbers, then as text.
pub(super) fn ae_id_key(a: &AeUser) -> (u64, String) {
    (a.id.trim().parse::<u64>().unwrap_or(u64::MAX), a.id.clone())
}

/// Link every AE user of the business unit.
pub(super) fn link<'a>(cx: &BuCx<'a>, findings: &mut Findings) -> Links<'a> {
    let (org, ae) = (cx.org, cx.ae);
    // The user names that AE users linked by CRM username alone ask for, each to the first user
    // (in id order) of that name: the users walked once, each name looked up among those asked,
    // rather than a table of every user's name (a 1M-user org's was bigger than the cache, and
    // every user was inserted into it for the few thousand AE users who ask).
    let asked: FxHashSet<Cow<str>> = ae
        .iter()
        .filter(|a| a.salesforce_id.is_none())
        .filter_map(|a| a.crm_username.as_deref())
        .map(text::folded)
        .filter(|c| !c.is_empty())
        .collect();
    let mut by_username: FxHashMap<Cow<str>, UserId> =
        FxHashMap::with_capacity_and_hasher(asked.len(), Default::default());
    if !asked.is_empty() {
        for u in org.users.values() {
            let name = text::folded(&u.username);
            if asked.contains(&name) {
                by_username.entry(name).or_insert_with(|| u.id.clone());
            }
        }
    }
    let mut state: Vec<(LinkState, Option<UserId>)> = Vec::with_capacity(ae.len());
    let mut via: Vec<&'static str> = Vec::with_capacity(ae.len());
    for a in ae {
        let crm = a
            .crm_username
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let (s, v) = if let Some(sid) = &a.salesforce_id {
            match org.users.get(sid) {
                Some(u) => {
                    if let Some(c) = crm.filter(|c| text::folded(c) != text::folded(&u.username)) {
                        findings.raise(
                            None,
                            Severity::Warning,
                            Code::WLinkConflict,
                            format!(
                                "{} has Salesforce id `{sid}` (`{}`) but CRM username `{c}`: the Salesforce id decides the link",
                                ae_who(a),
                                u.username
                            ),
                            vec![ae_ref(a)],
                        );
                    }
                    ((LinkState::Linked, Some(sid.clone())), "Salesforce id")
                }
                None => ((LinkState::Dangling, None), ""),
            }
        } else if let Some(c) = crm {
            match by_username.get(&text::folded(c)) {
                Some(id) => ((LinkState::Linked, Some(id.clone())), "CRM username"),
                None => ((LinkState::Dangling, None), ""),
            }
        } else {
            ((LinkState::Unlinked, None), "")
        };
        state.push(s);
        via.push(v);
    }
    let (of_user, losers) = one_link_per_user(ae, &state);
    let mut by_email: FxHashMap<Cow<str>, Vec<usize>> = FxHashMap::default();
    for (i, a) in ae.iter().enumerate() {
        let e = text::folded(&a.email);
        if !e.is_empty() {
            by_email.entry(e).or_default().push(i);
        }
    }
    for v in by_email.values_mut() {
        sort::sort_by_key(v, |&i| ae.get(i).map(ae_id_key));
    }
    Links {
        state,
        via,
        of_user,
        losers,
        by_email,
    }
}

/// One link per Salesforce user (§10.2): not in the bin first, then the smallest AE id; the
/// others lose.
#[allow(clippy::type_complexity)]
fn one_link_per_user(
    ae: &[AeUser],
    state: &[(LinkState, Option<UserId>)],
) -> (FxHashMap<UserId, usize>, BTreeMap<usize, usize>) {
    let mut per_user: BTreeMap<UserId, Vec<usize>> = BTreeMap::new();
    for (i, (st, id)) in state.iter().enumerate() {
        if let (LinkState::Linked, Some(id)) = (st, id) {
            per_user.entry(id.clone()).or_default().push(i);
        }
    }
    let mut of_user: FxHashMap<UserId, usize> = FxHashMap::default();
    let mut losers: BTreeMap<usize, usize> = BTreeMap::new();
    for (uid, mut idx) in per_user {
        sort::sort_by_key(&mut idx, |&i| {
            ae.get(i).map(|a| (a.is_deleted, ae_id_key(a)))
        });
        if let Some((&first, rest)) = idx.split_first() {
            of_user.insert(uid, first);
            for &r in rest {
                losers.insert(r, first);
            }
        }
    }
    (of_user, losers)
}

/// The AE user that blocks a create, as the texts describe it: its email, id, link and state.
pub(super) fn describe_blocker(cx: &BuCx, links: &Links, i: usize) -> String {
    let Some(a) = cx.ae.get(i) else {
        return String::new();
    };
    let state = match links.state_of(i) {
        Some((LinkState::Linked, Some(other))) => format!(
            "linked to `{}`",
            cx.org
                .users
                .get(other)
                .map(|u| u.username.to_string())
                .unwrap_or_else(|| other.to_string())
        ),
        Some((LinkState::Dangling, _)) => {
            "linked to a Salesforce user missing from the User export".into()
        }
        _ => "unlinked".into(),
    };
    let bin = if a.is_deleted {
        ", in the recycle bin"
    } else {
        ""
    };
    format!("AE user `{}` (id `{}`, {state}{bin})", a.email.trim(), a.id)
}
