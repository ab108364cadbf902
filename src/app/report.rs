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
        Phase::Working => {
            html! { <p class="progress" role="status">{ "Working out the plan…" }</p> }
        }
        Phase::Failed(message) => html! { <p class="error" role="alert">{ message }</p> },
        Phase::Ready(response) => match &response.result {
            Err(message) => html! { <p class="error" role="alert">{ message }</p> },
            Ok(report) => {
                let s = &report.plan.summary;
                html! {
                    <>
                        <dl class="summary" id="summary">
                            { for [("create", s.create), ("update", s.update), ("restore", s.restore),
                                   ("recycle", s.recycle), ("skip", s.skip), ("none", s.none)]
                                .into_iter().map(|(action, n)| html! {
                                    <div class={classes!("count", action)} data-action={action}>
                                        <dt>{ action }</dt><dd>{ n }</dd>
                                    </div>
                                }) }
                        </dl>
                        <ul class="file-list">
                            { for report.plan.files.iter().map(|f| html! {
                                <li><span class="file-name">{ &f.file }</span>
                                    { format!(": {:?}, {} rows", f.kind, f.rows_read) }</li>
                            }) }
                        </ul>
                    </>
                }
            }
        },
    };
    html! {
        <section class="report" aria-labelledby="report-title" aria-live="polite">
            <h2 id="report-title">{ "What will happen" }</h2>
            { body }
        </section>
    }
}
