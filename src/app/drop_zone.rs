//! Where the user gives the exports: drop them, pick them, or try the demo org.
use web_sys::DragEvent;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    /// Files were dropped or picked.
    pub on_files: Callback<web_sys::FileList>,
    /// "Try the demo org" was pressed.
    pub on_demo: Callback<()>,
}

#[function_component(DropZone)]
pub fn drop_zone(props: &DropZoneProps) -> Html {
    let dragging = use_state(|| false);
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let dragging = dragging.clone();
        let on_files = props.on_files.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
                on_files.emit(files);
            }
        })
    };
    let onchange = super::dom::on_files_picked(props.on_files.clone());
    let on_demo = props.on_demo.reform(|_: MouseEvent| ());
    html! {
        <section class={classes!("drop-zone", dragging.then_some("dragging"))}
            aria-labelledby="drop-title" {ondragover} {ondragleave} {ondrop}>
            <h2 id="drop-title">{ "Your exports" }</h2>
            <p>{ "Drop the CSV exports of your org here: users, profiles, roles, public groups, group members and the Account Engagement users list, in any order, with any names. Salesforce's weekly Data Export zips (WE_….zip) can be dropped as they are." }</p>
            <div class="drop-actions">
                <label class="button primary" for="file-input">{ "Choose files…" }</label>
                <input id="file-input" class="visually-hidden" type="file" multiple=true
                    accept=".csv,.txt,.tsv,.json,.zip,text/csv,text/plain,application/json,application/zip" {onchange} />
                <button type="button" class="button" id="demo-button" onclick={on_demo}>{ "Try the demo org" }</button>
            </div>
        </section>
    }
}
