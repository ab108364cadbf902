//! Set up: compare this set-up with another (a saved `syncplan.json`, or the other User Sync
//! version): per user, who gains access, who loses it, whose role changes.
use std::rc::Rc;

use yew::prelude::*;

use crate::engine::compare::Change;
use crate::engine::scenario::{self, Legacy, Mode};

use super::state::{Action, State};
use super::worker::{Ask, CompareWith};

#[derive(Properties, PartialEq)]
pub struct ComparisonProps {
    pub state: Rc<State>,
    pub dispatch: Callback<Action>,
}

/// Users listed before "and N more".
const SHOWN: usize = 500;

#[function_component(ComparisonPanel)]
pub fn comparison_panel(props: &ComparisonProps) -> Html {
    let state = &props.state;
    let only = use_state(|| None::<Change>);
    let current = state.current_scenario();
    let versions = {
        let current = current.clone();
        props.dispatch.reform(move |_: MouseEvent| {
            let Some(mut other) = current.clone() else {
                return Action::Notice(None);
            };
            let first = other.mode == Mode::Latest;
            other.mode = if first { Mode::Legacy } else { Mode::Latest };
            if other.mode == Mode::Legacy && other.legacy.is_none() {
                other.legacy = Some(Legacy::default());
            }
            let label = if first {
                "the legacy set-up"
            } else {
                "the latest set-up"
            };
            Action::Ask(Ask::Compare(Box::new(CompareWith {
                label: label.into(),
                scenario: other,
                first,
            })))
        })
    };
    let picked = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let dispatch = dispatch.clone();
            super::io::read_text(file, move |read| {
                dispatch.emit(match read {
                    Ok((name, text)) => match scenario::parse(&name, &text) {
                        Ok((scenario, _)) => Action::Ask(Ask::Compare(Box::new(CompareWith {
                            label: name,
                            scenario,
                            first: true,
                        }))),
                        Err(e) => Action::Notice(Some(e.to_string())),
                    },
                    Err(e) => Action::Notice(Some(e)),
                })
            });
        })
    };
    let body = match state.comparison.as_deref() {
        None => html! {},
        Some(Err(message)) => html! { <p class="engine-error" role="alert">{ message }</p> },
        Some(Ok(c)) => {
            let csv = c.csv.clone();
            let download = props.dispatch.reform(move |_: MouseEvent| {
                Action::Notice(
                    super::io::download("syncplan-comparison.csv", "text/csv", csv.as_bytes())
                        .err(),
                )
            });
            let shown: Vec<&[String; 5]> = c
                .changed
                .iter()
                .filter(|u| only.is_none_or(|o| u[2] == o.as_str()))
                .collect();
            let choose = {
                let only = only.clone();
                Callback::from(move |e: Event| {
                    let v = super::dom::value(&e);
                    only.set(Change::ALL.into_iter().find(|c| c.as_str() == v));
                })
            };
            html! {
                <div class="comparison" id="comparison">
                    <h3>{ &c.title }</h3>
                    <dl class="compare-counts">
                        { for Change::ALL.iter().zip(c.counts).map(|(ch, n)| html! {
                            <div data-change={ch.as_str()}><dt>{ ch.label() }</dt><dd>{ n }</dd></div>
                        }) }
                    </dl>
                    <div class="actions">
                        <label for="compare-filter">{ "Show" }</label>
                        <select id="compare-filter" onchange={choose}>
                            <option value="" selected={only.is_none()}>{ "every change" }</option>
                            { for [Change::GainsAccess, Change::LosesAccess, Change::RoleChanges].iter().map(|ch| html! {
                                <option value={ch.as_str()} selected={*only == Some(*ch)}>{ ch.label() }</option>
                            }) }
                        </select>
                        <button type="button" class="button small" id="compare-csv" onclick={download}>{ "Download the comparison (CSV)" }</button>
                    </div>
                    if !shown.is_empty() {
                        <table class="data compare-users">
                            <thead><tr><th scope="col">{ "User" }</th><th scope="col">{ "Business unit" }</th><th scope="col">{ "Change" }</th>
                                <th scope="col">{ "Before" }</th><th scope="col">{ "After" }</th></tr></thead>
                            <tbody>
                                { for shown.iter().take(SHOWN).map(|[who, bu, change, before, after]| html! {
                                    <tr data-change={change.clone()}>
                                        <td>{ who }</td>
                                        <td>{ bu }</td>
                                        <td>{ change.replace('_', " ") }</td>
                                        <td>{ before }</td>
                                        <td>{ after }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                        if shown.len() > SHOWN {
                            <p class="muted">{ format!("… and {} more in the CSV", shown.len() - SHOWN) }</p>
                        }
                    }
                </div>
            }
        }
    };
    html! {
        <section aria-labelledby="compare-title">
            <h2 id="compare-title">{ "Compare two set-ups" }</h2>
            <p class="muted">{ "Who gains access, who loses it and whose role changes, between this set-up and another." }</p>
            <div class="actions">
                <label class="button small" for="compare-input">{ "Compare with a saved syncplan.json…" }</label>
                <input id="compare-input" class="visually-hidden" type="file" accept=".json,application/json" onchange={picked} />
                <button type="button" class="button small" id="compare-versions" onclick={versions}
                    disabled={state.report().is_none()}>{ "Compare legacy with latest" }</button>
            </div>
            { body }
        </section>
    }
}
