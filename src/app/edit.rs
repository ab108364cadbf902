//! Edits of the scenario made on the set-up screen: plain data and a pure [`apply`], so every
//! edit is tested natively. The engine decides what the scenario means; this only writes it.

use crate::engine::membership::Set;
use crate::engine::scenario::{Assignment, BothGroups, BusinessUnit, Legacy, Mode, Scenario};

/// A legacy connector switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacySwitch {
    UpdateRoleOnProfileChange,
    RecycleWhenProfileUnselected,
    SkipOnEmailMatch,
    AssumeProfileChanged,
}

/// One change to the scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    SetMode(Mode),
    SetBothGroups(BothGroups),
    SetIncludeBosses(bool),
    AddBusinessUnit(String),
    RemoveBusinessUnit(usize),
    RenameBusinessUnit(usize, String),
    /// The BU creator (Id, Username or unique Name); `None`: the PardotTenant's admin.
    SetCreator(usize, Option<String>),
    /// The AE users export of a BU (a file name); `None`: a new BU with no AE users.
    SetAeUsers(usize, Option<String>),
    AddAssignment(usize, Set, Assignment),
    RemoveAssignment(usize, Set, usize),
    /// Profile name → AE role in a BU's table; `None` removes the row (the default applies).
    SetProfileRole(usize, String, Option<String>),
    /// Legacy: tick a profile with its AE role, or untick it (`None`), in the shared settings
    /// (`None`) or in a business unit's own.
    SetLegacyProfile(Option<usize>, String, Option<String>),
    SetLegacySwitch(Option<usize>, LegacySwitch, bool),
    /// Legacy: a business unit's connector has settings of its own (starting as a copy of the
    /// shared ones), or uses the shared ones again.
    SetOwnLegacy(usize, bool),
}

/// The legacy settings an edit writes: a business unit's own (`Some(i)`, when it has them) or
/// the shared ones, made when missing.
fn legacy_of(s: &mut Scenario, bu: Option<usize>) -> Option<&mut Legacy> {
    match bu {
        Some(i) => s.business_units.get_mut(i).and_then(|b| b.legacy.as_mut()),
        None => Some(s.legacy.get_or_insert_with(Legacy::default)),
    }
}

fn clean(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The scenario after one edit. Edits that name a business unit that does not exist (or an
/// assignment already there) change nothing.
pub fn apply(mut s: Scenario, edit: Edit) -> Scenario {
    match edit {
        Edit::SetMode(m) => {
            s.mode = m;
            if m == Mode::Legacy && s.legacy.is_none() {
                s.legacy = Some(Legacy::default());
            }
        }
        Edit::SetBothGroups(b) => s.both_groups = b,
        Edit::SetIncludeBosses(on) => s.include_bosses = on,
        Edit::AddBusinessUnit(name) => {
            let name = name.trim().to_string();
            let taken = s
                .business_units
                .iter()
                .any(|b| b.name.trim().eq_ignore_ascii_case(&name));
            if !name.is_empty() && !taken {
                s.business_units.push(BusinessUnit {
                    name,
                    ..BusinessUnit::default()
                });
            }
        }
        Edit::RemoveBusinessUnit(i) => {
            if i < s.business_units.len() {
                s.business_units.remove(i);
            }
        }
        Edit::RenameBusinessUnit(i, name) => {
            if let (Some(bu), Some(name)) = (s.business_units.get_mut(i), clean(&name)) {
                bu.name = name;
            }
        }
        Edit::SetCreator(i, c) => {
            if let Some(bu) = s.business_units.get_mut(i) {
                bu.creator = c.as_deref().and_then(clean);
            }
        }
        Edit::SetAeUsers(i, f) => {
            if let Some(bu) = s.business_units.get_mut(i) {
                bu.ae_users = f.as_deref().and_then(clean);
            }
        }
        Edit::AddAssignment(i, set, a) => {
            if let Some(bu) = s.business_units.get_mut(i) {
                let list = match set {
                    Set::Marketing => &mut bu.marketing_users,
                    Set::Sales => &mut bu.sales_users,
                };
                if !list.contains(&a) {
                    list.push(a);
                }
            }
        }
        Edit::RemoveAssignment(i, set, j) => {
            if let Some(bu) = s.business_units.get_mut(i) {
                let list = match set {
                    Set::Marketing => &mut bu.marketing_users,
                    Set::Sales => &mut bu.sales_users,
                };
                if j < list.len() {
                    list.remove(j);
                }
            }
        }
        Edit::SetProfileRole(i, profile, role) => {
            if let Some(bu) = s.business_units.get_mut(i) {
                match role.as_deref().and_then(clean) {
                    Some(r) => {
                        bu.profile_roles.insert(profile, r);
                    }
                    None => {
                        bu.profile_roles.remove(&profile);
                    }
                }
            }
        }
        Edit::SetLegacyProfile(bu, profile, role) => {
            let Some(legacy) = legacy_of(&mut s, bu) else {
                return s;
            };
            match role.as_deref().and_then(clean) {
                Some(r) => {
                    legacy.profiles.insert(profile, r);
                }
                None => {
                    legacy.profiles.remove(&profile);
                }
            }
        }
        Edit::SetLegacySwitch(bu, which, on) => {
            let Some(legacy) = legacy_of(&mut s, bu) else {
                return s;
            };
            match which {
                LegacySwitch::UpdateRoleOnProfileChange => {
                    legacy.update_role_on_profile_change = on
                }
                LegacySwitch::RecycleWhenProfileUnselected => {
                    legacy.recycle_when_profile_unselected = on
                }
                LegacySwitch::SkipOnEmailMatch => legacy.skip_on_email_match = on,
                LegacySwitch::AssumeProfileChanged => legacy.assume_profile_changed = on,
            }
        }
        Edit::SetOwnLegacy(i, own) => {
            let shared = s.legacy.clone().unwrap_or_default();
            if let Some(bu) = s.business_units.get_mut(i) {
                if !own {
                    bu.legacy = None;
                } else if bu.legacy.is_none() {
                    bu.legacy = Some(shared);
                }
            }
        }
    }
    s
}

/// The AE roles every business unit has.
pub const BUILT_IN_ROLES: [&str; 5] = [
    "Administrator",
    "Marketing Manager",
    "Marketing",
    "Sales Manager",
    "Sales",
];

/// How an assignment kind is called on screen.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "user" => "User",
        "public_group" => "Public group",
        "role" => "Role",
        "role_and_subordinates" => "Role and subordinates",
        "role_and_internal_subordinates" => "Role and internal subordinates",
        _ => "Assignment",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn one_bu() -> Scenario {
        apply(Scenario::default(), Edit::AddBusinessUnit("EMEA".into()))
    }

    #[test]
    fn business_units_are_added_renamed_and_removed() {
        let s = one_bu();
        assert_eq!(s.business_units[0].name, "EMEA");
        let s = apply(s, Edit::AddBusinessUnit(" emea ".into()));
        assert_eq!(s.business_units.len(), 1, "names are unique");
        let s = apply(s, Edit::RenameBusinessUnit(0, "Europe".into()));
        let s = apply(s, Edit::RenameBusinessUnit(0, "  ".into()));
        assert_eq!(s.business_units[0].name, "Europe");
        let s = apply(s, Edit::RemoveBusinessUnit(3));
        assert_eq!(s.business_units.len(), 1);
        let s = apply(s, Edit::RemoveBusinessUnit(0));
        assert!(s.business_units.is_empty());
    }

    #[test]
    fn assignments_are_added_once_and_removed_by_position() {
        let a = Assignment::PublicGroup("All_Marketing".into());
        let s = apply(one_bu(), Edit::AddAssignment(0, Set::Marketing, a.clone()));
        let s = apply(s, Edit::AddAssignment(0, Set::Marketing, a.clone()));
        let s = apply(
            s,
            Edit::AddAssignment(0, Set::Sales, Assignment::Role("Sales Rep".into())),
        );
        assert_eq!(s.business_units[0].marketing_users, vec![a]);
        assert_eq!(s.business_units[0].sales_users.len(), 1);
        let s = apply(s, Edit::RemoveAssignment(0, Set::Marketing, 0));
        assert!(s.business_units[0].marketing_users.is_empty());
        assert_eq!(s.business_units[0].sales_users.len(), 1);
    }

    #[test]
    fn profile_roles_creator_and_legacy_switches() {
        let s = apply(
            one_bu(),
            Edit::SetProfileRole(0, "Marketing Lead".into(), Some("Sales Manager".into())),
        );
        assert_eq!(
            s.business_units[0].profile_roles["Marketing Lead"],
            "Sales Manager"
        );
        let s = apply(s, Edit::SetProfileRole(0, "Marketing Lead".into(), None));
        assert!(s.business_units[0].profile_roles.is_empty());
        let s = apply(s, Edit::SetCreator(0, Some(" admin@acme.example ".into())));
        assert_eq!(
            s.business_units[0].creator.as_deref(),
            Some("admin@acme.example")
        );
        let s = apply(s, Edit::SetCreator(0, Some("".into())));
        assert_eq!(s.business_units[0].creator, None);
        let s = apply(s, Edit::SetMode(Mode::Legacy));
        assert!(s.legacy.is_some());
        let s = apply(
            s,
            Edit::SetLegacySwitch(None, LegacySwitch::SkipOnEmailMatch, false),
        );
        let s = apply(
            s,
            Edit::SetLegacyProfile(None, "Marketing User".into(), Some("Marketing".into())),
        );
        let s = apply(
            s,
            Edit::SetLegacySwitch(None, LegacySwitch::AssumeProfileChanged, true),
        );
        let l = s.legacy.clone().unwrap();
        assert!(!l.skip_on_email_match && l.assume_profile_changed);
        assert_eq!(l.profiles["Marketing User"], "Marketing");
        assert!(s.to_json().contains("\"assume_profile_changed\": true"));
    }

    #[test]
    fn a_business_unit_gets_legacy_settings_of_its_own_and_gives_them_back() {
        let s = apply(one_bu(), Edit::SetMode(Mode::Legacy));
        let s = apply(
            s,
            Edit::SetLegacyProfile(None, "Marketing User".into(), Some("Marketing".into())),
        );
        // Without settings of its own, an edit of the business unit's changes nothing.
        let same = apply(
            s.clone(),
            Edit::SetLegacySwitch(Some(0), LegacySwitch::RecycleWhenProfileUnselected, true),
        );
        assert_eq!(same, s);
        let s = apply(s, Edit::SetOwnLegacy(0, true));
        let own = s.business_units[0].legacy.clone().unwrap();
        assert_eq!(
            own.profiles["Marketing User"], "Marketing",
            "a copy of the shared"
        );
        let s = apply(
            s,
            Edit::SetLegacySwitch(Some(0), LegacySwitch::RecycleWhenProfileUnselected, true),
        );
        let s = apply(
            s,
            Edit::SetLegacyProfile(Some(0), "Marketing User".into(), None),
        );
        let own = s.business_units[0].legacy.clone().unwrap();
        assert!(own.recycle_when_profile_unselected && own.profiles.is_empty());
        let shared = s.legacy.clone().unwrap();
        assert!(!shared.recycle_when_profile_unselected);
        assert_eq!(
            shared.profiles.len(),
            1,
            "the shared settings are untouched"
        );
        assert!(s
            .to_json()
            .contains("\"recycle_when_profile_unselected\": true"));
        let s = apply(s, Edit::SetOwnLegacy(0, false));
        assert_eq!(s.business_units[0].legacy, None);
    }

    #[test]
    fn the_bosses_switch_is_saved_only_when_on() {
        let s = apply(one_bu(), Edit::SetIncludeBosses(true));
        assert!(s.include_bosses);
        assert!(s.to_json().contains("\"include_bosses\": true"));
        let s = apply(s, Edit::SetIncludeBosses(false));
        assert!(!s.include_bosses && !s.to_json().contains("include_bosses"));
    }
}
