//! The documentation explainer's state (`?embed&example=…`): which built-in example, which
//! switches are on, and the outcome the engine gives for them. No `Html`, no web-sys: tested
//! natively.
//!
//! The explainer is a separate root from the main app (it is embedded in other pages with an
//! iframe), so it has its own small reducer.
//!
//! The page does not run the engine for it: every example has a few switches (30 combinations
//! in all), and the engine's outcome for each is computed ahead of time into
//! `embed_outcomes.json`, which the page includes. Linking the engine (ingestion, the encoding
//! tables, the rules) into the page's wasm for these tiny orgs doubled the page's download.
//! The test `precomputed_outcomes_are_the_engines` plans every combination with the engine
//! and fails when the file differs (`SYNCPLAN_BLESS=1 cargo test embed_state` rewrites it),
//! so the explainer shows what the engine says today and never re-implements a rule.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use yew::Reducible;

use crate::engine::examples::{self, Example, EXAMPLES};

/// What the engine says about the example's focus user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub action: String,
    pub reason_code: String,
    pub reason: String,
    pub role: Option<String>,
    pub previous_role: Option<String>,
    pub role_reason: Option<(String, String)>,
    /// (step, text): scope → match → role → action.
    pub trace: Vec<(String, String)>,
    /// (code, message) of the findings about the whole plan.
    pub findings: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EmbedState {
    pub example: &'static Example,
    pub switches: Vec<(&'static str, bool)>,
    pub outcome: Result<Outcome, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EmbedAction {
    /// Show another example (by name), with its switches at their defaults.
    Choose(String),
    /// Flip one switch.
    Toggle(&'static str),
}

impl EmbedState {
    /// The example named in `?example=…`, or the first one.
    pub fn new(name: Option<&str>) -> Self {
        let example = name
            .and_then(examples::find)
            .or_else(|| EXAMPLES.first())
            .unwrap_or(&EXAMPLES[0]);
        let switches = example.defaults();
        let outcome = precomputed(example, &switches);
        EmbedState {
            example,
            switches,
            outcome,
        }
    }

    pub fn is_on(&self, key: &str) -> bool {
        self.switches.iter().any(|(k, v)| *k == key && *v)
    }
}

impl Reducible for EmbedState {
    type Action = EmbedAction;

    fn reduce(self: Rc<Self>, action: EmbedAction) -> Rc<Self> {
        match action {
            EmbedAction::Choose(name) => match examples::find(&name) {
                Some(_) => Rc::new(EmbedState::new(Some(&name))),
                None => self,
            },
            EmbedAction::Toggle(key) => {
                let mut next = (*self).clone();
                for (k, v) in next.switches.iter_mut() {
                    if *k == key {
                        *v = !*v;
                    }
                }
                next.outcome = precomputed(next.example, &next.switches);
                Rc::new(next)
            }
        }
    }
}

/// Every example's outcome under every combination of its switches: example name → switch
/// key (see [`key`]) → outcome or error message.
pub type Outcomes = BTreeMap<String, BTreeMap<String, Result<Outcome, String>>>;

/// The outcomes computed ahead of time (see the module's documentation).
const PRECOMPUTED: &str = include_str!("embed_outcomes.json");

/// The switches as a key: one `0` or `1` per switch, in the example's order.
pub fn key(switches: &[(&str, bool)]) -> String {
    switches
        .iter()
        .map(|(_, on)| if *on { '1' } else { '0' })
        .collect()
}

/// The engine's outcome for the example with these switches, from the precomputed table.
pub fn precomputed(example: &Example, switches: &[(&str, bool)]) -> Result<Outcome, String> {
    static TABLE: OnceLock<Result<Outcomes, String>> = OnceLock::new();
    let table = TABLE
        .get_or_init(|| {
            serde_json::from_str(PRECOMPUTED)
                .map_err(|e| format!("the explainer's outcomes cannot be read: {e}"))
        })
        .as_ref()
        .map_err(Clone::clone)?;
    table
        .get(example.name)
        .and_then(|by_key| by_key.get(&key(switches)))
        .cloned()
        .unwrap_or_else(|| {
            Err(format!(
                "no outcome for the example `{}` with these switches",
                example.name
            ))
        })
}

/// Plan every example under every combination of its switches with the engine: what
/// `embed_outcomes.json` holds.
pub fn compute_all() -> Outcomes {
    EXAMPLES
        .iter()
        .map(|example| {
            let n = example.toggles.len();
            let by_key = (0..1u32 << n)
                .map(|bits| {
                    let switches: Vec<(&str, bool)> = example
                        .toggles
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (t.key, bits >> (n - 1 - i) & 1 == 1))
                        .collect();
                    (key(&switches), outcome(example, &switches))
                })
                .collect();
            (example.name.to_string(), by_key)
        })
        .collect()
}

/// Plan the example with these switches and pick out its focus user (the engine's answer,
/// natively; the page reads [`precomputed`]).
pub fn outcome(example: &Example, switches: &[(&str, bool)]) -> Result<Outcome, String> {
    let report = example.report(switches).map_err(|e| e.to_string())?;
    let decision = example
        .focus_decision(&report)
        .ok_or_else(|| format!("the example has no decision for `{}`", example.focus))?;
    Ok(Outcome {
        action: decision.action.as_str().to_string(),
        reason_code: decision.reason.code.to_string(),
        reason: decision.reason.text.clone(),
        role: decision.role.as_deref().map(str::to_string),
        previous_role: decision.previous_role.as_deref().map(str::to_string),
        role_reason: decision
            .role_reason
            .as_ref()
            .map(|r| (r.code.to_string(), r.text.clone())),
        trace: decision
            .trace
            .iter()
            .map(|t| (t.step.to_string(), t.text.to_string()))
            .collect(),
        findings: report
            .plan
            .findings
            .iter()
            .filter(|f| !matches!(f.code.as_str(), "W-TIMING" | "W-IRREVERSIBLE"))
            .map(|f| (f.code.clone(), f.message.clone()))
            .collect(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The page shows `embed_outcomes.json`: it must be what the engine says today.
    #[test]
    fn precomputed_outcomes_are_the_engines() {
        let all = compute_all();
        let fresh = serde_json::to_string_pretty(&all).unwrap() + "\n";
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/app/embed_outcomes.json");
        if std::env::var_os("SYNCPLAN_BLESS").is_some() {
            std::fs::write(path, &fresh).unwrap();
        } else {
            assert!(
                fresh == PRECOMPUTED,
                "src/app/embed_outcomes.json is stale: run `SYNCPLAN_BLESS=1 cargo test embed_state`"
            );
        }
        let count: usize = all.values().map(BTreeMap::len).sum();
        let combinations: usize = EXAMPLES.iter().map(|e| 1 << e.toggles.len()).sum();
        assert_eq!(count, combinations);
        for example in EXAMPLES {
            let defaults = example.defaults();
            assert_eq!(
                precomputed(example, &defaults),
                outcome(example, &defaults),
                "{}",
                example.name
            );
        }
    }

    #[test]
    fn an_unknown_combination_is_an_error_not_a_panic() {
        let example = examples::find("inactive-user").unwrap();
        let err = precomputed(example, &[("active", true)]).unwrap_err();
        assert!(err.contains("`inactive-user`"), "{err}");
    }

    #[test]
    fn opens_on_the_named_example_or_the_first() {
        assert_eq!(
            EmbedState::new(Some("both-groups")).example.name,
            "both-groups"
        );
        assert_eq!(EmbedState::new(Some("nope")).example.name, EXAMPLES[0].name);
        assert_eq!(EmbedState::new(None).example.name, EXAMPLES[0].name);
    }

    #[test]
    fn flipping_a_switch_changes_the_outcome() {
        let s = Rc::new(EmbedState::new(Some("inactive-user")));
        assert_eq!(s.outcome.as_ref().unwrap().action, "none");
        let s = s.reduce(EmbedAction::Toggle("active"));
        assert!(!s.is_on("active"));
        let o = s.outcome.as_ref().unwrap();
        assert_eq!(
            (o.action.as_str(), o.reason_code.as_str()),
            ("recycle", "L-INACTIVE")
        );
        assert!(!o.trace.is_empty());
        let s = s.reduce(EmbedAction::Toggle("active"));
        assert_eq!(s.outcome.as_ref().unwrap().action, "none");
    }

    #[test]
    fn choosing_an_example_resets_its_switches() {
        let s =
            Rc::new(EmbedState::new(Some("nested-groups"))).reduce(EmbedAction::Toggle("nested"));
        assert!(!s.is_on("nested"));
        let s = s.reduce(EmbedAction::Choose("both-groups".into()));
        assert_eq!(s.example.name, "both-groups");
        assert_eq!(s.switches, s.example.defaults());
        let o = s.outcome.as_ref().unwrap();
        assert_eq!(o.role.as_deref(), Some("Sales"));
        assert!(o.findings.iter().any(|(c, _)| c == "W-BOTH"));
    }
}
