//! The report area: what the engine answered, or where it stands.
use yew::prelude::*;

use super::state::Phase;

#[derive(Properties, PartialEq)]
pub struct ReportProps {
    pub phase: Phase,
}

#[function_component(Report)]
pub fn report(props: &ReportProps) -> Html {
    let body = match &props.phase {
        Phase::Empty => html! {
            <p class="muted">{ "The report appears here once your exports are loaded." }</p>
        },
        Phase::Reading => html! { <p class="progress" role="status">{ "Reading files…" }</p> },
        Phase::Working => html! { <p class="progress" role="status">{ "Working out the plan…" }</p> },
        Phase::Failed(message) => html! { <p class="error" role="alert">{ message }</p> },
        Phase::Ready(response) => html! {
            <ul class="file-list">
                { for response.files.iter().map(|(name, size)| html! {
                    <li><span class="file-name">{ name }</span>{ format!(" ({size} bytes)") }</li>
                }) }
            </ul>
        },
    };
    html! {
        <section class="report" aria-labelledby="report-title" aria-live="polite">
            <h2 id="report-title">{ "What will happen" }</h2>
            { body }
        </section>
    }
}
