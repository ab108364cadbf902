//! The take-away bar on the report: downloads (audit pack, CSVs, JSON, Markdown), print, and
//! the scenario link. Files are made by the engine's exporters in the worker, which holds the
//! plan's decisions ([`Ask::Export`]: the page stays responsive while a large org's audit pack
//! is made), and offered through `io::download` when they arrive (see the root); nothing is
//! sent anywhere. Printing renders the whole report in the page, so it first asks the worker
//! for every decision.
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

/// Render the print report from the whole report.
fn print(state: &State, printing: &UseStateHandle<Option<Rc<Report>>>) {
    if let Some(report) = state.full_report() {
        printing.set(Some(Rc::new(report)));
    }
}

#[function_component(Downloads)]
pub fn downloads(props: &DownloadsProps) -> Html {
    let link = use_state(|| None::<(String, bool)>);
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
    // A print asked for while the decisions were still with the worker: done once they arrive.
    // (A cell, not a state: a click before the page renders again lands in it.)
    let pending = use_mut_ref(|| false);
    {
        let pending = pending.clone();
        let printing = printing.clone();
        let state = props.state.clone();
        let ready = !props.state.needs_all_traces();
        use_effect_with(ready, move |ready| {
            if *ready && std::mem::take(&mut *pending.borrow_mut()) {
                print(&state, &printing);
            }
        });
    }
    if props.state.report().is_none() {
        return html! {};
    }
    let buttons = ExportKind::ALL.into_iter().map(|kind| {
        let onclick = props
            .dispatch
            .reform(move |_: MouseEvent| Action::Ask(Ask::Export(kind)));
        let busy = props.state.exporting(kind);
        html! {
            <button type="button" class="button" data-export={kind.id()} {onclick} aria-busy={busy.to_string()}>
                { if busy { "Preparing…" } else { kind.label() } }
            </button>
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
                let copied = io::copy_text(&url);
                link.set(Some((url, copied)));
            }
        })
    };
    // Print now, or once the worker has sent every decision.
    let on_print = {
        let state = props.state.clone();
        let dispatch = props.dispatch.clone();
        let printing = printing.clone();
        Callback::from(move |_: MouseEvent| {
            if state.needs_all_traces() {
                *pending.borrow_mut() = true;
                dispatch.emit(Action::Ask(Ask::AllTraces));
            } else {
                print(&state, &printing);
            }
        })
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
                <PrintReport report={report.clone()} made={io::now().text()} />
            }
            if let Some((url, copied)) = &*link {
                <p class="scenario-link">
                    <label for="scenario-link">{ "Link to this set-up (it carries the set-up only, never your users' data): " }</label>
                    <input id="scenario-link" type="text" readonly=true value={url.clone()} />
                    <span id="link-copied" role="status">{ if *copied { " Copied." } else { " Copy it from here." } }</span>
                </p>
            }
        </section>
    }
}
