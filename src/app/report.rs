//! The Report screen: the audit findings, then the user table with the selected user's
//! explanation beside it.
use std::rc::Rc;

use yew::prelude::*;

use super::explanation::Explanation;
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
    // Closing an explanation gives the focus back to the user's row in the table.
    let on_close = {
        let dispatch = props.dispatch.clone();
        use_callback(state.selected.clone(), move |(), selected| {
            if let Some((_, key)) = selected {
                super::dom::focus_row("user-table", key);
            }
            dispatch.emit(Action::Select(None))
        })
    };
    let on_scroll = {
        let dispatch = props.dispatch.clone();
        use_callback((), move |first: usize, _| {
            dispatch.emit(Action::Scroll(first))
        })
    };
    // A kind of finding shows its users in the user table, which comes into view.
    let on_finding_filter = {
        let dispatch = props.dispatch.clone();
        use_callback((), move |code: String, _| {
            dispatch.emit(Action::SetFilter(Filter {
                finding: Some(code),
                ..Filter::default()
            }));
            super::dom::scroll_into_view("user-table");
        })
    };
    let on_open_finding = {
        let dispatch = props.dispatch.clone();
        use_callback((), move |ask: Ask, _| dispatch.emit(Action::Ask(ask)))
    };
    // The answer comes without its decisions: the explanation's is asked of the worker when
    // it opens (its row in the table is shown meanwhile), and again from each new answer.
    let explained = state.selected.as_ref().and_then(|selection| {
        let (_, d, ready) = state.explanation(selection)?;
        let r = state.report()?;
        let name = r.plan.business_units.get(selection.0)?.name.clone();
        Some((d, name, ready))
    });
    {
        let missing = state
            .selected
            .clone()
            .filter(|s| !state.explained.contains_key(s))
            .map(|s| (response.generation, s));
        let dispatch = props.dispatch.clone();
        use_effect_with(missing, move |missing| {
            if let Some((_, selection)) = missing {
                dispatch.emit(Action::Ask(Ask::Explain(selection.clone())));
            }
        });
    }
    // Opening an explanation moves the focus to it (keyboard users land on what they opened).
    {
        let key = (state.selected.clone(), explained.is_some());
        use_effect_with(key, |(key, shown)| {
            if key.is_some() && *shown {
                super::dom::focus("explanation");
            }
        });
    }
    html! {
        <>
            <Findings report={response.clone()} who={state.who.clone()} on_open={on_open_finding}
                on_select={on_select.clone()} on_filter={on_finding_filter} />
            <div class={classes!("users-and-explanation", explained.is_some().then_some("with-explanation"))}>
                <UserTable response={response} table={state.table.clone()} filter={state.filter.clone()}
                    first_row={state.first_row} selected={state.selected.clone()} {on_filter} {on_select} {on_scroll} />
                if let Some((d, bu, trace_ready)) = explained {
                    <Explanation decision={d} business_unit={bu} {trace_ready} {on_close} />
                }
            </div>
        </>
    }
}
