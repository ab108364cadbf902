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

/// The printed rows of the findings: (severity, code, text), the first [`PRINTED`] of each
/// kind, then for a kind raised more often one row counting the rest.
fn finding_rows(findings: &[Finding]) -> Vec<(String, Code, String)> {
    let mut seen: Vec<(Code, usize)> = Vec::new();
    let mut rows = Vec::new();
    for f in findings {
        let i = match seen.iter().position(|(c, _)| *c == f.code) {
            Some(i) => i,
            None => {
                seen.push((f.code, 0));
                seen.len() - 1
            }
        };
        let n = seen.get_mut(i).map_or(0, |s| {
            s.1 += 1;
            s.1
        });
        if n <= PRINTED {
            let severity = format!("{:?}", f.severity).to_lowercase();
            rows.push((severity, f.code, f.message.replace('`', "")));
        }
    }
    for (code, n) in seen.into_iter().filter(|(_, n)| *n > PRINTED) {
        let text = format!(
            "… and {} more {} findings ({}); the audit pack's findings.csv lists every one",
            n - PRINTED,
            code.as_str(),
            code.title()
        );
        // After the kind's last printed row.
        let at = rows
            .iter()
            .rposition(|r| r.1 == code)
            .map_or(rows.len(), |i| i + 1);
        rows.insert(at, (String::new(), code, text));
    }
    rows
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
                { for finding_rows(&plan.findings).into_iter().map(|(severity, code, text)| html! {
                    <tr><td>{ severity }</td><td><code>{ code.as_str() }</code></td><td>{ text }</td></tr>
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Severity;

    fn finding(code: Code, message: &str) -> Finding {
        Finding {
            severity: Severity::Warning,
            code,
            message: message.into(),
            business_unit: None,
            users: Vec::new(),
        }
    }

    #[test]
    fn a_kind_raised_often_prints_its_first_three_and_counts_the_rest() {
        let mut list: Vec<Finding> = (0..5)
            .map(|i| finding(Code::WBoth, &format!("`u{i}` is in both")))
            .collect();
        list.push(finding(Code::WFrozen, "frozen"));
        let rows = finding_rows(&list);
        let texts: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
        assert_eq!(texts.len(), 5);
        assert_eq!(
            &texts[..3],
            ["u0 is in both", "u1 is in both", "u2 is in both"]
        );
        assert!(
            texts[3].starts_with("… and 2 more W-BOTH findings"),
            "{}",
            texts[3]
        );
        assert_eq!(texts[4], "frozen");
    }
}
