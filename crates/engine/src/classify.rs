//! What kind of user a Salesforce user is: its effective UserType (§10.6) and whether it is an
//! integration or system user (W-INTEGRATION), with the evidence.

use super::model::{Org, Profile, User};
use super::text::trim;

/// The UserType used by the rules, and how it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserType<'a> {
    pub value: &'a str,
    /// `user` (User.UserType), `profile` (Profile.UserType), `license` (inferred), `assumed`.
    pub from: &'static str,
}

impl UserType<'_> {
    pub fn is_standard(&self) -> bool {
        self.value.eq_ignore_ascii_case("Standard")
    }
    pub fn assumed(&self) -> bool {
        self.from == "assumed"
    }
}

// The helpers below borrow from the org and the user (no copies): the plan asks them several
// times of every user.

pub fn profile<'a>(org: &'a Org, u: &User) -> Option<&'a Profile> {
    if let Some(p) = u.profile_id.as_ref().and_then(|id| org.profiles.get(id)) {
        return Some(p);
    }
    let name = u.profile_name.as_deref()?;
    org.profiles.values().find(|p| p.name == name)
}

pub fn profile_name<'a>(org: &'a Org, u: &'a User) -> Option<&'a str> {
    profile(org, u)
        .map(|p| p.name.as_str())
        .or(u.profile_name.as_deref())
        .filter(|n| !trim(n).is_empty())
}

/// The license's name, trimmed.
pub fn license_name<'a>(org: &'a Org, u: &'a User) -> Option<&'a str> {
    let named = |n: Option<&'a str>| n.map(trim).filter(|l| !l.is_empty());
    named(u.license_name.as_deref()).or_else(|| {
        let p = profile(org, u)?;
        named(p.license_name.as_deref()).or_else(|| {
            p.license_id
                .as_ref()
                .and_then(|id| org.licenses.get(id))
                .map(|l| l.name.as_str())
        })
    })
}

/// §10.6: User.UserType, then Profile.UserType, then inferred from the license; failing all,
/// `Standard`, as an assumption.
pub fn user_type<'a>(org: &'a Org, u: &'a User) -> UserType<'a> {
    if let Some(t) = u.user_type.as_deref().map(trim).filter(|t| !t.is_empty()) {
        return UserType {
            value: t,
            from: "user",
        };
    }
    if let Some(t) = profile(org, u)
        .and_then(|p| p.user_type.as_deref())
        .map(trim)
        .filter(|t| !t.is_empty())
    {
        return UserType {
            value: t,
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
                value: t,
                from: "license",
            };
        }
    }
    UserType {
        value: "Standard",
        from: "assumed",
    }
}

/// Whether the username, trimmed and lower-cased, starts with `prefix` (lower-case ASCII),
/// without lower-casing an ASCII username.
fn username_starts_with(u: &User, prefix: &str) -> bool {
    let name = trim(&u.username);
    if name.is_ascii() {
        name.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    } else {
        name.to_lowercase().starts_with(prefix)
    }
}

pub fn is_b2bma(org: &Org, u: &User) -> bool {
    username_starts_with(u, "b2bmaintegration@")
        || profile_name(org, u).is_some_and(|p| p.eq_ignore_ascii_case("B2BMA Integration User"))
}

/// Evidence that a user is an integration or system user; empty for a person.
pub fn integration_evidence(org: &Org, u: &User) -> Vec<String> {
    let mut ev = Vec::new();
    let name = u.name.as_deref().unwrap_or_default();
    let pname = profile_name(org, u).unwrap_or_default();
    let lname = license_name(org, u).unwrap_or_default();
    if username_starts_with(u, "b2bmaintegration@") {
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
    // The integration users' profile, by its name and by the name it had before (§6).
    if [
        "Minimum Access - API Only Integrations",
        "Salesforce API Only System Integrations",
    ]
    .iter()
    .any(|p| pname.eq_ignore_ascii_case(p))
    {
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
        if trim(name).eq_ignore_ascii_case(special) {
            ev.push(format!("name `{}`", trim(name)));
        }
        if pname.eq_ignore_ascii_case(special)
            && !ev.iter().any(|e| e.contains(&format!("profile `{pname}`")))
        {
            ev.push(format!("profile `{pname}`"));
        }
    }
    if username_starts_with(u, "autoproc@")
        || username_starts_with(u, "integration@")
            && u.username.trim().to_lowercase().contains(".ext")
    {
        ev.push(format!("username `{}` is a system user's", u.username));
    }
    ev.dedup();
    ev
}

pub fn is_identity_license(org: &Org, u: &User) -> bool {
    license_name(org, u).is_some_and(|l| l.to_lowercase().contains("identity"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn username_prefixes_are_those_of_the_lower_cased_username() {
        // The check without lower-casing must agree with the plain rule (trim, lower-case,
        // starts with), ASCII or not.
        let names = [
            "b2bmaintegration@acme.example",
            "  B2BMAIntegration@Acme.example ",
            "B2BMA@acme.example",
            "b2bmaintegration",
            "",
            "autoproc@00d5g000004xyz",
            "AUTOPROC@x",
            "Integration@acme.ext",
            "intégration@acme.example",
            "İntegration@acme.example",
            "b2bmaintegration@exämple.example",
            "\u{212A}",
        ];
        for n in names {
            let u = user(n, None);
            for prefix in ["b2bmaintegration@", "autoproc@", "integration@"] {
                let plain = n.trim().to_lowercase().starts_with(prefix);
                assert_eq!(username_starts_with(&u, prefix), plain, "{n:?} {prefix}");
            }
        }
    }

    #[test]
    fn the_integration_profile_is_known_by_its_name_and_its_former_name() {
        let org = Org::default();
        for p in [
            "Minimum Access - API Only Integrations",
            "Salesforce API Only System Integrations",
        ] {
            let u = user("api@acme.example", Some(p));
            assert_eq!(integration_evidence(&org, &u), [format!("profile `{p}`")]);
        }
        assert!(
            integration_evidence(&org, &user("ana@acme.example", Some("Standard User"))).is_empty()
        );
    }

    fn user(username: &str, profile_name: Option<&str>) -> User {
        User {
            id: crate::id::UserId::parse("005000000000001").unwrap().id,
            username: username.into(),
            is_active: true,
            profile_id: None,
            profile_name: profile_name.map(Into::into),
            email: None,
            first_name: None,
            last_name: None,
            name: None,
            title: None,
            phone: None,
            user_type: None,
            role_id: None,
            role_name: None,
            license_name: None,
            federation_id: None,
            source: crate::diag::Source {
                file: "users.csv".into(),
                line: 2,
            },
        }
    }
}
