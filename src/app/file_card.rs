//! One file given: what it was read as, its problems with line numbers, a preview, remove.
use yew::prelude::*;

use crate::engine::ingest::FileReport;
use crate::engine::Severity;

use super::exports::kind_title;

#[derive(Properties, PartialEq)]
pub struct FileCardProps {
    pub name: String,
    /// What was read (`None`: still reading, or the file is the scenario).
    pub report: Option<FileReport>,
    /// The file is the scenario (`.json`).
    #[prop_or_default]
    pub scenario: bool,
    /// A file the user gave (an entry of an archive is removed with its archive).
    #[prop_or(true)]
    pub removable: bool,
    pub on_remove: Callback<String>,
}

fn delimiter_name(d: &str) -> String {
    match d {
        "," => "comma".into(),
        ";" => "semicolon".into(),
        "\t" => "tab".into(),
        "|" => "pipe".into(),
        other => format!("`{other}`"),
    }
}

#[function_component(FileCard)]
pub fn file_card(props: &FileCardProps) -> Html {
    let name = props.name.clone();
    let onclick = props.on_remove.reform({
        let name = name.clone();
        move |_: MouseEvent| name.clone()
    });
    let body = match (&props.report, props.scenario) {
        (_, true) => html! {
            <p class="file-kind">{ "Set-up (syncplan.json): the business units and their assignments" }</p>
        },
        (None, false) => html! { <p class="file-kind muted">{ "Reading…" }</p> },
        (Some(r), false) => {
            let errors = r
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            html! {
                <>
                    <p class="file-kind" title={r.kind_reason.clone()}>
                        <strong>{ kind_title(r.kind) }</strong>
                        <span class="muted">{ format!(" — {}", r.kind_reason) }</span>
                    </p>
                    <dl class="file-facts">
                        <div><dt>{ "Encoding" }</dt><dd>{ &r.encoding }</dd></div>
                        <div><dt>{ "Separator" }</dt><dd>{ delimiter_name(&r.delimiter) }</dd></div>
                        <div><dt>{ "Rows read" }</dt><dd class="rows-read">{ r.rows_read }</dd></div>
                        <div><dt>{ "Used" }</dt><dd class="rows-used">{ r.rows_used }</dd></div>
                        <div><dt>{ "Rejected" }</dt>
                            <dd class={classes!("rows-rejected", (r.rows_rejected > 0).then_some("bad"))}>{ r.rows_rejected }</dd></div>
                    </dl>
                    if !r.diagnostics.is_empty() {
                        <details class="diagnostics" open={errors > 0}>
                            <summary>{ format!("{} problem{} ({} error{})", r.diagnostics.len(),
                                if r.diagnostics.len() == 1 { "" } else { "s" }, errors,
                                if errors == 1 { "" } else { "s" }) }</summary>
                            <ul>
                                { for r.diagnostics.iter().take(200).map(|d| {
                                    let place = match (d.line, d.column) {
                                        (Some(l), Some(c)) => format!("line {l}, column {c}: "),
                                        (Some(l), None) => format!("line {l}: "),
                                        _ => String::new(),
                                    };
                                    let sev = format!("{:?}", d.severity).to_lowercase();
                                    html! {
                                        <li class={classes!("diagnostic", sev.clone())} data-code={d.code.as_str()}>
                                            <span class={classes!("severity", sev.clone())}>{ sev }</span>
                                            { " " }{ place }{ super::prose::prose(&d.message) }
                                            <code class="code">{ format!(" {}", d.code) }</code>
                                        </li>
                                    }
                                }) }
                                if r.diagnostics.len() > 200 {
                                    <li class="muted">{ format!("… and {} more", r.diagnostics.len() - 200) }</li>
                                }
                            </ul>
                        </details>
                    }
                    if !r.columns.is_empty() {
                        <details class="preview">
                            <summary>{ format!("Preview: {} columns, first {} rows", r.columns.len(), r.preview.len()) }</summary>
                            <div class="scroll-x">
                                <table>
                                    <thead><tr>{ for r.columns.iter().map(|c| html! { <th scope="col">{ c }</th> }) }</tr></thead>
                                    <tbody>
                                        { for r.preview.iter().map(|row| html! {
                                            <tr>{ for row.iter().map(|v| html! { <td>{ v }</td> }) }</tr>
                                        }) }
                                    </tbody>
                                </table>
                            </div>
                        </details>
                    }
                </>
            }
        }
    };
    let bad = props
        .report
        .as_ref()
        .is_some_and(|r| !r.is_usable() || r.rows_rejected > 0);
    html! {
        <article class={classes!("file-card", bad.then_some("has-errors"))} data-file={name.clone()}>
            <header>
                <h3 class="file-name">{ &name }</h3>
                if props.removable {
                    <button type="button" class="button small" aria-label={format!("Remove {name}")} {onclick}>{ "Remove" }</button>
                }
            </header>
            { body }
        </article>
    }
}
