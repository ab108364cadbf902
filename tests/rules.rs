//! Scenario file checks (§8, §10.17): round trip, errors with line and column, unknown keys.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use syncplan::engine::scenario;
use syncplan::engine::Error;

const SPEC_EXAMPLE: &str = r#"{
  "format_version": "1",
  "mode": "latest",
  "both_groups": "sales_wins",
  "business_units": [
    {
      "name": "Acme Marketing",
      "creator": "admin@acme.example",
      "ae_users": "ae-users-acme.csv",
      "marketing_users": [
        { "public_group": "EMEA_Marketing" },
        { "role_and_subordinates": "VP Marketing" },
        { "user": "0055g00000AbCdEAAV" }
      ],
      "sales_users": [ { "role": "Sales Rep" } ],
      "profile_roles": { "System Administrator": "Administrator", "Marketing Lead": "Sales Manager" }
    }
  ],
  "legacy": {
    "profiles": { "Marketing User": "Marketing", "Sales Rep": "Sales" },
    "update_role_on_profile_change": true,
    "recycle_when_profile_unselected": false,
    "skip_on_email_match": true
  }
}"#;

#[test]
fn spec_example_round_trips() {
    let (s, diags) = scenario::parse("syncplan.json", SPEC_EXAMPLE).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    let again = scenario::parse("syncplan.json", &s.to_json()).unwrap().0;
    assert_eq!(s, again);
    assert_eq!(s.business_units[0].marketing_users.len(), 3);
}

#[test]
fn syntax_and_missing_fields_have_line_and_column() {
    let e = scenario::parse("s.json", "{\n  \"mode\": \"latest\",\n}").unwrap_err();
    assert!(matches!(e, Error::Scenario { line: 3, .. }), "{e:?}");
    let e =
        scenario::parse("s.json", "{\"mode\": \"latest\", \"business_units\": []}").unwrap_err();
    match e {
        Error::Scenario { message, .. } => assert!(message.contains("format_version"), "{message}"),
        other => panic!("{other:?}"),
    }
    let e = scenario::parse(
        "s.json",
        "{\"format_version\": \"1\", \"mode\": \"sideways\"}",
    )
    .unwrap_err();
    assert!(matches!(e, Error::Scenario { .. }));
}

#[test]
fn text_after_the_set_up_is_an_error() {
    let e = scenario::parse("s.json", r#"{"format_version":"1","mode":"latest"} {}"#).unwrap_err();
    assert!(matches!(e, Error::Scenario { line: 1, .. }), "{e:?}");
}

#[test]
fn unknown_keys_warn_and_defaults_apply() {
    let (s, diags) = scenario::parse(
        "s.json",
        r#"{"format_version":"1","mode":"legacy","colour":"red","business_units":[{"name":"A","x":1}],"legacy":{"surprise":{"deep":1}}}"#,
    )
    .unwrap();
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["W-SCENARIO-KEY"; 3]);
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "unknown key `colour` in the scenario is ignored",
            "unknown key `business_units[0].x` in the scenario is ignored",
            "unknown key `legacy.surprise` in the scenario is ignored",
        ]
    );
    let l = s.legacy.unwrap();
    assert!(
        l.update_role_on_profile_change
            && l.skip_on_email_match
            && !l.recycle_when_profile_unselected
    );
    assert_eq!(s.both_groups, scenario::BothGroups::SalesWins);
}
