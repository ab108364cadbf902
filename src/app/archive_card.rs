//! A Salesforce Data Export zip given as it is: what syncplan read out of it (a card per entry
//! read, named `<archive>/<entry>`) and what it says about the rest (the entries not used).
use yew::prelude::*;

use crate::engine::ingest::FileReport;
use crate::engine::Diagnostic;

use super::file_card::FileCard;

#[derive(Properties, PartialEq)]
pub struct ArchiveCardProps {
    pub name: String,
    /// The reports of the entries read, in order.
    pub entries: Vec<FileReport>,
    /// What the archive says about itself (the entries not used, an entry that could not be
    /// read).
    pub notes: Vec<Diagnostic>,
    /// Whether the worker has answered about these files.
    pub read: bool,
    pub on_remove: Callback<String>,
}

#[function_component(ArchiveCard)]
pub fn archive_card(props: &ArchiveCardProps) -> Html {
    let name = props.name.clone();
    let onclick = props.on_remove.reform({
        let name = name.clone();
        move |_: MouseEvent| name.clone()
    });
    let n = props.entries.len();
    html! {
        <article class="file-card archive" data-archive={name.clone()}>
            <header>
                <h3 class="file-name">{ &name }</h3>
                <button type="button" class="button small" aria-label={format!("Remove {name}")} {onclick}>{ "Remove" }</button>
            </header>
            if !props.read {
                <p class="file-kind muted">{ "Reading…" }</p>
            } else {
                <p class="file-kind"><strong>{ "Salesforce Data Export" }</strong>
                    <span class="muted">{ format!(" — {n} export{} read out of it", if n == 1 { "" } else { "s" }) }</span></p>
            }
            if !props.notes.is_empty() {
                <ul class="archive-notes">
                    { for props.notes.iter().map(|d| html! {
                        <li data-code={d.code.as_str()}>{ super::prose::prose(&d.message) }</li>
                    }) }
                </ul>
            }
            <div class="file-cards nested">
                { for props.entries.iter().map(|r| html! {
                    <FileCard key={r.file.clone()} name={r.file.clone()} report={Some(r.clone())}
                        removable={false} on_remove={props.on_remove.clone()} />
                }) }
            </div>
        </article>
    }
}
