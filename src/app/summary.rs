//! The summary that stays above every screen: what the engine is doing, the counts per action
//! with a small bar chart, or the engine's error as a message.
use yew::prelude::*;

use crate::engine::decide::Action;
use crate::engine::plan::Summary as Counts;

use super::filter::bar_percent;
use super::state::{Phase, State};

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub state: std::rc::Rc<State>,
    /// Show the users with this action in the report.
    pub on_action: Callback<Action>,
    /// Go to the Set up screen.
    pub on_setup: Callback<()>,
}

/// What each action means, in Salesforce's words.
pub fn action_help(a: Action) -> &'static str {
    match a {
        Action::Create => "a new Account Engagement user is created",
        Action::Update => "the AE user's role or fields are updated",
        Action::Restore => "the AE user comes back from the recycle bin",
        Action::Recycle => "the AE user is moved to the recycle bin",
        Action::Skip => "User Sync leaves the user out, with a warning",
        Action::None => "nothing changes",
    }
}

fn count(s: &Counts, a: Action) -> usize {
    match a {
        Action::Create => s.create,
        Action::Update => s.update,
        Action::Restore => s.restore,
        Action::Recycle => s.recycle,
        Action::Skip => s.skip,
        Action::None => s.none,
    }
}

#[function_component(Summary)]
pub fn summary(props: &SummaryProps) -> Html {
    let state = &props.state;
    let progress = match &state.phase {
        Phase::Working => Some("Working out the plan…"),
        _ => None,
    };
    let failed = match &state.phase {
        Phase::Failed(m) => Some(m.clone()),
        _ => state
            .response
            .as_ref()
            .and_then(|r| r.result.as_ref().err().cloned()),
    };
    // A set-up that cannot be planned: said here, the last plan (if any) kept below.
    let setup_problem = state.setup_error.as_ref().map(|(message, _)| {
        let to_setup = props.on_setup.reform(|_: MouseEvent| ());
        let kept = state.report().is_some();
        html! {
            <div class="engine-error setup-error" id="setup-error" role="alert">
                <strong>{ "This set-up cannot be planned." }</strong>
                <p>{ message.clone() }</p>
                <p class="muted">{ if kept { "The counts below are those of the last set-up that could be planned. Correct the set-up on the Set up screen." } else { "Correct the set-up on the Set up screen." } }</p>
                <button type="button" class="button small" onclick={to_setup}>{ "Go to Set up" }</button>
            </div>
        }
    });
    let failed = failed.filter(|_| state.setup_error.is_none());
    // A set-up without exports (a colleague's link, a syncplan.json dropped first): nothing
    // to plan yet, which is no error.
    let only_setup = !state.files.is_empty()
        && state
            .files
            .iter()
            .all(|f| f.name.to_ascii_lowercase().ends_with(".json"));
    let body = if only_setup && progress.is_none() {
        html! {
            <p class="muted" id="add-exports">{ "The set-up is here: add your org's exports on the Load exports screen to see what it does." }</p>
        }
    } else if state.files.is_empty() && state.phase == Phase::Empty {
        html! { <p class="muted">{ "The report appears here once your exports are loaded." }</p> }
    } else if let Some(message) = failed.filter(|_| progress.is_none()) {
        html! {
            <div class="engine-error" role="alert">
                <strong>{ "syncplan could not make a plan from these files." }</strong>
                <p>{ message }</p>
                <p class="muted">{ "Check the files on the Load exports screen: each one says what was read and what went wrong." }</p>
            </div>
        }
    } else if let Some(report) = state.report() {
        let s = &report.plan.summary;
        let max = Action::ALL.iter().map(|a| count(s, *a)).max().unwrap_or(0);
        let names: Vec<&str> = state.files.iter().map(|f| f.name.as_str()).collect();
        // Latest mode with nobody assigned: the counts would alarm (every synced user
        // recycled) before the admin has said anything.
        let unset = report.plan.mode == crate::engine::scenario::Mode::Latest
            && report
                .scenario
                .business_units
                .iter()
                .all(|b| b.marketing_users.is_empty() && b.sales_users.is_empty());
        let to_setup = props.on_setup.reform(|_: MouseEvent| ());
        // The worker's timings for the benchmarks (`read 812,plan 950`).
        let phases = state.response.as_ref().map(|r| {
            r.phases
                .iter()
                .map(|(p, ms)| format!("{p} {ms}"))
                .collect::<Vec<_>>()
                .join(",")
        });
        let uncertain: usize = report
            .plan
            .findings
            .iter()
            .filter(|f| f.code == crate::engine::codes::Code::AUnresolvedGroup)
            .map(|f| f.users.len())
            .sum();
        html! {
            <>
                if unset {
                    <div class="not-set-up" id="not-set-up" role="status">
                        <p><strong>{ "Not set up yet." }</strong>{ " Nobody is in Marketing Users or Sales Users of any business unit, so these counts are what User Sync would do with nobody assigned: every synced user would be recycled. Say who is synced first." }</p>
                        <button type="button" class="button primary small" onclick={to_setup}>{ "Set up User Sync" }</button>
                    </div>
                }
                <dl class={classes!("summary", unset.then_some("unset"))} id="summary" data-phases={phases}>
                    { for Action::ALL.iter().map(|a| {
                        let n = count(s, *a);
                        let onclick = props.on_action.reform({ let a = *a; move |_: MouseEvent| a });
                        html! {
                            <div class={classes!("count", a.as_str())} data-action={a.as_str()} title={action_help(*a)}>
                                <dt><button type="button" class="link" {onclick}
                                    aria-label={format!("Show the users to {}", a.as_str())}>{ a.as_str() }</button></dt>
                                <dd>{ n }</dd>
                                <svg class="bar" aria-hidden="true" viewBox="0 0 100 6" preserveAspectRatio="none">
                                    <rect class="track" x="0" y="0" width="100" height="6" rx="3" />
                                    <rect class="fill" x="0" y="0" width={bar_percent(n, max)} height="6" rx="3" />
                                </svg>
                            </div>
                        }
                    }) }
                </dl>
                <p class="based-on muted">
                    { format!("{} change{} across {} business unit{} · mode {} · based on: {}",
                        s.changes(), if s.changes() == 1 { "" } else { "s" },
                        report.plan.business_units.len(),
                        if report.plan.business_units.len() == 1 { "" } else { "s" },
                        report.plan.mode.as_str(), names.join(", ")) }
                    { if report.scenario_defaulted { " · no set-up yet: the defaults are used" } else { "" } }
                </p>
                if uncertain > 0 {
                    <p class="uncertain" id="uncertain">
                        { format!("{uncertain} outcome{} depend{} on a group syncplan cannot resolve (a territory or queue): see A-UNRESOLVED-GROUP in the Audit",
                            if uncertain == 1 { "" } else { "s" }, if uncertain == 1 { "s" } else { "" }) }
                    </p>
                }
            </>
        }
    } else {
        html! {}
    };
    html! {
        <section class={classes!("report", state.busy().then_some("busy"))} aria-labelledby="report-title">
            <div class="summary-head">
                <h2 id="report-title">{ "What will happen" }</h2>
                if let Some(text) = progress {
                    <p class="progress" role="status"><span class="spinner" aria-hidden="true"></span>{ text }</p>
                }
            </div>
            { for setup_problem }
            { body }
        </section>
    }
}
