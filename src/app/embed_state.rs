//! The documentation explainer's state (`?embed&example=…`): which built-in example, which
//! switches are on, and the outcome the engine gives for them. No `Html`, no web-sys: tested
//! natively.
//!
//! The explainer is a separate root from the main app (it is embedded in other pages with an
//! iframe), so it has its own small reducer.
//!
//! The outcome is the engine's: each example is a tiny org (a few users) that the engine plans
//! like any other input, on the page's thread (microseconds; the engine is in the page's wasm,
//! which the worker shares), so the explainer never re-implements a rule.

use crate::engine::Code;
use std::rc::Rc;

use yew::Reducible;

use crate::engine::examples::{self, Example, EXAMPLES};

/// What the engine says about the example's focus user.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub action: String,
    pub reason_code: String,
    pub reason: String,
    pub role: Option<String>,
    pub previous_role: Option<String>,
    pub role_reason: Option<(String, String)>,
    /// (step, text): scope → match → role → action.
    pub trace: Vec<(String, String)>,
    /// (code, text) of the assumed rules the outcome rests on.
    pub assumptions: Vec<(String, String)>,
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
        let outcome = outcome(example, &switches);
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
                next.outcome = outcome(next.example, &next.switches);
                Rc::new(next)
            }
        }
    }
}

/// Plan the example with these switches and pick out its focus user.
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
        assumptions: decision
            .assumptions
            .iter()
            .map(|a| (a.code.to_string(), a.text.clone()))
            .collect(),
        findings: report
            .plan
            .findings
            .iter()
            .filter(|f| !matches!(f.code, Code::WTiming | Code::WIrreversible))
            .map(|f| (f.code.to_string(), f.message.clone()))
            .collect(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Every example plans under every combination of its switches.
    #[test]
    fn every_combination_of_every_example_has_the_engines_outcome() {
        for example in EXAMPLES {
            let n = example.toggles.len();
            for bits in 0..1u32 << n {
                let switches: Vec<(&str, bool)> = example
                    .toggles
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (t.key, bits >> (n - 1 - i) & 1 == 1))
                    .collect();
                let o = outcome(example, &switches);
                assert!(o.is_ok(), "{} {switches:?}: {o:?}", example.name);
            }
        }
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
