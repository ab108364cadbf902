//! The Report screen: the audit findings, then the user table with the selected user's
//! explanation beside it.
use std::rc::Rc;

use yew::prelude::*;

use super::explanation::Explanation;
use super::filter::find;
use super::filter::Filter;
use super::findings::Findings;
use super::state::{Action, Selection, State};
use super::user_table::UserTable;
use super::worker::Ask;

#[derive(Properties, PartialEq)]
pub struct ReportProps {
    pub state: Rc<State>,
    pub dispatch: Callback<Action>,
}

#[function_component(Report)]
pub fn report(props: &ReportProps) -> Html {
    let state = &props.state;
    let Some(response) = state.response.clone().filter(|r| r.result.is_ok()) else {
        return html! {
            <section>
                <h2>{ "Report" }</h2>
                <p class="muted">{ "The report appears here once your exports are loaded and a plan could be made." }</p>
            </section>
        };
    };
    // The same callbacks from render to render, so that the findings (whose props then do not
    // change) are not rendered again on every filter or search change.
    let on_select = {
        let dispatch = props.dispatch.clone();
        use_callback((), move |s: Selection, _| {
            dispatch.emit(Action::Select(Some(s)))
        })
    };
    let on_filter = {
        let dispatch = props.dispatch.clone();
        use_callback((), move |f: Filter, _| dispatch.emit(Action::SetFilter(f)))
    };
    let on_close = {
        let dispatch = props.dispatch.clone();
        use_callback((), move |(), _| dispatch.emit(Action::Select(None)))
    };
    // The answer comes without the decisions' details (traces, reasons' texts, paths): the
    // explanation's are asked of the worker when it opens, and shown once they arrive.
    let explained = state.selected.as_ref().and_then(|(bu, key)| {
        let r = state.report()?;
        let at = find(r, *bu, key)?;
        let (d, ready) = state.explained(at)?;
        let name = r.plan.business_units.get(*bu)?.name.clone();
        Some((d, name, at, ready))
    });
    {
        let missing = explained
            .as_ref()
            .filter(|e| !e.3)
            .map(|e| (response.generation, e.2));
        let dispatch = props.dispatch.clone();
        use_effect_with(missing, move |missing| {
            if let Some((_, (b, i))) = missing {
                dispatch.emit(Action::Ask(Ask::Trace(*b, *i)));
            }
        });
    }
    // Opening an explanation moves the focus to it (keyboard users land on what they opened).
    {
        let key = state.selected.clone();
        use_effect_with(key, |key| {
            if key.is_some() {
                super::dom::focus("explanation");
            }
        });
    }
    html! {
        <>
            <Findings report={response.clone()} on_select={on_select.clone()} />
            <div class={classes!("users-and-explanation", explained.is_some().then_some("with-explanation"))}>
                <UserTable response={response} filter={state.filter.clone()} selected={state.selected.clone()}
                    {on_filter} {on_select} />
                if let Some((d, bu, _, trace_ready)) = explained {
                    <Explanation decision={d} business_unit={bu} {trace_ready} {on_close} />
                }
            </div>
        </>
    }
}
