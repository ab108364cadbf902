//! The Load exports screen: the drop zone, a card per file, and the exports still missing.
use std::rc::Rc;

use yew::prelude::*;

use super::archive_card::ArchiveCard;
use super::drop_zone::DropZone;
use super::export_help::ExportHelpItem;
use super::exports::{missing, Need};
use super::file_card::FileCard;
use super::io::is_archive_name;
use super::state::{Action, State};

#[derive(Properties, PartialEq)]
pub struct LoadProps {
    pub state: Rc<State>,
    pub dispatch: Callback<Action>,
    pub on_files: Callback<web_sys::FileList>,
    pub on_demo: Callback<()>,
}

#[function_component(Load)]
pub fn load(props: &LoadProps) -> Html {
    let state = &props.state;
    let reports = state
        .response
        .as_ref()
        .filter(|r| r.files_version == state.files_version)
        .map(|r| r.files.clone())
        .unwrap_or_default();
    let answered = state
        .response
        .as_ref()
        .is_some_and(|r| r.files_version == state.files_version);
    let diagnostics: &[crate::engine::Diagnostic] = state
        .response
        .as_ref()
        .filter(|r| r.files_version == state.files_version)
        .and_then(|r| r.result.as_ref().ok())
        .map_or(&[], |r| r.plan.diagnostics.as_slice());
    let on_remove = props.dispatch.reform(Action::RemoveFile);
    let scenario = state.current_scenario();
    let missing = missing(&reports, scenario.as_ref());
    let (important, optional): (Vec<_>, Vec<_>) =
        missing.into_iter().partition(|(n, _)| *n != Need::Optional);
    let clear = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            if super::io::confirm(
                "Remove every file given? An edited set-up goes too, unless you saved it.",
            ) {
                dispatch.emit(Action::Clear);
            }
        })
    };
    // Keeping is the admin's choice; stopping forgets what this browser kept.
    let on_keep = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let on = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .checked();
            if !on {
                let dispatch = dispatch.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(m) = super::io::forget().await {
                        dispatch.emit(Action::Notice(Some(m)));
                    }
                });
            }
            dispatch.emit(Action::SetKeep(on));
        })
    };
    html! {
        <>
            <DropZone on_files={props.on_files.clone()} on_demo={props.on_demo.clone()} />
            if !state.files.is_empty() {
                <section aria-labelledby="files-title">
                    <div class="section-head">
                        <h2 id="files-title">{ format!("Files given ({})", state.files.len()) }</h2>
                        <button type="button" class="button small" id="remove-all" onclick={clear}>{ "Remove all" }</button>
                    </div>
                    <div class="switch keep">
                        <input type="checkbox" id="keep" checked={state.keep} onchange={on_keep} />
                        <label for="keep">{ "Keep these files and the set-up in this browser, to come back to them" }</label>
                    </div>
                    <p class="muted small" id="keep-help">{ if state.keep {
                        "Kept on this computer, in this browser's storage, and never sent anywhere. Untick to forget them."
                    } else {
                        "Off: reloading or closing the page loses them (the page asks first). Ticked, they stay on this computer only."
                    } }</p>
                    <div class="file-cards">
                        { for state.files.iter().map(|f| {
                            if is_archive_name(&f.name) {
                                let inside = format!("{}/", f.name);
                                let entries: Vec<_> = reports.iter().filter(|r| r.file.starts_with(&inside)).cloned().collect();
                                let notes: Vec<_> = diagnostics.iter()
                                    .filter(|d| d.file.as_deref() == Some(f.name.as_str())).cloned().collect();
                                return html! { <ArchiveCard key={f.name.clone()} name={f.name.clone()} {entries} {notes}
                                    read={answered} on_remove={on_remove.clone()} /> };
                            }
                            let is_json = f.name.to_ascii_lowercase().ends_with(".json");
                            let report = reports.iter().find(|r| r.file == f.name).cloned();
                            html! { <FileCard key={f.name.clone()} name={f.name.clone()} {report}
                                scenario={is_json} on_remove={on_remove.clone()} /> }
                        }) }
                    </div>
                </section>
            }
            <section aria-labelledby="missing-title" class="missing">
                <h2 id="missing-title">{ if state.files.is_empty() { "The exports syncplan reads" } else { "Exports not given yet" } }</h2>
                if important.is_empty() && optional.is_empty() {
                    <p>{ "Every export syncplan reads is here." }</p>
                }
                if !important.is_empty() {
                    <ul class="missing-list">
                        { for important.iter().map(|(n, h)| html! { <ExportHelpItem help={*h} need={*n} /> }) }
                    </ul>
                }
                if !optional.is_empty() {
                    <p class="muted">{ "These make some findings more precise:" }</p>
                    <ul class="missing-list">
                        { for optional.iter().map(|(n, h)| html! { <ExportHelpItem help={*h} need={*n} /> }) }
                    </ul>
                }
            </section>
        </>
    }
}
