//! The audit findings, by severity: a finding of its own kind opens onto the users it concerns;
//! the findings of a kind raised many times (a 100,000-user org has thousands of W-BOTH) are one
//! line with their count and what to do, which shows those users in the user table.
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
    /// Show the users of one kind of finding (its code) in the user table.
    pub on_filter: Callback<String>,
}

/// Users shown per finding before "and N more".
const SHOWN: usize = 100;

/// Findings of one kind listed one by one; more make one line for the kind.
const ALONE: usize = 3;

/// Findings of one kind whose messages the line for the kind lets the reader read.
const READ: usize = 25;

/// A group of findings of one kind: one line with the count, the title and what to do.
fn kind_line(
    sev_name: &str,
    code: crate::engine::Code,
    list: &[(usize, &Finding)],
    on_filter: &Callback<String>,
) -> Html {
    let users: usize = list.iter().map(|(_, f)| f.users.len()).sum();
    let show = on_filter.reform(move |_: MouseEvent| code.as_str().to_string());
    html! {
        <div class="finding finding-kind" data-code={code.as_str()} data-severity={sev_name.to_string()} data-count={list.len().to_string()}>
            <div class="finding-head">
                <span class={classes!("severity", sev_name.to_string())}>{ sev_name.to_string() }</span>
                <code>{ code.as_str() }</code>
                <span class="message"><strong>{ code.title() }</strong>{ format!(": {} findings about {users} user{}", list.len(), if users == 1 { "" } else { "s" }) }</span>
                <button type="button" class="button small show-users" onclick={show}>{ "Show these users" }</button>
            </div>
            <p class="muted what-to-do">{ code.explanation() }</p>
            <details class="finding-messages">
                <summary>{ format!("Read the first {}", list.len().min(READ)) }</summary>
                <ul>{ for list.iter().take(READ).map(|(_, f)| html! { <li>{ super::prose::prose(&f.message) }</li> }) }</ul>
            </details>
        </div>
    }
}

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
        // By kind, in the order each kind first appears.
        let mut kinds: Vec<(crate::engine::Code, Vec<(usize, &Finding)>)> = Vec::new();
        for (i, f) in list {
            match kinds.iter_mut().find(|(c, _)| *c == f.code) {
                Some((_, l)) => l.push((i, f)),
                None => kinds.push((f.code, vec![(i, f)])),
            }
        }
        html! {
            <div class={classes!("severity-group", sev_name.clone())}>
                <h3>{ format!("{title} ({total})") }</h3>
                { for kinds.iter().filter(|(_, l)| l.len() > ALONE).map(|(code, l)| kind_line(&sev_name, *code, l, &props.on_filter)) }
                { for kinds.iter().filter(|(_, l)| l.len() <= ALONE).flat_map(|(_, l)| l.iter().copied()).map(|(i, f)| {
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
                                <span class="message">{ super::prose::prose(&f.message) }</span>
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
