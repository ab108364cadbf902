//! The built-in examples of the documentation explainer: each teaches its rule, and flipping a
//! switch changes the outcome the way the lesson says.
#![allow(clippy::unwrap_used)]

use syncplan::engine::examples::{self, Example, EXAMPLES};

/// (action, reason code, role) of the example's focus user for the given switches.
fn outcome(
    e: &Example,
    switches: &[(&str, bool)],
) -> (String, String, Option<String>, Vec<String>) {
    let report = e.report(switches).unwrap();
    for f in &report.plan.files {
        assert_eq!(f.rows_rejected, 0, "{}: {f:?}", e.name);
    }
    let d = e
        .focus_decision(&report)
        .unwrap_or_else(|| panic!("{}: no decision for {}", e.name, e.focus));
    let findings: Vec<String> = report
        .plan
        .findings
        .iter()
        .map(|f| f.code.to_string())
        .collect();
    (
        d.action.as_str().to_string(),
        d.reason.code.to_string(),
        d.role.as_deref().map(str::to_string),
        findings,
    )
}

/// (example, switches, action, reason code, role).
type Case = (
    &'static str,
    &'static [(&'static str, bool)],
    &'static str,
    &'static str,
    Option<&'static str>,
);

#[test]
fn every_example_teaches_its_rule() {
    #[rustfmt::skip]
    let table: &[Case] = &[
        ("inactive-user", &[], "none", "L-IN-SYNC", Some("Marketing")),
        ("inactive-user", &[("active", false)], "recycle", "L-INACTIVE", None),
        ("inactive-user", &[("assigned", false)], "recycle", "L-NOT-ASSIGNED", None),
        ("both-groups", &[], "create", "L-CREATE", Some("Sales")),
        ("both-groups", &[("marketing_wins", true)], "create", "L-CREATE", Some("Marketing")),
        ("both-groups", &[("sales", false)], "create", "L-CREATE", Some("Marketing")),
        ("both-groups", &[("marketing", false), ("sales", false)], "none", "L-OUT-OF-SCOPE", None),
        ("nested-groups", &[], "create", "L-CREATE", Some("Marketing")),
        ("nested-groups", &[("nested", false)], "none", "L-OUT-OF-SCOPE", None),
        ("nested-groups", &[("member", false)], "none", "L-OUT-OF-SCOPE", None),
        ("unlinked-same-email", &[], "skip", "L-SKIP-EMAIL", None),
        ("unlinked-same-email", &[("linked", true)], "none", "L-IN-SYNC", Some("Marketing")),
        ("unlinked-same-email", &[("assigned", false)], "none", "L-OUT-OF-SCOPE", None),
        ("creator-admin", &[], "none", "L-IN-SYNC", Some("Administrator")),
        ("creator-admin", &[("assigned", false)], "recycle", "L-NOT-ASSIGNED", None),
        ("legacy-vs-latest", &[], "none", "L-OUT-OF-SCOPE", None),
        ("legacy-vs-latest", &[("assigned", true)], "create", "L-CREATE", Some("Marketing")),
        ("legacy-vs-latest", &[("legacy", true)], "create", "G-CREATE", Some("Marketing")),
        ("role-and-subordinates", &[], "none", "L-OUT-OF-SCOPE", None),
        ("role-and-subordinates", &[("subordinates", true)], "create", "L-CREATE", Some("Marketing")),
        ("grant-access-hierarchies", &[], "none", "L-OUT-OF-SCOPE", None),
        ("grant-access-hierarchies", &[("include_bosses", true)], "create", "L-CREATE", Some("Marketing")),
        ("grant-access-hierarchies", &[("include_bosses", true), ("bosses", false)], "none", "L-OUT-OF-SCOPE", None),
        ("legacy-role", &[], "none", "G-SELECTED", Some("Sales Manager")),
        ("legacy-role", &[("profile_changed", true)], "update", "G-SELECTED", Some("Marketing")),
        ("territory-group", &[], "recycle", "L-NOT-ASSIGNED", None),
        ("territory-group", &[("member", true)], "none", "L-IN-SYNC", Some("Marketing")),
        ("territory-group", &[("territory", false)], "recycle", "L-NOT-ASSIGNED", None),
    ];
    let mut failures = Vec::new();
    for (name, switches, action, code, role) in table {
        let e = examples::find(name).unwrap();
        let (a, c, r, _) = outcome(e, switches);
        if (a.as_str(), c.as_str(), r.as_deref()) != (*action, *code, *role) {
            failures.push(format!(
                "{name} {switches:?}: got {a} {c} {r:?}, want {action} {code} {role:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_explainer_raises_the_findings_the_lessons_speak_of() {
    let both = examples::find("both-groups").unwrap();
    assert!(outcome(both, &[]).3.contains(&"W-BOTH".to_string()));
    let creator = examples::find("creator-admin").unwrap();
    let lost = outcome(creator, &[("assigned", false)]).3;
    assert!(lost.contains(&"W-CREATOR-LOST".to_string()), "{lost:?}");
    assert!(lost.contains(&"W-NO-ADMIN".to_string()), "{lost:?}");
    let unlinked = examples::find("unlinked-same-email").unwrap();
    assert!(outcome(unlinked, &[]).3.contains(&"W-SKIP".to_string()));
}

/// The assumption codes of the example's focus decision.
fn assumed(name: &str, switches: &[(&str, bool)]) -> Vec<String> {
    let e = examples::find(name).unwrap();
    let report = e.report(switches).unwrap();
    let d = e.focus_decision(&report).unwrap();
    d.assumptions.iter().map(|a| a.code.to_string()).collect()
}

#[test]
fn the_switches_of_the_newer_rules_show_the_assumption_they_rest_on() {
    assert_eq!(assumed("territory-group", &[]), ["A-UNRESOLVED-GROUP"]);
    assert!(assumed("territory-group", &[("territory", false)]).is_empty());
    assert!(assumed("territory-group", &[("member", true)]).is_empty());
    assert_eq!(assumed("legacy-role", &[]), ["A-LEGACY-ROLE"]);
    assert!(assumed("legacy-role", &[("profile_changed", true)]).is_empty());
    assert_eq!(
        assumed("grant-access-hierarchies", &[("include_bosses", true)]),
        ["M-BOSSES"]
    );
    let e = examples::find("grant-access-hierarchies").unwrap();
    let report = e.report(&[]).unwrap();
    assert!(report
        .plan
        .diagnostics
        .iter()
        .any(|d| d.code.as_str() == "W-BOSSES"));
    let e = examples::find("territory-group").unwrap();
    assert!(outcome(e, &[])
        .3
        .contains(&"A-UNRESOLVED-GROUP".to_string()));
}

#[test]
fn there_are_at_least_six_examples_with_unique_names() {
    assert!(EXAMPLES.len() >= 6);
    let mut names: Vec<_> = EXAMPLES.iter().map(|e| e.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), EXAMPLES.len());
    for e in EXAMPLES {
        assert!(!e.toggles.is_empty(), "{}", e.name);
        let findings = outcome(e, &[]).3;
        assert!(
            !findings.contains(&"W-B2BMA".to_string()),
            "{}: {findings:?}",
            e.name
        );
        assert_eq!(e.files(&e.defaults()), e.files(&[]), "{}", e.name);
    }
}
