//! The take-away bar on the report: downloads (audit pack, CSVs, JSON, Markdown), print, and
//! the scenario link. Files are made by the engine's exporters from the plan in memory and
//! offered through `io::download`; nothing is sent anywhere.
use std::rc::Rc;

use yew::prelude::*;

use super::export_files::{scenario_link, ExportKind};
use super::io;
use super::print_report::PrintReport;
use super::state::{Action, State};
use super::worker::Ask;
use crate::engine::plan::Report;

#[derive(Properties, PartialEq)]
pub struct DownloadsProps {
    pub state: Rc<State>,
    pub dispatch: Callback<Action>,
}

/// What a button takes away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Take {
    Export(ExportKind),
    Print,
}

/// Make the file (or the print report) from the whole report, traces included.
fn take(
    t: Take,
    state: &State,
    dispatch: &Callback<Action>,
    printing: &UseStateHandle<Option<Rc<Report>>>,
) {
    let Some(report) = state.full_report() else {
        return;
    };
    match t {
        Take::Export(kind) => {
            let result = kind
                .build(&report)
                .and_then(|bytes| io::download(kind.file_name(), kind.mime(), &bytes));
            dispatch.emit(Action::Notice(result.err()));
        }
        Take::Print => printing.set(Some(Rc::new(report))),
    }
}

#[function_component(Downloads)]
pub fn downloads(props: &DownloadsProps) -> Html {
    let link = use_state(|| None::<String>);
    // While printing, the print report is rendered, printed, then removed again.
    let printing = use_state(|| None::<Rc<Report>>);
    {
        let printing = printing.clone();
        let now = printing.is_some();
        use_effect_with(now, move |now| {
            if *now {
                io::print();
                printing.set(None);
            }
        });
    }
    // Downloads and prints asked for while the traces were still with the worker: done, in
    // order, once they arrive.
    // (A cell, not a state: two clicks before the page renders again both land in it.)
    let pending = use_mut_ref(Vec::<Take>::new);
    {
        let pending = pending.clone();
        let printing = printing.clone();
        let state = props.state.clone();
        let dispatch = props.dispatch.clone();
        let ready = !props.state.needs_all_traces();
        use_effect_with(ready, move |ready| {
            if *ready {
                let asked = std::mem::take(&mut *pending.borrow_mut());
                for t in asked {
                    take(t, &state, &dispatch, &printing);
                }
            }
        });
    }
    if props.state.report().is_none() {
        return html! {};
    }
    // Start taking the result away: now, or once the worker has sent every trace.
    let start = {
        let state = props.state.clone();
        let dispatch = props.dispatch.clone();
        let pending = pending.clone();
        let printing = printing.clone();
        move |t: Take| {
            if state.needs_all_traces() {
                pending.borrow_mut().push(t);
                dispatch.emit(Action::Ask(Ask::AllTraces));
            } else {
                take(t, &state, &dispatch, &printing);
            }
        }
    };
    // The report is taken from the state when a button is pressed, never copied per render.
    let buttons = ExportKind::ALL.into_iter().map(|kind| {
        let start = start.clone();
        let onclick = Callback::from(move |_: MouseEvent| start(Take::Export(kind)));
        html! {
            <button type="button" class="button" data-export={kind.id()} {onclick}>{ kind.label() }</button>
        }
    });
    let on_link = {
        let state = props.state.clone();
        let link = link.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(scenario) = state.current_scenario() {
                let url = scenario_link(&io::page_url(), &scenario, &state.lookup);
                if let Some(fragment) = url.split('#').nth(1) {
                    io::set_fragment(fragment);
                }
                io::copy_text(&url);
                link.set(Some(url));
            }
        })
    };
    let on_print = {
        let start = start.clone();
        Callback::from(move |_: MouseEvent| start(Take::Print))
    };
    html! {
        <section class="downloads" aria-labelledby="downloads-title">
            <h2 id="downloads-title" class="visually-hidden">{ "Take the result away" }</h2>
            <div class="download-buttons" role="group" aria-label="Download">
                <span class="downloads-label">{ "Download:" }</span>
                { for buttons }
                <button type="button" class="button" id="print-button" onclick={on_print}>{ "Print or save as PDF" }</button>
                <button type="button" class="button" id="link-button" onclick={on_link}>{ "Copy a link to this set-up" }</button>
            </div>
            if let Some(report) = &*printing {
                <PrintReport report={report.clone()} />
            }
            if let Some(url) = &*link {
                <p class="scenario-link">
                    <label for="scenario-link">{ "Link to this set-up (it carries the set-up only, never your users' data): " }</label>
                    <input id="scenario-link" type="text" readonly=true value={url.clone()} />
                </p>
            }
        </section>
    }
}
