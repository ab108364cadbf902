//! The report's pure helpers: which decisions the user table shows, the search over what can
//! be assigned, and which rows of a long table are visible. No `Html`: tested natively.

use std::collections::BTreeSet;

use crate::engine::decide::{Action, Decision, Finding};
use crate::engine::lookup::Candidate;
use crate::engine::sort;

/// A row of the user table: (business unit, decision) positions in the report.
pub type RowRef = (usize, usize);

/// The user table's filters. `None` / empty: no filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Filter {
    pub action: Option<Action>,
    pub role: Option<String>,
    pub finding: Option<String>,
    /// `marketing`, `sales` or `none` (in neither group).
    pub group: Option<String>,
    pub search: String,
}

/// A stable key for a decision: its Salesforce user id, else `ae:<AE id>`.
pub fn row_key(d: &Decision) -> String {
    match (&d.salesforce_user_id, &d.ae_user_id) {
        (Some(id), _) => id.to_string(),
        (None, Some(ae)) => format!("ae:{ae}"),
        (None, None) => String::new(),
    }
}

/// The shown name of a decision.
pub fn who(d: &Decision) -> String {
    d.name
        .as_deref()
        .or(d.username.as_deref())
        .or(d.email.as_deref())
        .map(str::to_string)
        .unwrap_or_else(|| row_key(d))
}

fn matches(d: &Decision, f: &Filter, needle: &str) -> bool {
    if f.action.is_some_and(|a| a != d.action) {
        return false;
    }
    if let Some(r) = &f.role {
        let role = d
            .role
            .as_deref()
            .or(d.previous_role.as_deref())
            .unwrap_or("");
        if role != r {
            return false;
        }
    }
    if let Some(c) = &f.finding {
        if !d.findings.iter().any(|x| x == c.as_str()) {
            return false;
        }
    }
    if let Some(g) = &f.group {
        let ok = if g == "none" {
            d.groups.is_empty()
        } else {
            d.groups.iter().any(|x| x == g)
        };
        if !ok {
            return false;
        }
    }
    needle.is_empty() || searched(d).flatten().any(|h| contains_lowercase(h, needle))
}

/// What a search looks in: a decision's name, username, email and ids.
fn searched(d: &Decision) -> impl Iterator<Item = Option<&str>> {
    [
        d.name.as_deref(),
        d.username.as_deref(),
        d.email.as_deref(),
        d.salesforce_user_id.as_ref().map(|i| i.as_str()),
        d.ae_user_id.as_deref(),
    ]
    .into_iter()
}

/// The searched text of every decision, lower-cased, in one string (each field followed by a
/// separator no search contains), so that a search is one scan of it rather than a
/// lower-cased copy of five fields per decision. Built once per plan (the worker builds it
/// after the answer; a search before that builds it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchIndex {
    text: String,
    /// Where each decision's text starts (decisions in report order, business unit by
    /// business unit).
    starts: Vec<usize>,
}

/// Ends each field in a [`SearchIndex`]: a control character, never typed in a search box.
const FIELD_END: char = '\u{1}';

impl SearchIndex {
    pub fn new(decisions: &[Vec<Decision>]) -> SearchIndex {
        let mut index = SearchIndex::default();
        for d in decisions.iter().flatten() {
            index.starts.push(index.text.len());
            for field in searched(d).flatten() {
                let at = index.text.len();
                if field.is_ascii() {
                    index.text.push_str(field);
                    if let Some(added) = index.text.get_mut(at..) {
                        added.make_ascii_lowercase();
                    }
                } else {
                    index.text.push_str(&field.to_lowercase());
                }
                index.text.push(FIELD_END);
            }
        }
        index
    }

    /// Which decisions (by position in report order) have a field containing `needle`
    /// (lower-case, without [`FIELD_END`]).
    fn found(&self, needle: &str) -> Vec<bool> {
        let mut found = vec![false; self.starts.len()];
        let mut from = 0;
        // One match a decision is enough: the scan goes on from the next decision's text.
        while let Some(at) = self.text.get(from..).and_then(|t| t.find(needle)) {
            let at = from + at;
            let row = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
            if let Some(slot) = found.get_mut(row) {
                *slot = true;
            }
            match self.starts.get(row + 1) {
                Some(&next) if next > at => from = next,
                _ => break,
            }
        }
        found
    }
}

/// Whether `hay`, lower-cased, contains `needle` (already lower-case). ASCII text is compared
/// where it lies, without a lower-cased copy (a search reads five fields of every decision).
fn contains_lowercase(hay: &str, needle: &str) -> bool {
    if !hay.is_ascii() || !needle.is_ascii() {
        return hay.to_lowercase().contains(needle);
    }
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    needle.is_empty()
        || hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// The rows the user table shows, in the report's order (`decisions`: each business unit's).
pub fn rows(decisions: &[Vec<Decision>], f: &Filter) -> Vec<RowRef> {
    let needle = f.search.trim().to_lowercase();
    collect(decisions, f, &needle, None)
}

/// [`rows`], searching with an index of the decisions, built on the first search into
/// `index` (which must be `None` or built from these decisions).
pub fn rows_with(
    decisions: &[Vec<Decision>],
    f: &Filter,
    index: &mut Option<SearchIndex>,
) -> Vec<RowRef> {
    let needle = f.search.trim().to_lowercase();
    let found = (!needle.is_empty() && !needle.contains(FIELD_END)).then(|| {
        index
            .get_or_insert_with(|| SearchIndex::new(decisions))
            .found(&needle)
    });
    // With the index, the search is done: the other filters remain.
    let rest = if found.is_some() { "" } else { needle.as_str() };
    collect(decisions, f, rest, found.as_deref())
}

/// The rows matching `f` with `needle` for its search, among those `found` by a search
/// already made (all when `None`).
fn collect(
    decisions: &[Vec<Decision>],
    f: &Filter,
    needle: &str,
    found: Option<&[bool]>,
) -> Vec<RowRef> {
    let mut out = Vec::new();
    let mut flat = 0;
    for (b, bu) in decisions.iter().enumerate() {
        for (i, d) in bu.iter().enumerate() {
            let searched = found.is_none_or(|f| f.get(flat).copied().unwrap_or(false));
            if searched && matches(d, f, needle) {
                out.push((b, i));
            }
            flat += 1;
        }
    }
    out
}

/// The decision at a row.
pub fn decision(decisions: &[Vec<Decision>], (b, i): RowRef) -> Option<&Decision> {
    decisions.get(b)?.get(i)
}

/// Find a row by business unit and key.
pub fn find(decisions: &[Vec<Decision>], bu: usize, key: &str) -> Option<RowRef> {
    decisions
        .get(bu)?
        .iter()
        .position(|d| row_key(d) == key)
        .map(|i| (bu, i))
}

/// The values the filters offer: roles and finding codes present in the report (its
/// decisions and its findings).
pub fn options(decisions: &[Vec<Decision>], plan_findings: &[Finding]) -> Options {
    let mut roles: BTreeSet<&str> = BTreeSet::new();
    let mut findings: BTreeSet<&str> = BTreeSet::new();
    for bu in decisions {
        for d in bu {
            if let Some(r) = d.role.as_deref().or(d.previous_role.as_deref()) {
                roles.insert(r);
            }
            findings.extend(d.findings.iter().map(|f| f.as_str()));
        }
    }
    findings.extend(plan_findings.iter().map(|f| f.code.as_str()));
    let owned = |set: BTreeSet<&str>| set.into_iter().map(str::to_string).collect();
    (owned(roles), owned(findings))
}

/// What the filters offer: the AE roles, then the finding codes.
pub type Options = (Vec<String>, Vec<String>);

/// What can be assigned matching `query` (name, username, id), best first: exact, then
/// prefix, then contains; at most `limit`.
pub fn search<'a>(candidates: &'a [Candidate], query: &str, limit: usize) -> Vec<&'a Candidate> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(u8, &Candidate)> = candidates
        .iter()
        .filter_map(|c| {
            let fields = [&c.label, &c.reference, &c.detail];
            let low: Vec<String> = fields.iter().map(|s| s.to_lowercase()).collect();
            if low.contains(&q) {
                Some((0, c))
            } else if low.iter().any(|s| s.starts_with(&q)) {
                Some((1, c))
            } else if low.iter().any(|s| s.contains(&q)) {
                Some((2, c))
            } else {
                None
            }
        })
        .collect();
    sort::sort_by_key(&mut scored, |(s, _)| *s);
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}

/// Share of the largest count, in percent with one decimal (`50.0`), for the summary's bar
/// chart. Worked in whole tenths: formatting a float would link Rust's float printing into the
/// page's wasm (about 7 KB brotli).
pub fn bar_percent(n: usize, max: usize) -> String {
    let tenths = match max {
        0 => 0,
        _ => ((n as u128 * 1000 + max as u128 / 2) / max as u128).min(1000),
    };
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Action names as the filters and tests write them.
pub fn parse_action(s: &str) -> Option<Action> {
    Action::ALL.into_iter().find(|a| a.as_str() == s)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::app::demo;
    use crate::app::worker::{answer, Cache, EngineRequest};
    use crate::engine::Code;

    fn demo_report() -> crate::engine::Report {
        let mut cache = Cache::default();
        answer(
            &mut cache,
            EngineRequest {
                generation: 1,
                files_version: 1,
                files: Some(
                    demo::files()
                        .into_iter()
                        .map(|f| std::rc::Rc::new(f.into()))
                        .collect(),
                ),
                scenario: None,
                ask: Default::default(),
                view: Default::default(),
            },
        )
        .result
        .unwrap()
    }

    /// Each business unit's decisions, as the worker holds them.
    fn decisions(r: &crate::engine::Report) -> Vec<Vec<Decision>> {
        r.plan
            .business_units
            .iter()
            .map(|b| b.decisions.clone())
            .collect()
    }

    #[test]
    fn filters_narrow_the_rows() {
        let r = demo_report();
        let ds = decisions(&r);
        let all = rows(&ds, &Filter::default());
        let n: usize = r
            .plan
            .business_units
            .iter()
            .map(|b| b.decisions.len())
            .sum();
        assert_eq!(all.len(), n);
        let creates = rows(
            &ds,
            &Filter {
                action: Some(Action::Create),
                ..Filter::default()
            },
        );
        assert_eq!(creates.len(), r.plan.summary.create);
        let none_group = rows(
            &ds,
            &Filter {
                group: Some("none".into()),
                ..Filter::default()
            },
        );
        assert!(none_group
            .iter()
            .all(|x| decision(&ds, *x).unwrap().groups.is_empty()));
        let found = rows(
            &ds,
            &Filter {
                search: "PRIYA".into(),
                ..Filter::default()
            },
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            decision(&ds, found[0]).unwrap().username.as_deref(),
            Some("priya.patel@acme.example")
        );
        let downgrade = rows(
            &ds,
            &Filter {
                finding: Some(Code::WDowngrade.to_string()),
                ..Filter::default()
            },
        );
        assert!(!downgrade.is_empty());
        let (roles, findings) = options(&ds, &r.plan.findings);
        assert!(roles.contains(&"Marketing".to_string()));
        assert!(findings.contains(&Code::WDowngrade.to_string()));
    }

    #[test]
    fn a_search_with_the_index_finds_what_a_search_without_it_finds() {
        let r = demo_report();
        let ds = decisions(&r);
        let mut index = None;
        for search in [
            "", "a", "PRIYA", "acme", "0055g", "ae:", "@", "zz", " e ", "\u{1}",
        ] {
            for action in [None, Some(Action::Create), Some(Action::None)] {
                let f = Filter {
                    search: search.into(),
                    action,
                    ..Filter::default()
                };
                assert_eq!(rows_with(&ds, &f, &mut index), rows(&ds, &f), "{f:?}");
            }
        }
        assert!(index.is_some(), "built by the first search");
        assert!(!rows(
            &ds,
            &Filter {
                search: "acme".into(),
                ..Filter::default()
            }
        )
        .is_empty());
    }

    #[test]
    fn search_ignores_case_with_or_without_ascii() {
        for (hay, needle, found) in [
            ("Priya.Patel@ACME.example", "priya", true),
            ("Priya.Patel@ACME.example", "acme.ex", true),
            ("Priya", "priyaa", false),
            ("", "a", false),
            ("abc", "", true),
            ("ZOË Durand", "zoë", true),
            ("Zoe", "zoë", false),
            // The Kelvin sign lower-cases to an ASCII `k`.
            ("\u{212A}arl", "karl", true),
        ] {
            assert_eq!(contains_lowercase(hay, needle), found, "{hay:?} {needle:?}");
        }
    }

    #[test]
    fn search_prefers_exact_then_prefix_matches() {
        let c = |label: &str, kind: &str| Candidate {
            kind: kind.into(),
            reference: label.into(),
            label: label.into(),
            detail: String::new(),
            users: 1,
            user_id: None,
        };
        let list = vec![
            c("Big Sales", "public_group"),
            c("Sales", "role"),
            c("Salesforce", "role"),
        ];
        let found: Vec<_> = search(&list, "sales", 10)
            .iter()
            .map(|c| c.label.clone())
            .collect();
        assert_eq!(found, ["Sales", "Salesforce", "Big Sales"]);
        assert!(search(&list, "  ", 10).is_empty());
        assert_eq!(search(&list, "sales", 1).len(), 1);
        assert_eq!(bar_percent(5, 10), "50.0");
        assert_eq!(bar_percent(5, 0), "0.0");
        assert_eq!(bar_percent(1, 3), "33.3");
        assert_eq!(bar_percent(2, 3), "66.7");
        assert_eq!(bar_percent(7, 7), "100.0");
        assert_eq!(bar_percent(9, 7), "100.0");
        assert_eq!(parse_action("recycle"), Some(Action::Recycle));
    }
}
