//! What "Print or save as PDF" prints: the date, the summary, the findings (a kind raised many
//! times as one row with its count and its first few), the mapping table, then the users who
//! change, each with its reason; the users who stay as they are are counted, not listed.
//! Rendered only while printing (the screen's user table draws only the rows in view, which
//! would print a fragment).
use std::rc::Rc;

use yew::prelude::*;

use crate::engine::decide::{Action as Act, Finding};
use crate::engine::plan::Report;
use crate::engine::Code;

#[derive(Properties)]
pub struct PrintReportProps {
    pub report: Rc<Report>,
    /// When it is printed (`2026-12-07 23:59 UTC`).
    pub made: String,
}

impl PartialEq for PrintReportProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.report, &other.report) && self.made == other.made
    }
}

/// Findings of one kind printed one by one; a kind raised more often prints its first ones
/// and counts the rest (the findings CSV of the audit pack has every one).
const PRINTED: usize = 3;

/// The findings by kind, in the order each kind first appears.
fn by_kind(findings: &[Finding]) -> Vec<(Code, Vec<&Finding>)> {
    let mut kinds: Vec<(Code, Vec<&Finding>)> = Vec::new();
    for f in findings {
        match kinds.iter_mut().find(|(c, _)| *c == f.code) {
            Some((_, l)) => l.push(f),
            None => kinds.push((f.code, vec![f])),
        }
    }
    kinds
}

#[function_component(PrintReport)]
pub fn print_report(props: &PrintReportProps) -> Html {
    let plan = &props.report.plan;
    let s = &plan.summary;
    html! {
        <article class="print-report" aria-hidden="true">
            <h1>{ "What Account Engagement User Sync will do" }</h1>
            <p class="print-made">{ format!("Made by syncplan on {}.", props.made) }</p>
            <h2>{ "Summary" }</h2>
            <table>
                <tr>{ for Act::ALL.iter().map(|a| html! { <th>{ a.as_str() }</th> }) }</tr>
                <tr>
                    <td>{ s.create }</td><td>{ s.update }</td><td>{ s.restore }</td>
                    <td>{ s.recycle }</td><td>{ s.skip }</td><td>{ s.none }</td>
                </tr>
            </table>
            <h2>{ "Findings" }</h2>
            <table>
                <tr><th>{ "Severity" }</th><th>{ "Rule" }</th><th>{ "Finding" }</th></tr>
                { for by_kind(&plan.findings).into_iter().flat_map(|(code, list)| {
                    let more = list.len().saturating_sub(PRINTED);
                    let rows: Vec<Html> = list.iter().take(PRINTED).map(|f| html! {
                        <tr>
                            <td>{ format!("{:?}", f.severity).to_lowercase() }</td>
                            <td><code>{ f.code.as_str() }</code></td>
                            <td>{ super::prose::prose(&f.message) }</td>
                        </tr>
                    }).collect();
                    let rest = (more > 0).then(|| html! {
                        <tr class="print-more">
                            <td></td><td><code>{ code.as_str() }</code></td>
                            <td>{ format!("… and {more} more {} findings ({}); the audit pack's findings.csv lists every one", code.as_str(), code.title()) }</td>
                        </tr>
                    });
                    rows.into_iter().chain(rest)
                }) }
            </table>
            <h2>{ "Profile-to-role mapping" }</h2>
            { for props.report.profile_roles.iter().map(|t| html! {
                <table>
                    <caption>{ &t.business_unit }</caption>
                    <tr><th>{ "Profile" }</th><th>{ "AE role" }</th><th>{ "Rule" }</th><th>{ "Users" }</th></tr>
                    { for t.rows.iter().map(|r| html! {
                        <tr>
                            <td>{ &r.profile }</td>
                            <td>{ &r.role }{ if r.is_default { " (default)" } else { "" } }</td>
                            <td><code>{ r.rule.as_str() }</code></td>
                            <td>{ r.users }</td>
                        </tr>
                    }) }
                </table>
            }) }
            { for plan.business_units.iter().map(|bu| html! {
                <section class="print-users">
                    <h2>{ format!("Users who change: {}", bu.name) }</h2>
                    <p>{ format!("{} users stay as they are and are not listed.", bu.summary.none) }</p>
                    { for bu.decisions.iter().filter(|d| d.action != Act::None).map(|d| html! {
                        <div class="print-user">
                            <p>
                                <strong>{ d.action.as_str() }</strong>{ " " }
                                { d.username.as_deref().or(d.email.as_deref()).unwrap_or_default().to_string() }{ " " }
                                <code>{ d.reason.code.as_str() }</code>
                                { d.role.as_ref().map(|r| format!(", role {r}")) }
                            </p>
                            <p>{ &d.reason.text }</p>
                            { for d.changes.iter().map(|c| html! {
                                <p class="print-change">{ format!("{}: {} → {}", c.field,
                                    c.before.as_deref().unwrap_or("—"), c.after.as_deref().unwrap_or("—")) }</p>
                            }) }
                            { d.memberships.first().map(|m| html! { <p class="print-path">{ &m.path }</p> }) }
                        </div>
                    }) }
                </section>
            }) }
        </article>
    }
}
