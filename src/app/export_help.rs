//! "How to export" one missing export: SOQL for `sf data query`, Data Loader and Salesforce
//! Inspector, each copyable.
use yew::prelude::*;

use super::exports::{sf_command, ExportHelp, Need};
use super::io;

#[derive(Properties, PartialEq)]
pub struct ExportHelpProps {
    pub help: &'static ExportHelp,
    pub need: Need,
}

fn copy_button(text: String, what: &str) -> Html {
    let onclick = Callback::from(move |_: MouseEvent| {
        io::copy_text(&text);
    });
    html! { <button type="button" class="button small" aria-label={format!("Copy {what}")} {onclick}>{ "Copy" }</button> }
}

#[function_component(ExportHelpItem)]
pub fn export_help(props: &ExportHelpProps) -> Html {
    let h = props.help;
    let need = match props.need {
        Need::Required => "required",
        Need::Needed => "needed",
        Need::Optional => "optional",
    };
    let how = match h.soql {
        Some(q) => {
            let cmd = sf_command(h).unwrap_or_default();
            html! {
                <>
                    <h4>{ "Salesforce CLI" }</h4>
                    <div class="copyable"><pre><code>{ cmd.clone() }</code></pre>{ copy_button(cmd, "the sf command") }</div>
                    <h4>{ "Data Loader or Salesforce Inspector" }</h4>
                    <p>{ "Data Loader: Export, choose the object, paste this query, save the CSV. Salesforce Inspector: Data Export, paste the query, Run Export, then Download CSV." }</p>
                    <div class="copyable"><pre><code>{ q }</code></pre>{ copy_button(q.to_string(), "the SOQL query") }</div>
                </>
            }
        }
        None => html! {
            <p>{ "In Account Engagement, switch to the business unit, open Account Engagement Settings → User Management → Users, and export the list as CSV (one file per business unit). The Account Engagement API v5 users export works too." }</p>
        },
    };
    html! {
        <li class={classes!("missing-export", need)} data-kind={format!("{:?}", h.kind)}>
            <details>
                <summary>
                    <span class={classes!("need", need)}>{ need }</span>{ " " }
                    <strong>{ h.title }</strong>{ format!(": {}. ", h.why) }<span class="link">{ "How to export" }</span>
                </summary>
                <div class="how-to">{ how }</div>
            </details>
        </li>
    }
}
