//! The report's pure helpers: which decisions the user table shows, the search over what can
//! be assigned, and which rows of a long table are visible. No `Html`: tested natively.

use std::collections::BTreeSet;

use crate::engine::decide::{Action, Decision};
use crate::engine::lookup::Candidate;
use crate::engine::Report;

/// A row of the user table: (business unit, decision) positions in the report.
pub type RowRef = (usize, usize);

/// The user table's filters. `None` / empty: no filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
        if !d.findings.iter().any(|x| x == c) {
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
    if needle.is_empty() {
        return true;
    }
    let hay = [
        d.name.as_deref(),
        d.username.as_deref(),
        d.email.as_deref(),
        d.salesforce_user_id.as_ref().map(|i| i.as_str()),
        d.ae_user_id.as_deref(),
    ];
    hay.iter()
        .flatten()
        .any(|h| h.to_lowercase().contains(needle))
}

/// The rows the user table shows, in the report's order.
pub fn rows(report: &Report, f: &Filter) -> Vec<RowRef> {
    let needle = f.search.trim().to_lowercase();
    let mut out = Vec::new();
    for (b, bu) in report.plan.business_units.iter().enumerate() {
        for (i, d) in bu.decisions.iter().enumerate() {
            if matches(d, f, &needle) {
                out.push((b, i));
            }
        }
    }
    out
}

/// The decision at a row.
pub fn decision(report: &Report, (b, i): RowRef) -> Option<&Decision> {
    report.plan.business_units.get(b)?.decisions.get(i)
}

/// Find a row by business unit and key.
pub fn find(report: &Report, bu: usize, key: &str) -> Option<RowRef> {
    let d = report.plan.business_units.get(bu)?;
    d.decisions
        .iter()
        .position(|d| row_key(d) == key)
        .map(|i| (bu, i))
}

/// The values the filters offer: roles and finding codes present in the report.
pub fn options(report: &Report) -> (Vec<String>, Vec<String>) {
    let mut roles = BTreeSet::new();
    let mut findings = BTreeSet::new();
    for bu in &report.plan.business_units {
        for d in &bu.decisions {
            if let Some(r) = d.role.as_deref().or(d.previous_role.as_deref()) {
                roles.insert(r.to_string());
            }
            findings.extend(d.findings.iter().map(|f| f.to_string()));
        }
    }
    for f in &report.plan.findings {
        findings.insert(f.code.clone());
    }
    (roles.into_iter().collect(), findings.into_iter().collect())
}

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
    scored.sort_by_key(|(s, _)| *s);
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}

/// The rows `[start, end)` to render for a table scrolled to `scroll_top` pixels, showing
/// `viewport` pixels of rows `row_height` high, with `overscan` extra rows each side.
pub fn window(
    scroll_top: f64,
    viewport: f64,
    row_height: f64,
    total: usize,
    overscan: usize,
) -> (usize, usize) {
    if total == 0 || row_height <= 0.0 {
        return (0, 0);
    }
    let first = (scroll_top.max(0.0) / row_height).floor() as usize;
    let shown = (viewport.max(0.0) / row_height).ceil() as usize + 1;
    let start = first.saturating_sub(overscan).min(total);
    let end = (first + shown + overscan).min(total);
    (start, end)
}

/// Share of the largest count, in percent, for the summary's bar chart.
pub fn bar_percent(n: usize, max: usize) -> f64 {
    if max == 0 {
        0.0
    } else {
        (n as f64 / max as f64 * 100.0).clamp(0.0, 100.0)
    }
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

    fn demo_report() -> Report {
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
            },
        )
        .result
        .unwrap()
    }

    #[test]
    fn filters_narrow_the_rows() {
        let r = demo_report();
        let all = rows(&r, &Filter::default());
        let n: usize = r
            .plan
            .business_units
            .iter()
            .map(|b| b.decisions.len())
            .sum();
        assert_eq!(all.len(), n);
        let creates = rows(
            &r,
            &Filter {
                action: Some(Action::Create),
                ..Filter::default()
            },
        );
        assert_eq!(creates.len(), r.plan.summary.create);
        let none_group = rows(
            &r,
            &Filter {
                group: Some("none".into()),
                ..Filter::default()
            },
        );
        assert!(none_group
            .iter()
            .all(|x| decision(&r, *x).unwrap().groups.is_empty()));
        let found = rows(
            &r,
            &Filter {
                search: "PRIYA".into(),
                ..Filter::default()
            },
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            decision(&r, found[0]).unwrap().username.as_deref(),
            Some("priya.patel@acme.example")
        );
        let downgrade = rows(
            &r,
            &Filter {
                finding: Some("W-DOWNGRADE".into()),
                ..Filter::default()
            },
        );
        assert!(!downgrade.is_empty());
        let (roles, findings) = options(&r);
        assert!(roles.contains(&"Marketing".to_string()));
        assert!(findings.contains(&"W-DOWNGRADE".to_string()));
    }

    #[test]
    fn the_window_covers_the_viewport_and_no_more() {
        assert_eq!(window(0.0, 360.0, 36.0, 100_000, 5), (0, 16));
        let (s, e) = window(36.0 * 50_000.0, 360.0, 36.0, 100_000, 5);
        assert_eq!((s, e), (49_995, 50_016));
        assert_eq!(window(1e9, 360.0, 36.0, 10, 5), (10, 10));
        assert_eq!(window(0.0, 360.0, 36.0, 0, 5), (0, 0));
    }

    #[test]
    fn search_prefers_exact_then_prefix_matches() {
        let c = |label: &str, kind: &str| Candidate {
            kind: kind.into(),
            reference: label.into(),
            label: label.into(),
            detail: String::new(),
            users: 1,
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
        assert_eq!(bar_percent(5, 10), 50.0);
        assert_eq!(bar_percent(5, 0), 0.0);
        assert_eq!(parse_action("recycle"), Some(Action::Recycle));
    }
}
