//! Deciding the users on two cores: a matter of speed only, no rule lives here.
//!
//! The users come in id order, each decided into a [`Part`]. With a second core
//! (`ingest::Join`) they are decided in two halves at once, each into a part of its own, and
//! the second half's part is appended to the first's ([`Part::append`]): the same as one run
//! over every user, since a user's decision reads nothing the run wrote for another.
//! `tests/golden.rs` plans every golden case both ways.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::explain::{BuCx, Builder, Findings};
use crate::id::UserId;
use crate::ingest::Join;
use crate::membership::Membership;
use crate::model::{Text, User, UserLogin};

/// What deciding a run of consecutive users writes.
pub(super) struct Part<'a> {
    pub findings: Findings<'a>,
    pub decisions: Vec<Builder>,
    /// Creates decided once every user has been seen, as indices into `decisions`.
    pub pending_create: Vec<usize>,
    /// Legacy claims decided once every user has been seen: the unlinked AE users a claimant
    /// could take (every claimant of one email shares them) → the claimants.
    pub pending_claim: BTreeMap<Vec<usize>, Vec<usize>>,
    /// Emails that an update or restore gives a user (the first user by id keeps one).
    pub taken_emails: BTreeMap<Cow<'a, str>, Text>,
    pub marketing: Walk<'a, UserId, Membership>,
    pub sales: Walk<'a, UserId, Membership>,
    pub logins: Walk<'a, UserId, UserLogin>,
}

impl<'a> Part<'a> {
    /// A part for the users from `from` on (from the first when `None`).
    fn new(cx: &BuCx<'a>, from: Option<&UserId>, capacity: usize) -> Part<'a> {
        Part {
            findings: Findings::new(&cx.bu.name),
            decisions: Vec::with_capacity(capacity),
            pending_create: Vec::new(),
            pending_claim: BTreeMap::new(),
            taken_emails: BTreeMap::new(),
            marketing: Walk::new(&cx.sets.marketing, from),
            sales: Walk::new(&cx.sets.sales, from),
            logins: Walk::new(&cx.org.logins, from),
        }
    }

    /// The part of the users after this part's: as if this part's run had gone on over them
    /// (indices moved past this part's decisions; an email taken here stays taken by this
    /// part's user).
    fn append(&mut self, next: Part<'a>) {
        let offset = self.decisions.len();
        self.decisions.extend(next.decisions);
        self.pending_create
            .extend(next.pending_create.into_iter().map(|i| i + offset));
        for (claimable, claimants) in next.pending_claim {
            self.pending_claim
                .entry(claimable)
                .or_default()
                .extend(claimants.into_iter().map(|i| i + offset));
        }
        for (email, user) in next.taken_emails {
            self.taken_emails.entry(email).or_insert(user);
        }
        self.findings.list.extend(next.findings.list);
    }
}

/// Decide every Salesforce user of the org with `decide`, in id order, on two cores when `join`
/// has them. `extra` is room for the decisions that follow the users' (AE users without one).
pub(super) fn each_user<'a>(
    cx: &BuCx<'a>,
    join: Option<Join>,
    extra: usize,
    decide: &(dyn Fn(&'a User, &mut Part<'a>) + Sync),
) -> Part<'a> {
    let users = &cx.org.users;
    let n = users.len();
    // One decision per user and per AE user not linked to one, at most: reserved at once, so
    // that a 1M-user plan's vector is not copied each time it doubles (a second half's part
    // is appended into the first's room).
    let mut first = Part::new(cx, None, n + extra);
    let halves = join
        .filter(|_| n > 1)
        .and_then(|join| Some((join, users.keys().nth(n / 2)?)));
    match halves {
        Some((join, middle)) => {
            let mut second = Part::new(cx, Some(middle), n - n / 2);
            join(
                &mut || {
                    for (_, u) in users.range(..middle) {
                        decide(u, &mut first);
                    }
                },
                &mut || {
                    for (_, u) in users.range(middle..) {
                        decide(u, &mut second);
                    }
                },
            );
            first.append(second);
        }
        None => {
            for u in users.values() {
                decide(u, &mut first);
            }
        }
    }
    first
}

/// Lookups in a sorted map by keys that only grow (each greater than the one before): one walk
/// along the map (the next entries are usually the ones asked for) instead of a search from its
/// root for each key.
pub(super) struct Walk<'m, K, V> {
    entries: std::iter::Peekable<std::collections::btree_map::Range<'m, K, V>>,
}

impl<'m, K: Ord, V> Walk<'m, K, V> {
    /// From the first key, or from `from` on.
    fn new(map: &'m BTreeMap<K, V>, from: Option<&K>) -> Self {
        let entries = match from {
            Some(key) => map.range(key..),
            None => map.range::<K, _>(..),
        };
        Walk {
            entries: entries.peekable(),
        }
    }

    /// The value of `key`, which must be greater than the keys asked before.
    pub fn get(&mut self, key: &K) -> Option<&'m V> {
        while self.entries.next_if(|(k, _)| *k < key).is_some() {}
        self.entries.next_if(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walk_finds_what_the_map_finds_for_growing_keys() {
        let map: BTreeMap<u32, char> = [(2, 'a'), (4, 'b'), (5, 'c'), (9, 'd')].into();
        for start in 0..10 {
            for step in 1..4 {
                // From the first key, and from `start` (a second half's walk).
                for from in [None, Some(&start)] {
                    let mut walk = Walk::new(&map, from);
                    for key in (start..12).step_by(step) {
                        assert_eq!(
                            walk.get(&key),
                            map.get(&key),
                            "from {from:?}, step {step}, key {key}"
                        );
                    }
                }
            }
        }
    }
}
