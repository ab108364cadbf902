//! How a decision is written while it is made: the [`Builder`] that collects its trace, role,
//! assumptions and findings, the business unit's context every rule reads ([`BuCx`]), the
//! findings it raises ([`Findings`]), and how the texts name users.

use std::sync::Arc;

use super::{Action, Decision, Finding, Reason, Step, StepText, TraceStep};
use crate::codes::Code;
use crate::diag::Severity;
use crate::membership::Sets;
use crate::model::{AeUser, Org, Text, User};
use crate::scenario::{Mode, Resolved, ResolvedBu};

/// What every rule of one business unit reads: the org, the set-up, the unit's Marketing and
/// Sales sets and its AE users.
#[derive(Clone, Copy)]
pub(super) struct BuCx<'a> {
    pub org: &'a Org,
    pub resolved: &'a Resolved,
    pub bu: &'a ResolvedBu,
    pub sets: &'a Sets,
    pub ae: &'a [AeUser],
    /// The AE users export has a role name column.
    pub has_role: bool,
    /// The business unit has an AE users export.
    pub has_export: bool,
    /// Legacy (profile-based) User Sync.
    pub legacy: bool,
}

impl<'a> BuCx<'a> {
    pub fn new(org: &'a Org, resolved: &'a Resolved, bu: &'a ResolvedBu, sets: &'a Sets) -> Self {
        let export = bu.ae_file.as_ref().and_then(|f| org.ae_exports.get(f));
        BuCx {
            org,
            resolved,
            bu,
            sets,
            ae: export.map(|e| e.users.as_slice()).unwrap_or(&[]),
            has_role: export.is_some_and(|e| e.has_role),
            has_export: export.is_some(),
            legacy: resolved.mode == Mode::Legacy,
        }
    }

    /// What "in scope" means in the texts: assigned (latest) or a ticked profile (legacy).
    pub fn assigned_word(&self) -> &'static str {
        if self.legacy {
            "has a ticked profile"
        } else {
            "is assigned"
        }
    }
}

/// The findings of one business unit (or of one part of its users), in the order raised.
pub(super) struct Findings<'a> {
    bu: &'a str,
    pub list: Vec<Finding>,
}

impl<'a> Findings<'a> {
    pub fn new(bu: &'a str) -> Self {
        Findings {
            bu,
            list: Vec::new(),
        }
    }

    /// Raise a finding; when it concerns a decision, the decision lists its code.
    pub fn raise(
        &mut self,
        b: Option<&mut Builder>,
        severity: Severity,
        code: Code,
        message: String,
        users: Vec<String>,
    ) {
        if let Some(b) = b {
            if !b.d.findings.contains(&code) {
                b.d.findings.push(code);
            }
        }
        self.list.push(Finding {
            severity,
            code,
            message,
            business_unit: Some(self.bu.to_string()),
            users,
        });
    }
}

/// A user as the texts name them: `` `username` ``. Written into the text that names the user,
/// not allocated on its own (it is in most of a plan's texts).
pub(super) fn who(u: &User) -> Who<'_> {
    Who(u)
}

pub(super) struct Who<'a>(&'a User);

impl std::fmt::Display for Who<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`", self.0.username)
    }
}

/// An AE user as the texts name them: ``AE user `email` (id `7`)``, written like [`who`].
pub(super) fn ae_who(a: &AeUser) -> AeWho<'_> {
    AeWho(a)
}

pub(super) struct AeWho<'a>(&'a AeUser);

impl std::fmt::Display for AeWho<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AE user `{}` (id `{}`)", self.0.email.trim(), self.0.id)
    }
}

/// How a finding names an AE user among its users: `ae:7`.
pub(super) fn ae_ref(a: &AeUser) -> String {
    format!("ae:{}", a.id)
}

/// A decision being made.
pub(super) struct Builder {
    pub d: Decision,
}

impl Builder {
    /// A decision about nothing yet: no action, no reason (replaced by [`Builder::act`]).
    fn blank() -> Self {
        Builder {
            d: Decision {
                action: Action::None,
                salesforce_user_id: None,
                username: None,
                name: None,
                email: None,
                ae_user_id: None,
                role: None,
                previous_role: None,
                groups: Vec::new(),
                reason: Arc::new(Reason::new(Code::LOutOfScope, "")),
                role_reason: None,
                trace: Vec::new(),
                changes: Vec::new(),
                assumptions: Vec::new(),
                memberships: Vec::new(),
                findings: Vec::new(),
            },
        }
    }

    pub fn for_user(u: &User) -> Self {
        let mut b = Builder::blank();
        b.d.salesforce_user_id = Some(u.id.clone());
        b.d.username = Some(u.username.clone());
        b.d.name = u.name.clone().filter(|n| !n.trim().is_empty());
        b.d.email = u.email.clone();
        b
    }

    pub fn for_ae(a: &AeUser) -> Self {
        let mut b = Builder::blank();
        b.d.username = a
            .crm_username
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(Text::from);
        b.d.name = match (&a.first_name, &a.last_name) {
            (Some(f), Some(l)) if !(f.trim().is_empty() && l.trim().is_empty()) => {
                Some(format!("{} {}", f.trim(), l.trim()).trim().into())
            }
            _ => None,
        };
        b.d.email = Some(a.email.as_str().into());
        b.d.ae_user_id = Some(a.id.as_str().into());
        b.d.previous_role = a.role.as_deref().map(Text::from);
        b
    }

    /// The decision concerns this AE user: its id, and its current role as the previous one.
    pub fn linked_to(&mut self, a: &AeUser) {
        self.d.ae_user_id = Some(a.id.as_str().into());
        self.d.previous_role = a
            .role
            .as_deref()
            .filter(|r| !r.trim().is_empty())
            .map(Text::from);
    }

    pub fn step(&mut self, step: Step, text: impl Into<StepText>) {
        self.d.trace.push(TraceStep {
            step,
            text: text.into(),
        });
    }

    /// The outcome rests on an assumed rule (listed once).
    pub fn assume(&mut self, code: Code, text: impl Into<String>) {
        let r = Reason::new(code, text);
        if !self.d.assumptions.contains(&r) {
            self.d.assumptions.push(r);
        }
    }

    /// The action and the rule that decides it (§10.8: only an action that assigns a role
    /// keeps one).
    pub fn act(&mut self, action: Action, code: Code, text: impl Into<String>) {
        let assigns = matches!(action, Action::Create | Action::Update | Action::Restore)
            || (action == Action::None && (code == Code::LInSync || code == Code::GSelected));
        if !assigns {
            self.d.role = None;
            self.d.role_reason = None;
        }
        self.d.action = action;
        self.d.reason = Arc::new(Reason::new(code, text));
        self.step(Step::Action, StepText::Reason(self.d.reason.clone()));
    }
}
