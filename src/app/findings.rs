//! The audit findings, by severity, each expandable to the users it concerns.
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use yew::prelude::*;

use crate::engine::decide::Finding;
use crate::engine::Severity;

use super::state::Selection;
use super::worker::{Ask, EngineResponse, WhoUser};

#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    pub report: Rc<EngineResponse>,
    /// The first users of the findings opened so far, by finding position (the worker, which
    /// holds the decisions, names them: [`Ask::Who`]).
    pub who: Rc<BTreeMap<usize, Vec<Option<WhoUser>>>>,
    /// A finding opened: what to ask the worker about its users.
    pub on_open: Callback<Ask>,
    pub on_select: Callback<Selection>,
}

/// Users shown per finding before "and N more".
const SHOWN: usize = 100;

/// Findings listed per code before "and N more".
const PER_CODE: usize = 25;

#[function_component(Findings)]
pub fn findings(props: &FindingsProps) -> Html {
    let open = use_state(BTreeSet::<usize>::new);
    let Ok(report) = &props.report.result else {
        return html! {};
    };
    // A finding names its business unit (none: the first).
    let bu_of = |f: &Finding| {
        f.business_unit
            .as_ref()
            .and_then(|name| {
                report
                    .plan
                    .business_units
                    .iter()
                    .position(|b| &b.name == name)
            })
            .unwrap_or(0)
    };
    let group = |sev: Severity, title: &str| {
        let list: Vec<(usize, &Finding)> = report
            .plan
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.severity == sev)
            .collect();
        if list.is_empty() {
            return html! {};
        }
        let sev_name = format!("{sev:?}").to_lowercase();
        let total = list.len();
        // At most PER_CODE findings of one code are listed (a large org has thousands of
        // W-RECYCLE-PROSPECTS, one per user); the rest are counted, and the table filters by code.
        let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
        let list: Vec<(usize, &Finding)> = list
            .into_iter()
            .filter(|(_, f)| {
                let n = per_code.entry(f.code.as_str()).or_default();
                *n += 1;
                *n <= PER_CODE
            })
            .collect();
        let more: Vec<(&str, usize)> = per_code
            .into_iter()
            .filter(|(_, n)| *n > PER_CODE)
            .map(|(c, n)| (c, n - PER_CODE))
            .collect();
        html! {
            <div class={classes!("severity-group", sev_name.clone())}>
                <h3>{ format!("{title} ({total})") }</h3>
                { for list.into_iter().map(|(i, f)| {
                    let expanded = open.contains(&i);
                    let toggle = {
                        let open = open.clone();
                        let on_open = props.on_open.clone();
                        let bu = bu_of(f);
                        // The users are copied into the ask when the finding opens, not on
                        // every render.
                        let response = props.report.clone();
                        Callback::from(move |_: MouseEvent| {
                            let mut s = (*open).clone();
                            if !s.remove(&i) {
                                s.insert(i);
                                let users = response.result.as_ref().ok()
                                    .and_then(|r| r.plan.findings.get(i))
                                    .map(|f| f.users.iter().take(SHOWN).cloned().collect())
                                    .unwrap_or_default();
                                on_open.emit(Ask::Who(i, bu, users));
                            }
                            open.set(s);
                        })
                    };
                    let who = props.who.get(&i);
                    html! {
                        <div class="finding" data-code={f.code.as_str()} data-severity={sev_name.clone()}>
                            <button type="button" class="finding-head" aria-expanded={expanded.to_string()} onclick={toggle}
                                disabled={f.users.is_empty()}>
                                <span class={classes!("severity", sev_name.clone())}>{ sev_name.clone() }</span>
                                <code>{ f.code.as_str() }</code>
                                <span class="message">{ &f.message }</span>
                                if !f.users.is_empty() {
                                    <span class="badge">{ format!("{} user{}", f.users.len(), if f.users.len() == 1 { "" } else { "s" }) }</span>
                                }
                            </button>
                            if expanded {
                                <ul class="finding-users">
                                    { for f.users.iter().take(SHOWN).enumerate().map(|(k, u)| {
                                        match who.and_then(|w| w.get(k)).cloned().flatten() {
                                            Some((b, key, label)) => {
                                                let sel = (b, key);
                                                let onclick = props.on_select.reform(move |_: MouseEvent| sel.clone());
                                                html! { <li><button type="button" class="link" data-user-ref={u.clone()} {onclick}>{ label.clone() }</button></li> }
                                            }
                                            None => html! { <li>{ u.clone() }</li> },
                                        }
                                    }) }
                                    if f.users.len() > SHOWN {
                                        <li class="muted">{ format!("… and {} more (filter the table by {})", f.users.len() - SHOWN, f.code) }</li>
                                    }
                                </ul>
                            }
                        </div>
                    }
                }) }
                { for more.into_iter().map(|(code, n)| html! {
                    <p class="muted more-findings" data-code={code.to_string()}>
                        { format!("… and {n} more {code} finding{} (filter the table by {code})", if n == 1 { "" } else { "s" }) }
                    </p>
                }) }
            </div>
        }
    };
    html! {
        <section id="findings" aria-labelledby="findings-title">
            <h2 id="findings-title">{ "Audit findings" }</h2>
            if report.plan.findings.is_empty() {
                <p class="muted">{ "Nothing to review." }</p>
            }
            { group(Severity::Error, "Errors") }
            { group(Severity::Warning, "To review") }
            { group(Severity::Info, "Good to know") }
        </section>
    }
}
