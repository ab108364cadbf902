//! Set up: "Propose a set-up" — the latest-mode set-up that keeps everyone synced today as they
//! are, with what each assignment reaches and why, the conflicts no set-up avoids, and one
//! click to use it.
use std::rc::Rc;

use yew::prelude::*;

use super::state::{Action, State};
use super::worker::{Ask, ProposedBu};

#[derive(Properties, PartialEq)]
pub struct ProposalProps {
    pub state: Rc<State>,
    pub dispatch: Callback<Action>,
}

fn business_unit(i: usize, bu: &ProposedBu) -> Html {
    html! {
        <div class="proposal-bu" data-bu={bu.name.clone()}>
            <h3>{ &bu.name }</h3>
            <p class="proposal-summary" id={format!("proposal-summary-{i}")}>{ &bu.summary }</p>
            { for bu.notes.iter().map(|n| html! { <p class="muted">{ n }</p> }) }
            if !bu.chosen.is_empty() {
                { table("proposal-chosen", None, ["Group of users", "Assignment", "Users", "Why"], &bu.chosen) }
            }
            { for bu.new_groups.iter().map(|g| html! { <p class="muted">{ g }</p> }) }
            if !bu.conflicts.is_empty() {
                { table("proposal-conflicts", Some("What no set-up keeps"), ["User", "Role today", "Would become", "Why, and the fix"], &bu.conflicts) }
            }
            if !bu.lost.is_empty() {
                <p class="muted">{ "Synced today, kept by no set-up:" }</p>
                <ul class="proposal-lost">{ for bu.lost.iter().map(|l| html! { <li>{ l }</li> }) }</ul>
            }
        </div>
    }
}

fn table(
    class: &'static str,
    caption: Option<&'static str>,
    head: [&'static str; 4],
    rows: &[[String; 4]],
) -> Html {
    html! {
        <table class={classes!("data", class)}>
            if let Some(c) = caption { <caption>{ c }</caption> }
            <thead><tr>{ for head.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr></thead>
            <tbody>
                { for rows.iter().map(|r| html! { <tr>{ for r.iter().map(|c| html! { <td>{ c }</td> }) }</tr> }) }
            </tbody>
        </table>
    }
}

#[function_component(ProposalPanel)]
pub fn proposal_panel(props: &ProposalProps) -> Html {
    let state = &props.state;
    let propose = props
        .dispatch
        .reform(|_: MouseEvent| Action::Ask(Ask::Propose));
    let use_it = props.dispatch.reform(|_: MouseEvent| Action::UseProposal);
    let has_plan = state.report().is_some();
    let body = match state.proposal.as_deref() {
        None => html! {},
        Some(Err(message)) => html! { <p class="engine-error" role="alert">{ message }</p> },
        Some(Ok(p)) => {
            let files: Vec<(&'static str, String)> = [
                ("proposed-groups.csv", &p.groups_csv),
                ("proposed-group-members.csv", &p.members_csv),
            ]
            .into_iter()
            .filter_map(|(n, t)| t.clone().map(|t| (n, t)))
            .collect();
            let download = props.dispatch.reform(move |_: MouseEvent| {
                for (name, text) in &files {
                    if let Err(e) = super::io::download(name, "text/csv", text.as_bytes()) {
                        return Action::Notice(Some(e));
                    }
                }
                Action::Notice(None)
            });
            let has_groups = p.groups_csv.is_some();
            html! {
                <div class="proposal" id="proposal">
                    { for p.business_units.iter().enumerate().map(|(i, bu)| business_unit(i, bu)) }
                    <div class="actions">
                        <button type="button" class="button primary" id="use-proposal" onclick={use_it}>{ "Use this set-up" }</button>
                        if has_groups {
                            <button type="button" class="button" id="proposal-csv" onclick={download}>{ "Download the new groups (CSV)" }</button>
                        }
                    </div>
                </div>
            }
        }
    };
    html! {
        <section aria-labelledby="proposal-title">
            <h2 id="proposal-title">{ "Keep everyone as they are" }</h2>
            <p class="muted">{ "The set-up that keeps every user synced today with the role they have, creating and recycling nobody: roles and groups the org already has first, then one new public group for the rest." }</p>
            <button type="button" class="button" id="propose" onclick={propose} disabled={!has_plan}>{ "Propose a set-up" }</button>
            { body }
        </section>
    }
}
