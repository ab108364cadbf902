//! What kind of user a Salesforce user is: its effective UserType (§10.6) and whether it is an
//! integration or system user (W-INTEGRATION), with the evidence.

use serde::{Deserialize, Serialize};

use super::model::{Org, Profile, User};

/// The UserType used by the rules, and how it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserType {
    pub value: String,
    /// `user` (User.UserType), `profile` (Profile.UserType), `license` (inferred), `assumed`.
    pub from: &'static str,
}

impl UserType {
    pub fn is_standard(&self) -> bool {
        self.value.eq_ignore_ascii_case("Standard")
    }
    pub fn assumed(&self) -> bool {
        self.from == "assumed"
    }
}

pub fn profile<'a>(org: &'a Org, u: &User) -> Option<&'a Profile> {
    if let Some(p) = u.profile_id.as_ref().and_then(|id| org.profiles.get(id)) {
        return Some(p);
    }
    let name = u.profile_name.as_deref()?;
    org.profiles.values().find(|p| p.name == name)
}

pub fn profile_name(org: &Org, u: &User) -> Option<String> {
    profile(org, u)
        .map(|p| p.name.clone())
        .or_else(|| u.profile_name.clone())
        .filter(|n| !n.trim().is_empty())
}

pub fn license_name(org: &Org, u: &User) -> Option<String> {
    if let Some(l) = u.license_name.as_ref().filter(|l| !l.trim().is_empty()) {
        return Some(l.trim().to_string());
    }
    let p = profile(org, u)?;
    if let Some(l) = p.license_name.as_ref().filter(|l| !l.trim().is_empty()) {
        return Some(l.trim().to_string());
    }
    p.license_id
        .as_ref()
        .and_then(|id| org.licenses.get(id))
        .map(|l| l.name.clone())
}

/// §10.6: User.UserType, then Profile.UserType, then inferred from the license; failing all,
/// `Standard`, as an assumption.
pub fn user_type(org: &Org, u: &User) -> UserType {
    if let Some(t) = u.user_type.as_ref().filter(|t| !t.trim().is_empty()) {
        return UserType {
            value: t.trim().to_string(),
            from: "user",
        };
    }
    if let Some(t) = profile(org, u)
        .and_then(|p| p.user_type.clone())
        .filter(|t| !t.trim().is_empty())
    {
        return UserType {
            value: t.trim().to_string(),
            from: "profile",
        };
    }
    if let Some(l) = license_name(org, u) {
        let l = l.to_lowercase();
        let inferred = if l.contains("chatter free") || l.contains("chatter external") {
            Some("CsnOnly")
        } else if l.contains("guest") {
            Some("Guest")
        } else if l.contains("partner") {
            Some("PowerPartner")
        } else if l.contains("customer community")
            || l.contains("customer portal")
            || l.contains("high volume")
        {
            Some("CspLitePortal")
        } else if l == "salesforce"
            || l == "salesforce platform"
            || l.contains("integration")
            || l.contains("identity")
        {
            Some("Standard")
        } else {
            None
        };
        if let Some(t) = inferred {
            return UserType {
                value: t.to_string(),
                from: "license",
            };
        }
    }
    UserType {
        value: "Standard".to_string(),
        from: "assumed",
    }
}

pub fn is_b2bma(org: &Org, u: &User) -> bool {
    u.username
        .trim()
        .to_lowercase()
        .starts_with("b2bmaintegration@")
        || profile_name(org, u).is_some_and(|p| p.eq_ignore_ascii_case("B2BMA Integration User"))
}

/// Evidence that a user is an integration or system user; empty for a person.
pub fn integration_evidence(org: &Org, u: &User) -> Vec<String> {
    let mut ev = Vec::new();
    let uname = u.username.trim().to_lowercase();
    let name = u.name.clone().unwrap_or_default();
    let pname = profile_name(org, u).unwrap_or_default();
    let lname = license_name(org, u).unwrap_or_default();
    if uname.starts_with("b2bmaintegration@") {
        ev.push(format!(
            "username `{}` is the B2BMA Integration user's",
            u.username
        ));
    }
    if pname.eq_ignore_ascii_case("B2BMA Integration User") {
        ev.push("profile `B2BMA Integration User`".to_string());
    }
    if lname.eq_ignore_ascii_case("Salesforce Integration") {
        ev.push("license `Salesforce Integration`".to_string());
    }
    if pname.eq_ignore_ascii_case("Minimum Access - API Only Integrations") {
        ev.push(format!("profile `{pname}`"));
    }
    if profile(org, u).and_then(|p| p.api_user_only) == Some(true) {
        ev.push(format!(
            "profile `{pname}` has API Only User (PermissionsApiUserOnly)"
        ));
    }
    let ut = user_type(org, u);
    if ut.value.eq_ignore_ascii_case("AutomatedProcess") {
        ev.push("UserType `AutomatedProcess` (Automated Process user)".to_string());
    }
    for special in [
        "Platform Integration User",
        "Analytics Cloud Integration User",
        "Analytics Cloud Security User",
        "Automated Process",
    ] {
        if name.trim().eq_ignore_ascii_case(special) {
            ev.push(format!("name `{}`", name.trim()));
        }
        if pname.eq_ignore_ascii_case(special)
            && !ev.iter().any(|e| e.contains(&format!("profile `{pname}`")))
        {
            ev.push(format!("profile `{pname}`"));
        }
    }
    if uname.starts_with("autoproc@") || uname.starts_with("integration@") && uname.contains(".ext")
    {
        ev.push(format!("username `{}` is a system user's", u.username));
    }
    ev.dedup();
    ev
}

pub fn is_identity_license(org: &Org, u: &User) -> bool {
    license_name(org, u).is_some_and(|l| l.to_lowercase().contains("identity"))
}
