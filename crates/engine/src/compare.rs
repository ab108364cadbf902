//! Two set-ups side by side (spec §13): both are planned, and each user's state after each sync
//! (an active AE user in the business unit, and with which role) is compared. Pure: two plans in,
//! one [`Comparison`] out, written as JSON, text or CSV.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::decide::{Action, Decision};
use crate::export::{csv_table, CsvOptions};
use crate::id::UserId;
use crate::model::Text;
use crate::plan::Plan;

/// What a user's access becomes from one set-up to the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// No active AE user after the first set-up's sync; one after the second's.
    GainsAccess,
    /// An active AE user after the first; none after the second.
    LosesAccess,
    /// An active AE user after both, with another role.
    RoleChanges,
    Unchanged,
}

impl Change {
    pub const ALL: [Change; 4] = [
        Change::GainsAccess,
        Change::LosesAccess,
        Change::RoleChanges,
        Change::Unchanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Change::GainsAccess => "gains_access",
            Change::LosesAccess => "loses_access",
            Change::RoleChanges => "role_changes",
            Change::Unchanged => "unchanged",
        }
    }

    /// In an admin's words.
    pub fn label(self) -> &'static str {
        match self {
            Change::GainsAccess => "gains access",
            Change::LosesAccess => "loses access",
            Change::RoleChanges => "role changes",
            Change::Unchanged => "unchanged",
        }
    }
}

/// One set-up's decision about a user, in short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Side {
    pub action: Action,
    /// The AE role after the sync (none: no active AE user).
    pub role: Option<Text>,
    /// The decision's rule code.
    pub reason: String,
}

impl Side {
    fn of(d: &Decision) -> Side {
        Side {
            action: d.action,
            role: d.role.clone(),
            reason: d.reason.code.to_string(),
        }
    }
}

/// One user of one business unit under both set-ups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserChange {
    pub business_unit: String,
    pub salesforce_user_id: Option<UserId>,
    pub ae_user_id: Option<Text>,
    /// How the user is named (username, else email).
    #[serde(default, skip_serializing_if = "crate::omit::none")]
    pub username: Option<Text>,
    pub change: Change,
    /// `None`: the business unit is not in that set-up.
    pub before: Option<Side>,
    pub after: Option<Side>,
}

/// How many users each change concerns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompareSummary {
    pub gains_access: usize,
    pub loses_access: usize,
    pub role_changes: usize,
    pub unchanged: usize,
}

impl CompareSummary {
    pub fn count(&self, c: Change) -> usize {
        match c {
            Change::GainsAccess => self.gains_access,
            Change::LosesAccess => self.loses_access,
            Change::RoleChanges => self.role_changes,
            Change::Unchanged => self.unchanged,
        }
    }

    fn add(&mut self, c: Change) {
        match c {
            Change::GainsAccess => self.gains_access += 1,
            Change::LosesAccess => self.loses_access += 1,
            Change::RoleChanges => self.role_changes += 1,
            Change::Unchanged => self.unchanged += 1,
        }
    }
}

/// The comparison JSON (§13), `format_version` 1.0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    pub format_version: String,
    pub summary: CompareSummary,
    pub users: Vec<UserChange>,
}

/// What a decision leaves: whether the user has an active AE user after the sync, and its role.
fn access(d: Option<&Decision>) -> Option<&str> {
    d.and_then(|d| d.role.as_deref())
}

/// The change from one state to the other.
pub fn change_of(before: Option<&Decision>, after: Option<&Decision>) -> Change {
    match (access(before), access(after)) {
        (None, Some(_)) => Change::GainsAccess,
        (Some(_), None) => Change::LosesAccess,
        (Some(a), Some(b)) if a != b => Change::RoleChanges,
        _ => Change::Unchanged,
    }
}

/// A decision's key in its business unit: the Salesforce user id, else `ae:<AE id>`.
fn key(d: &Decision) -> String {
    match (&d.salesforce_user_id, &d.ae_user_id) {
        (Some(id), _) => id.to_string(),
        (None, Some(ae)) => format!("ae:{ae}"),
        (None, None) => String::new(),
    }
}

/// The order of the plan's decisions: Salesforce users by id, then AE users without one by AE id
/// (as a number, then as text).
fn order(d: &Decision) -> (bool, Option<UserId>, u64, String) {
    let ae = d.ae_user_id.as_deref().unwrap_or("");
    (
        d.salesforce_user_id.is_none(),
        d.salesforce_user_id.clone(),
        ae.parse::<u64>().unwrap_or(u64::MAX),
        ae.to_string(),
    )
}

/// Compare the plans of two set-ups of the same exports: one entry per (business unit, user),
/// business units in the first plan's order then the second's new ones, users as the plans
/// order their decisions.
pub fn compare(before: &Plan, after: &Plan) -> Comparison {
    let mut names: Vec<&str> = before
        .business_units
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    for b in &after.business_units {
        if !names.contains(&b.name.as_str()) {
            names.push(&b.name);
        }
    }
    let decisions_of = |plan: &'_ Plan, bu: &str| -> BTreeMap<String, usize> {
        plan.business_units
            .iter()
            .find(|b| b.name == bu)
            .map(|b| {
                b.decisions
                    .iter()
                    .enumerate()
                    .map(|(i, d)| (key(d), i))
                    .collect()
            })
            .unwrap_or_default()
    };
    fn bu_of<'p>(plan: &'p Plan, bu: &str) -> &'p [Decision] {
        plan.business_units
            .iter()
            .find(|b| b.name == bu)
            .map(|b| b.decisions.as_slice())
            .unwrap_or(&[])
    }
    let mut out = Comparison {
        format_version: "1.0".to_string(),
        summary: CompareSummary::default(),
        users: Vec::new(),
    };
    for name in names {
        let (xs, ys) = (bu_of(before, name), bu_of(after, name));
        let (xi, yi) = (decisions_of(before, name), decisions_of(after, name));
        let mut rows: Vec<(Option<&Decision>, Option<&Decision>)> = xs
            .iter()
            .map(|x| (Some(x), yi.get(&key(x)).and_then(|&i| ys.get(i))))
            .collect();
        rows.extend(
            ys.iter()
                .filter(|y| !xi.contains_key(&key(y)))
                .map(|y| (None, Some(y))),
        );
        rows.sort_by_cached_key(|(x, y)| x.or(*y).map(order));
        for (x, y) in rows {
            let Some(any) = x.or(y) else { continue };
            let change = change_of(x, y);
            out.summary.add(change);
            out.users.push(UserChange {
                business_unit: name.to_string(),
                salesforce_user_id: any.salesforce_user_id.clone(),
                ae_user_id: any.ae_user_id.clone(),
                username: any.username.clone().or_else(|| any.email.clone()),
                change,
                before: x.map(Side::of),
                after: y.map(Side::of),
            });
        }
    }
    out
}

impl Comparison {
    /// The comparison as text: the counts, then every user whose access changes, by change.
    pub fn text(&self, before: &str, after: &str) -> String {
        let s = &self.summary;
        let mut out = format!(
            "syncplan compare: {before} → {after}\n\n{} gain access, {} lose access, {} change role, {} unchanged.\n",
            s.gains_access, s.loses_access, s.role_changes, s.unchanged
        );
        let side = |x: &Option<Side>| match x {
            Some(x) => format!(
                "{}, {} ({})",
                x.action.as_str(),
                x.role.as_deref().unwrap_or("no AE user"),
                x.reason
            ),
            None => "not in this set-up".to_string(),
        };
        for c in [
            Change::GainsAccess,
            Change::LosesAccess,
            Change::RoleChanges,
        ] {
            let users: Vec<&UserChange> = self.users.iter().filter(|u| u.change == c).collect();
            if users.is_empty() {
                continue;
            }
            out.push_str(&format!("\n{} ({}):\n", c.label(), users.len()));
            for u in users {
                let who = u
                    .username
                    .as_deref()
                    .map(str::to_string)
                    .or_else(|| u.ae_user_id.as_deref().map(|a| format!("AE user {a}")))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "  - {who} [{}]: {} → {}\n",
                    u.business_unit,
                    side(&u.before),
                    side(&u.after)
                ));
            }
        }
        out
    }

    /// The comparison as CSV, one row per user (unchanged ones included).
    pub fn csv(&self, opts: CsvOptions) -> String {
        let side = |x: &Option<Side>| -> [String; 3] {
            match x {
                Some(x) => [
                    x.action.as_str().to_string(),
                    x.role.as_deref().unwrap_or("").to_string(),
                    x.reason.clone(),
                ],
                None => Default::default(),
            }
        };
        let rows = self.users.iter().map(|u| {
            let mut row = vec![
                u.business_unit.clone(),
                u.salesforce_user_id
                    .as_ref()
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
                u.ae_user_id.as_deref().unwrap_or("").to_string(),
                u.username.as_deref().unwrap_or("").to_string(),
                u.change.as_str().to_string(),
            ];
            row.extend(side(&u.before));
            row.extend(side(&u.after));
            row
        });
        csv_table(
            &[
                "business_unit",
                "salesforce_user_id",
                "ae_user_id",
                "username",
                "change",
                "before_action",
                "before_role",
                "before_reason",
                "after_action",
                "after_role",
                "after_reason",
            ],
            rows,
            opts,
        )
    }
}
