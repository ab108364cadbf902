//! The Set up screen: mode, business units with their assignments and profile-to-role tables,
//! the legacy switches, and loading or saving `syncplan.json`.
use std::collections::BTreeSet;
use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::engine::ingest::Kind;
use crate::engine::scenario::{BothGroups, Mode, Switch};

use super::business_unit::BusinessUnit;
use super::comparison::ComparisonPanel;
use super::edit::{Edit, BUILT_IN_ROLES};
use super::legacy::Legacy;
use super::proposal::ProposalPanel;
use super::state::{Action, State};
use super::what_if::WhatIf;

#[derive(Properties, PartialEq)]
pub struct SetupProps {
    pub state: Rc<State>,
    pub dispatch: Callback<Action>,
    /// A scenario file was picked.
    pub on_files: Callback<web_sys::FileList>,
    pub on_save: Callback<()>,
}

#[function_component(Setup)]
pub fn setup(props: &SetupProps) -> Html {
    let state = &props.state;
    let new_bu = use_state(String::new);
    let Some(scenario) = state.current_scenario() else {
        let unreadable = state.response.as_ref().is_some_and(|r| r.result.is_err())
            && state
                .files
                .iter()
                .any(|f| f.name.to_ascii_lowercase().ends_with(".json"));
        return html! {
            <section>
                <h2>{ "Set up" }</h2>
                if unreadable {
                    <p>{ "The set-up file given could not be used (the message above says why). Remove it on the Load exports screen to start from the defaults, or load a corrected one." }</p>
                } else {
                    <p class="muted">{ "Load your exports (or try the demo org) first: the set-up starts from what they contain." }</p>
                }
            </section>
        };
    };
    let on_edit = props.dispatch.reform(Action::Edit);
    let report = state.report();
    let reach = state
        .response
        .as_ref()
        .map(|r| r.reach.clone())
        .unwrap_or_default();
    let ae_files: Vec<String> = state
        .response
        .as_ref()
        .map(|r| {
            r.files
                .iter()
                .filter(|f| f.kind == Kind::AeUsers && f.is_usable())
                .map(|f| f.file.clone())
                .collect()
        })
        .unwrap_or_default();
    let custom_roles: Vec<String> = scenario
        .business_units
        .iter()
        .flat_map(|b| b.profile_roles.values())
        .filter(|r| !BUILT_IN_ROLES.contains(&r.as_str()))
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mode = on_edit.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Edit::SetMode(if input.value() == "legacy" {
            Mode::Legacy
        } else {
            Mode::Latest
        })
    });
    let both = on_edit.reform(|e: Event| {
        Edit::SetBothGroups(if super::dom::value(&e) == "marketing_wins" {
            BothGroups::MarketingWins
        } else {
            BothGroups::SalesWins
        })
    });
    let bosses = on_edit.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Edit::SetIncludeBosses(input.checked())
    });
    let scenario_input = super::dom::on_files_picked(props.on_files.clone());
    let save = props.on_save.reform(|_: MouseEvent| ());
    let new_bu_input = {
        let new_bu = new_bu.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            new_bu.set(input.value());
        })
    };
    let add_bu = {
        let new_bu = new_bu.clone();
        let on_edit = on_edit.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_edit.emit(Edit::AddBusinessUnit((*new_bu).clone()));
            new_bu.set(String::new());
        })
    };
    let latest = scenario.mode == Mode::Latest;
    html! {
        <>
            <section aria-labelledby="setup-title">
                <div class="section-head">
                    <h2 id="setup-title">{ "Set up User Sync" }</h2>
                    <div class="actions">
                        <label class="button small" for="scenario-input">{ "Load syncplan.json…" }</label>
                        <input id="scenario-input" class="visually-hidden" type="file" accept=".json,application/json"
                            onchange={scenario_input} />
                        <button type="button" id="save-scenario" class="button small primary" onclick={save}>{ "Save syncplan.json" }</button>
                    </div>
                </div>
                <p class="muted">{ "What the exports cannot tell: which users each business unit syncs, and how roles are chosen. Every change re-plans at once; save the set-up to keep it." }</p>
                <WhatIf state={state.clone()} dispatch={props.dispatch.clone()} />
                if let Some((message, _)) = &state.setup_error {
                    <p class="engine-error" id="setup-problem" role="alert">{ format!("This set-up cannot be planned: {message}") }</p>
                }
                <fieldset class="mode">
                    <legend>{ "User Sync version" }</legend>
                    <div class="switch">
                        <input type="radio" name="mode" id="mode-latest" value="latest" checked={latest} onchange={mode.clone()} />
                        <label for="mode-latest">{ "Latest: Marketing Users and Sales Users groups per business unit" }</label>
                    </div>
                    <div class="switch">
                        <input type="radio" name="mode" id="mode-legacy" value="legacy" checked={!latest} onchange={mode} />
                        <label for="mode-legacy">{ "Legacy: profile-based (orgs set up before Summer '20)" }</label>
                    </div>
                </fieldset>
                if latest {
                    <div class="field">
                        <label for="both-groups">{ Switch::BothGroups.label() }</label>
                        <select id="both-groups" onchange={both}>
                            <option value="sales_wins" selected={scenario.both_groups == BothGroups::SalesWins}>{ "gets Sales (Sales wins)" }</option>
                            <option value="marketing_wins" selected={scenario.both_groups == BothGroups::MarketingWins}>{ "gets the Marketing role (Marketing wins)" }</option>
                        </select>
                    </div>
                    <div class="switch">
                        <input type="checkbox" id="include-bosses" checked={scenario.include_bosses} onchange={bosses} />
                        <label for="include-bosses">{ Switch::IncludeBosses.label() }</label>
                    </div>
                    <p class="muted">{ "Salesforce calls the users in roles above a member \"indirect members\"; unticked, the checkbox is read as a sharing setting that adds nobody." }</p>
                }
            </section>
            <ProposalPanel state={state.clone()} dispatch={props.dispatch.clone()} />
            <ComparisonPanel state={state.clone()} dispatch={props.dispatch.clone()} />
            if !latest {
                <Legacy settings={scenario.legacy.clone().unwrap_or_default()}
                    table={report.and_then(|r| r.profile_roles.first().cloned())} on_edit={on_edit.clone()} />
            }
            { for scenario.business_units.iter().enumerate().map(|(i, bu)| html! {
                <BusinessUnit key={format!("{i}")} index={i} bu={bu.clone()}
                    reach={reach.get(i).cloned()}
                    table={report.and_then(|r| r.profile_roles.iter().find(|t| t.business_unit == bu.name).cloned())}
                    candidates={state.lookup.clone()} ae_files={ae_files.clone()} custom_roles={custom_roles.clone()}
                    legacy={!latest} on_edit={on_edit.clone()} />
            }) }
            <section>
                <form class="add-bu" onsubmit={add_bu}>
                    <label for="new-bu">{ "Add a business unit" }</label>
                    <input id="new-bu" value={(*new_bu).clone()} oninput={new_bu_input} placeholder="Business unit name" />
                    <button type="submit" class="button small">{ "Add" }</button>
                </form>
            </section>
        </>
    }
}
