//! One of a business unit's two groups (Marketing Users or Sales Users): what is assigned,
//! how many users each assignment reaches, and a search to add users, public groups and roles.
use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::engine::lookup::Candidate;
use crate::engine::membership::Set;
use crate::engine::scenario::Assignment;

use super::edit::{kind_label, Edit};
use super::filter::search;

#[derive(Properties, PartialEq)]
pub struct AssignmentsProps {
    pub bu: usize,
    pub set: Set,
    pub list: Vec<Assignment>,
    /// Users each assignment reaches (or why it cannot be resolved), in the list's order.
    pub reach: Vec<Result<usize, String>>,
    pub candidates: Rc<Vec<Candidate>>,
    pub on_edit: Callback<Edit>,
}

fn users(n: usize) -> String {
    format!("{n} user{}", if n == 1 { "" } else { "s" })
}

#[function_component(Assignments)]
pub fn assignments(props: &AssignmentsProps) -> Html {
    let query = use_state(String::new);
    let (bu, set) = (props.bu, props.set);
    let id = format!("find-{}-{}", bu, set.as_str());
    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            query.set(input.value());
        })
    };
    let found = search(&props.candidates, &query, 12);
    html! {
        <fieldset class="assignments" data-set={set.as_str()}>
            <legend>{ set.group_name() }</legend>
            if props.list.is_empty() {
                <p class="muted">{ "Nobody is assigned yet." }</p>
            }
            <ul class="assigned">
                { for props.list.iter().enumerate().map(|(j, a)| {
                    let reach = match props.reach.get(j) {
                        Some(Ok(n)) => html! { <span class="reach">{ format!("reaches {}", users(*n)) }</span> },
                        Some(Err(m)) => html! { <span class="reach bad">{ m.clone() }</span> },
                        None => html! { <span class="reach muted">{ "…" }</span> },
                    };
                    // The button goes with its entry: the focus goes back to the search.
                    let onclick = {
                        let id = id.clone();
                        props.on_edit.reform(move |_: MouseEvent| {
                            super::dom::focus(&id);
                            Edit::RemoveAssignment(bu, set, j)
                        })
                    };
                    html! {
                        <li class="assignment" data-kind={a.kind()} data-reference={a.reference().to_string()}>
                            <span class="kind">{ kind_label(a.kind()) }</span>
                            <strong>{ a.reference() }</strong>
                            { reach }
                            <button type="button" class="button small"
                                aria-label={format!("Remove {} {} from {}", kind_label(a.kind()), a.reference(), set.group_name())}
                                {onclick}>{ "Remove" }</button>
                        </li>
                    }
                }) }
            </ul>
            <label for={id.clone()}>{ format!("Add to {}: search users, public groups and roles by name, username or id", set.group_name()) }</label>
            <input id={id.clone()} class="find" type="search" autocomplete="off" value={(*query).clone()} {oninput}
                placeholder="e.g. Marketing, jane@acme.com, 005…" />
            if !query.trim().is_empty() {
                <ul class="candidates" aria-label="Matches">
                    if found.is_empty() {
                        <li class="muted">{ "Nothing in the loaded exports matches." }</li>
                    }
                    { for found.iter().filter_map(|c| Some((c, c.assignment()?))).map(|(c, a)| {
                        // The candidates go once one is added: the focus goes back to the
                        // search, for the next one.
                        let onclick = {
                            let query = query.clone();
                            let id = id.clone();
                            props.on_edit.reform(move |_: MouseEvent| {
                                query.set(String::new());
                                super::dom::focus(&id);
                                Edit::AddAssignment(bu, set, a.clone())
                            })
                        };
                        html! {
                            <li>
                                <button type="button" class="candidate" data-kind={c.kind.clone()}
                                    data-reference={c.reference.clone()} {onclick}>
                                    <span class="kind">{ kind_label(&c.kind) }</span>
                                    <strong>{ &c.label }</strong>
                                    <span class="muted">{ format!(" {} ", c.detail) }</span>
                                    <span class="reach">{ users(c.users) }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </fieldset>
    }
}
