//! What the last change on the Set up screen did to the plan ("+3 create, −2 recycle since your
//! last change"), with undo and redo.
use std::rc::Rc;

use yew::prelude::*;

use crate::engine::decide::Action as Act;
use crate::engine::plan::Summary;

use super::state::{Action, Phase, State};

#[derive(Properties, PartialEq)]
pub struct WhatIfProps {
    pub state: Rc<State>,
    pub dispatch: Callback<Action>,
}

fn count(s: &Summary, a: Act) -> usize {
    match a {
        Act::Create => s.create,
        Act::Update => s.update,
        Act::Restore => s.restore,
        Act::Recycle => s.recycle,
        Act::Skip => s.skip,
        Act::None => s.none,
    }
}

/// The difference between two plans' counts, in the order of the summary: `+3 create, −2
/// recycle`; `None` when every count is the same.
pub fn difference(before: &Summary, after: &Summary) -> Option<String> {
    let parts: Vec<String> = Act::ALL
        .iter()
        .filter(|a| **a != Act::None)
        .filter_map(|a| {
            let (x, y) = (count(before, *a), count(after, *a));
            match y.cmp(&x) {
                std::cmp::Ordering::Greater => Some(format!("+{} {}", y - x, a.as_str())),
                std::cmp::Ordering::Less => Some(format!("−{} {}", x - y, a.as_str())),
                std::cmp::Ordering::Equal => None,
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[function_component(WhatIf)]
pub fn what_if(props: &WhatIfProps) -> Html {
    let state = &props.state;
    let undo = props.dispatch.reform(|_: MouseEvent| Action::Undo);
    let redo = props.dispatch.reform(|_: MouseEvent| Action::Redo);
    let now = state
        .report()
        .filter(|_| state.phase == Phase::Ready)
        .map(|r| r.plan.summary);
    let said = match (&state.before_edit, now) {
        (Some(before), Some(now)) => Some(match difference(before, &now) {
            Some(d) => format!("{d} since your last change"),
            None => "Your last change changes no count".to_string(),
        }),
        _ => None,
    };
    // Who the last change changed (the worker compares the two plans).
    let who = state
        .response
        .as_ref()
        .filter(|_| said.is_some())
        .and_then(|r| r.changed.clone())
        .filter(|(n, _)| *n > 0);
    html! {
        <div class="what-if" role="status" aria-live="polite">
            <button type="button" class="button small" id="undo" onclick={undo}
                disabled={state.undo.is_empty()}>{ "Undo" }</button>
            <button type="button" class="button small" id="redo" onclick={redo}
                disabled={state.redo.is_empty()}>{ "Redo" }</button>
            if let Some(text) = said {
                <span id="since-last">{ text }</span>
            }
            if let Some((n, named)) = who {
                <details class="changed-users" id="changed-users">
                    <summary>{ format!("{n} user{} changed", if n == 1 { "" } else { "s" }) }</summary>
                    <ul>
                        { for named.iter().map(|w| html! { <li>{ w }</li> }) }
                        if n > named.len() {
                            <li class="muted">{ format!("… and {} more", n - named.len()) }</li>
                        }
                    </ul>
                </details>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_difference_names_each_count_that_moved() {
        let before = Summary {
            create: 5,
            recycle: 1,
            none: 10,
            ..Summary::default()
        };
        let after = Summary {
            create: 8,
            recycle: 0,
            none: 8,
            ..Summary::default()
        };
        assert_eq!(
            difference(&before, &after).as_deref(),
            Some("+3 create, −1 recycle")
        );
        assert_eq!(difference(&before, &before), None);
    }
}
