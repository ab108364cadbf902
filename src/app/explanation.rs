//! The explanation of one user's outcome: how they were reached, how they matched an AE user,
//! which role rule applied, what changes, and the assumptions; then the full trace.
use yew::prelude::*;

use crate::engine::decide::{Decision, Step};

use super::filter::who;
use super::summary::action_help;

#[derive(Properties, PartialEq)]
pub struct ExplanationProps {
    pub decision: Decision,
    pub business_unit: String,
    /// Whether the decision's details are there: its trace, its reasons' texts, its paths and
    /// its assumptions (the worker sends them when the explanation opens).
    #[prop_or(true)]
    pub trace_ready: bool,
    pub on_close: Callback<()>,
}

fn step(d: &Decision, name: Step) -> Option<String> {
    d.trace
        .iter()
        .find(|s| s.step == name)
        .map(|s| s.text.to_string())
}

fn or_dash<S: std::ops::Deref<Target = str>>(v: &Option<S>) -> String {
    v.as_deref()
        .filter(|s| !s.is_empty())
        .unwrap_or("—")
        .to_string()
}

#[function_component(Explanation)]
pub fn explanation(props: &ExplanationProps) -> Html {
    let d = &props.decision;
    let onclick = props.on_close.reform(|_: MouseEvent| ());
    // Escape closes the explanation, wherever the focus is inside it.
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_close.emit(());
            }
        })
    };
    let action = d.action.as_str();
    // What an empty part says once the details are here; "…" while they are on their way.
    let ready_or = |text: &'static str| if props.trace_ready { text } else { "…" };
    html! {
        <aside id="explanation" class="explanation" aria-labelledby="explanation-title" tabindex="-1" {onkeydown}
            data-action={action} data-reason={d.reason.code.to_string()}
            data-trace={if props.trace_ready { "ready" } else { "loading" }} aria-busy={(!props.trace_ready).to_string()}>
            <div class="section-head">
                <h2 id="explanation-title">{ who(d) }</h2>
                <button type="button" class="button small" {onclick} aria-label="Close the explanation">{ "Close" }</button>
            </div>
            <p class="muted">
                { d.username.as_deref().unwrap_or_default().to_string() }
                { d.salesforce_user_id.as_ref().map(|i| format!(" · {i}")).unwrap_or_default() }
                { format!(" · business unit {}", props.business_unit) }
            </p>
            <p class={classes!("verdict", action)}>
                <span class={classes!("action-badge", action)}>{ action }</span>
                { format!(" {}", action_help(d.action)) }
            </p>
            <p class="reason"><code class="reason-code">{ d.reason.code.as_str() }</code>{ " " }{ super::prose::prose(&d.reason.text) }</p>

            <h3>{ "How they were reached" }</h3>
            if d.memberships.is_empty() {
                <p class="scope">{ step(d, Step::Scope).unwrap_or_else(|| ready_or("not in Marketing Users or Sales Users").to_string()) }</p>
            } else {
                <ul class="memberships">
                    { for d.memberships.iter().map(|m| html! {
                        <li data-code={m.code.to_string()}><span class="path">{ &*m.path }</span>
                            <code>{ format!(" {}", m.code) }</code></li>
                    }) }
                </ul>
                if let Some(s) = step(d, Step::Scope) { <p class="muted scope">{ s }</p> }
            }

            <h3>{ "How they matched an Account Engagement user" }</h3>
            <p class="match">{ step(d, Step::Match).unwrap_or_else(|| ready_or("no AE user is involved").to_string()) }</p>
            if let Some(ae) = &d.ae_user_id { <p class="muted">{ format!("AE user id {ae}") }</p> }

            <h3>{ "Which role rule applied" }</h3>
            if let Some(r) = &d.role_reason {
                <p class="role-rule"><code class="role-code">{ r.code.as_str() }</code>{ " " }{ super::prose::prose(&r.text) }</p>
            } else {
                <p class="role-rule muted">{ "No role is set: the user gets no AE user or keeps the one they have." }</p>
            }
            <dl class="roles">
                <div><dt>{ "AE role now" }</dt><dd>{ or_dash(&d.previous_role) }</dd></div>
                <div><dt>{ "AE role after sync" }</dt><dd>{ or_dash(&d.role) }</dd></div>
            </dl>

            <h3>{ "What changes" }</h3>
            if d.changes.is_empty() {
                <p class="muted">{ "No field changes." }</p>
            } else {
                <table class="data changes">
                    <thead><tr><th scope="col">{ "Field" }</th><th scope="col">{ "Now (AE)" }</th><th scope="col">{ "After (from Salesforce)" }</th></tr></thead>
                    <tbody>
                        { for d.changes.iter().map(|c| html! {
                            <tr><th scope="row">{ &c.field }</th><td>{ or_dash(&c.before) }</td><td>{ or_dash(&c.after) }</td></tr>
                        }) }
                    </tbody>
                </table>
            }

            <h3>{ "Assumptions" }</h3>
            if d.assumptions.is_empty() {
                <p class="muted">{ ready_or("None: this outcome follows documented rules only.") }</p>
            } else {
                <ul class="assumptions">
                    { for d.assumptions.iter().map(|a| html! { <li><code>{ a.code.as_str() }</code>{ " " }{ super::prose::prose(&a.text) }</li> }) }
                </ul>
            }
            if !d.findings.is_empty() {
                <h3>{ "Findings" }</h3>
                <p>{ for d.findings.iter().map(|f| html! { <code class="finding-code">{ format!("{f} ") }</code> }) }</p>
            }
            <details class="trace">
                <summary>{ "Full trace" }</summary>
                <ol>{ for d.trace.iter().map(|s| html! { <li><strong>{ s.step.as_str() }</strong>{ ": " }{ super::prose::prose(&s.text.as_str()) }</li> }) }</ol>
            </details>
        </aside>
    }
}
