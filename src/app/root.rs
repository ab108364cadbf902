//! The root component: owns the state machine and the worker.
use std::rc::Rc;

use gloo::worker::{Spawnable, WorkerBridge};
use yew::prelude::*;

use super::drop_zone::DropZone;
use super::header::Header;
use super::report::Report;
use super::state::{Action, State};
use super::worker::{EngineWorker, Json};
use super::{demo, io};

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(State::default);

    // One worker for the page's lifetime; its answers go through the reducer.
    let bridge: Rc<WorkerBridge<EngineWorker>> = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| {
            EngineWorker::spawner()
                .encoding::<Json>()
                .callback(move |response| {
                    dispatcher.dispatch(Action::EngineDone(response.generation, Box::new(response)))
                })
                .spawn("./worker.js")
        })
    };

    // Ask the worker whenever the inputs change.
    {
        let request = state.request();
        use_effect_with(state.generation, move |_| {
            if let Some(request) = request {
                bridge.send(request);
            }
        });
    }

    // `?demo` in the address opens on the built-in demo org.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let search = gloo::utils::window()
                .location()
                .search()
                .unwrap_or_default();
            if search
                .trim_start_matches('?')
                .split('&')
                .any(|p| p == "demo")
            {
                dispatcher.dispatch(Action::AddFiles(demo::files()));
            }
        });
    }

    let on_files = {
        let dispatcher = state.dispatcher();
        Callback::from(move |list: web_sys::FileList| {
            dispatcher.dispatch(Action::ReadingFiles);
            let dispatcher = dispatcher.clone();
            io::read_files(
                list,
                Callback::from(move |read: Result<_, String>| match read {
                    Ok(files) => dispatcher.dispatch(Action::AddFiles(files)),
                    Err(message) => dispatcher.dispatch(Action::ReadFailed(message)),
                }),
            );
        })
    };
    let on_demo = {
        let dispatcher = state.dispatcher();
        Callback::from(move |()| dispatcher.dispatch(Action::AddFiles(demo::files())))
    };

    html! {
        <>
            <Header />
            <main>
                <DropZone {on_files} {on_demo} />
                <Report phase={state.phase.clone()} />
            </main>
            <footer class="site-footer">
                <p>{ "syncplan simulates the rules Salesforce documents for User Sync; every outcome cites its rule." }</p>
            </footer>
        </>
    }
}
