//! The root component: owns the state machine and the worker, and lays out the screens.
use std::rc::Rc;

use gloo::worker::{Spawnable, WorkerBridge};
use yew::prelude::*;

use crate::engine::InputFile;

use super::downloads::Downloads;
use super::export_files::scenario_from_fragment;
use super::header::Header;
use super::integration::Integration;
use super::load::Load;
use super::mapping::Mapping;
use super::report::Report;
use super::setup::Setup;
use super::state::{Action, State, Tab};
use super::summary::Summary;
use super::tabs::Tabs;
use super::worker::{EngineOutput, EngineWorker, Postcard};
use super::{demo, filter::Filter, io};

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(State::default);

    // One worker for the page's lifetime; its answers go through the reducer. It runs the
    // page's own wasm, started by `www/worker_loader.js` (`io::worker_loader`), a file of this
    // origin: gloo's `spawn` would start it from a `blob:` URL, which the
    // Content-Security-Policy forbids.
    let bridge: Rc<WorkerBridge<EngineWorker>> = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| {
            EngineWorker::spawner()
                .encoding::<Postcard>()
                .callback(move |output| match output {
                    EngineOutput::Answer(response) => {
                        dispatcher.dispatch(Action::EngineDone(response.generation, response))
                    }
                    EngineOutput::Lookups {
                        files_version,
                        lookup,
                    } => dispatcher.dispatch(Action::Lookups(files_version, lookup)),
                    EngineOutput::Rows(page) => dispatcher.dispatch(Action::RowsArrived(page)),
                    EngineOutput::Explained {
                        generation,
                        selection,
                        decision,
                    } => dispatcher.dispatch(Action::Explained(generation, selection, decision)),
                    EngineOutput::Who {
                        generation,
                        finding,
                        users,
                    } => dispatcher.dispatch(Action::WhoArrived(generation, finding, users)),
                    EngineOutput::Proposed {
                        generation,
                        proposal,
                    } => dispatcher.dispatch(Action::Proposed(generation, proposal)),
                    EngineOutput::Compared {
                        generation,
                        comparison,
                    } => dispatcher.dispatch(Action::Compared(generation, comparison)),
                    EngineOutput::AllTraces { generation, all } => {
                        dispatcher.dispatch(Action::AllTracesArrived(generation, all))
                    }
                    EngineOutput::Exported {
                        generation,
                        kind,
                        file,
                    } => dispatcher.dispatch(Action::Exported(generation, kind, file)),
                })
                .spawn_with_loader(&io::worker_loader())
        })
    };
    // Which files version the worker already holds (the files are sent once per version).
    let worker_has = use_mut_ref(|| None::<u64>);

    // Ask the worker whenever the inputs change.
    {
        let request = state.request(*worker_has.borrow());
        let worker_has = worker_has.clone();
        let bridge = bridge.clone();
        use_effect_with(state.generation, move |_| {
            if let Some(request) = request {
                *worker_has.borrow_mut() = Some(request.files_version);
                bridge.send(request);
            }
        });
    }

    // Ask the worker for the user table's rows when the page lacks those it shows (the
    // request changes with the filter and the scroll position, and is sent once each).
    {
        let rows = state.rows_request();
        let bridge = bridge.clone();
        use_effect_with(rows, move |rows| {
            if let Some(request) = rows {
                bridge.send(request.clone());
            }
        });
    }

    // Ask the worker for more of the answer when the state asks (an explanation opened, a
    // finding's users, an export), each ask once.
    {
        let sent = use_mut_ref(|| 0_u64);
        let asks = state.asks_after(*sent.borrow());
        use_effect_with(state.asked, move |asked| {
            for request in asks {
                bridge.send(request);
            }
            *sent.borrow_mut() = *asked;
        });
    }

    // A download the worker made is offered once, then dropped from the state.
    {
        let exported = state.exported.clone();
        let dispatcher = state.dispatcher();
        use_effect_with(exported.as_ref().map(|e| e.n), move |_| {
            if let Some(e) = exported {
                let notice = match &e.file {
                    Ok(bytes) => io::download(e.kind.file_name(), e.kind.mime(), bytes).err(),
                    Err(message) => Some(message.clone()),
                };
                dispatcher.dispatch(Action::Downloaded(notice));
            }
        });
    }

    // A shared link (`#scenario=…`) restores its set-up, as if its syncplan.json were given.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| match scenario_from_fragment(&io::fragment()) {
            Some(Ok(json)) => dispatcher.dispatch(Action::AddFiles(vec![InputFile {
                name: "syncplan.json".into(),
                bytes: json.into_bytes(),
            }
            .into()])),
            Some(Err(message)) => dispatcher.dispatch(Action::Notice(Some(message))),
            None => {}
        });
    }

    // `?demo` in the address opens on the built-in demo org.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            if io::page_url_asks("demo") {
                dispatcher.dispatch(Action::OpenDemo(demo::files()));
            }
        });
    }

    // What this browser kept (the admin asked it to) is opened again, unless the address
    // opens the demo or a shared set-up. A browser that cannot keep anything (a private
    // window) opens empty, as it would anyway.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            if !io::page_url_asks("demo") && scenario_from_fragment(&io::fragment()).is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(Some((files, made))) = io::kept().await {
                        dispatcher.dispatch(Action::Restored(files, made.text()));
                    }
                });
            }
        });
    }
    // While the admin keeps them, the files are kept again whenever they change, and the set-up
    // on every edit.
    {
        let files = state.files.clone();
        let dispatcher = state.dispatcher();
        use_effect_with((state.keep, state.files_version), move |(keep, _)| {
            if *keep {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(m) = io::keep_files(files).await {
                        dispatcher.dispatch(Action::Notice(Some(m)));
                    }
                });
            }
        });
    }
    {
        // Written out only when kept, not on every render.
        let dispatcher = state.dispatcher();
        use_effect_with(
            (state.keep, state.scenario.clone()),
            move |(keep, scenario)| {
                if *keep {
                    let json = scenario.as_ref().map(|s| s.to_json());
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Err(m) = io::keep_scenario(json).await {
                            dispatcher.dispatch(Action::Notice(Some(m)));
                        }
                    });
                }
            },
        );
    }
    // Leaving or reloading the page asks first while it holds files nothing keeps.
    {
        let unkept = !state.files.is_empty() && !state.keep;
        use_effect_with(unkept, |unkept| io::warn_before_leaving(*unkept));
    }

    let dispatch = {
        let dispatcher = state.dispatcher();
        Callback::from(move |a: Action| dispatcher.dispatch(a))
    };
    let on_files = {
        let dispatcher = state.dispatcher();
        Callback::from(move |list: web_sys::FileList| match io::take_files(list) {
            Ok(files) => dispatcher.dispatch(Action::AddFiles(files)),
            Err(message) => dispatcher.dispatch(Action::ReadFailed(message)),
        })
    };
    let on_demo = dispatch.reform(|()| Action::OpenDemo(demo::files()));
    let snapshot: Rc<State> = Rc::new((*state).clone());
    let on_save = {
        let snapshot = snapshot.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |()| {
            if let Some(s) = snapshot.current_scenario() {
                let json = s.to_json();
                let notice =
                    io::download("syncplan.json", "application/json", json.as_bytes()).err();
                dispatch.emit(Action::Notice(notice));
            }
        })
    };
    let on_setup = dispatch.reform(|()| Action::SetTab(Tab::Setup));
    let on_action = {
        let filter = state.filter.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |a| {
            dispatch.emit(Action::SetFilter(Filter {
                action: Some(a),
                ..filter.clone()
            }));
            dispatch.emit(Action::SetTab(Tab::Report));
        })
    };
    let on_tab = dispatch.reform(Action::SetTab);
    let report = state.report();
    let badges = report
        .map(|r| {
            vec![
                (Tab::Report, r.plan.findings.len()),
                (Tab::Integration, r.integration_users.len()),
            ]
        })
        .unwrap_or_default();
    let tab = state.tab;
    let panel = match tab {
        Tab::Load => {
            html! { <Load state={snapshot.clone()} dispatch={dispatch.clone()} on_files={on_files.clone()} {on_demo} /> }
        }
        Tab::Setup => {
            html! { <Setup state={snapshot.clone()} dispatch={dispatch.clone()} on_files={on_files.clone()} {on_save} /> }
        }
        Tab::Report => html! {
            <>
                <Downloads state={snapshot.clone()} dispatch={dispatch.clone()} />
                <Report state={snapshot.clone()} dispatch={dispatch.clone()} />
            </>
        },
        Tab::Mapping => html! {
            <Mapping tables={report.map(|r| r.profile_roles.clone()).unwrap_or_default()} />
        },
        Tab::Integration => html! {
            <Integration users={report.map(|r| r.integration_users.clone()).unwrap_or_default()} />
        },
    };
    html! {
        <>
            <a class="skip-link" href="#main">{ "Skip to the content" }</a>
            <Header />
            <main id="main">
                <Summary state={snapshot.clone()} {on_action} {on_setup} />
                if let Some(n) = &state.notice {
                    <p class="notice error" role="alert">{ n }</p>
                }
                if let Some(r) = &state.restored {
                    <p class="notice info" id="restored" role="status">{ r }</p>
                }
                <Tabs current={tab} on_select={on_tab} {badges} />
                <div class="panel" role="tabpanel" id={format!("panel-{}", tab.id())}
                    aria-labelledby={format!("tab-{}", tab.id())} data-panel={tab.id()}>
                    { panel }
                </div>
            </main>
            <footer class="site-footer">
                <p>{ "syncplan simulates the rules Salesforce documents for User Sync; every outcome cites its rule." }</p>
            </footer>
        </>
    }
}
