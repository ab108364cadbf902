//! The report as one self-contained HTML file that opens offline: no script, no external
//! resource, every value escaped. Laid out for reading and for printing (summary, findings,
//! mapping table, then the users who change).

use std::fmt::Write as _;

use super::made::Made;
use crate::decide::{Action, Decision};
use crate::plan::Report;
use crate::sort;
use crate::Severity;

/// Escape text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Bidirectional overrides and isolates could make text read differently from what
            // it is: show them.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                let _ = write!(out, "&lt;U+{:04X}&gt;", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#181818;\
margin:2rem auto;max-width:1100px;padding:0 1rem;line-height:1.45}h1{color:#0b5cab;margin-bottom:.2rem}\
h2{border-bottom:2px solid #c9ced6;padding-bottom:.2rem;margin-top:2rem}table{border-collapse:collapse;width:100%;\
margin:.5rem 0}th,td{border:1px solid #c9ced6;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{background:#eef1f5}.error{color:#b00020}.warning{color:#8a5300}.info{color:#0b5cab}code{font-size:.95em}\
.user{break-inside:avoid;border:1px solid #c9ced6;border-radius:6px;padding:.5rem .8rem;margin:.6rem 0}\
.muted{color:#4a4a4a}@media print{body{margin:0;max-width:none}h2{break-after:avoid}}";

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn opt<S: std::ops::Deref<Target = str>>(s: &Option<S>) -> String {
    s.as_deref().map(escape).unwrap_or_else(|| "—".into())
}

fn who(d: &Decision) -> String {
    d.username
        .as_deref()
        .or(d.email.as_deref())
        .map(escape)
        .unwrap_or_else(|| format!("AE user {}", opt(&d.ae_user_id)))
}

/// The whole report, as an HTML document.
pub fn report(report: &Report, made: Option<&Made>) -> String {
    let plan = &report.plan;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>syncplan report</title><style>{STYLE}</style></head><body>"
    );
    let _ = write!(
        o,
        "<h1>What Account Engagement User Sync will do</h1><p class=\"muted\">Made by syncplan{} from the \
         exports listed at the end, in {} mode. Every outcome cites the rule that gives it.</p>",
        made.map(|m| format!(" on {}", m.text())).unwrap_or_default(),
        escape(&format!("{:?}", plan.mode).to_lowercase())
    );

    // Summary.
    o.push_str("<h2>Summary</h2><table><tr><th>Business unit</th>");
    for a in Action::ALL {
        let _ = write!(o, "<th>{}</th>", a.as_str());
    }
    o.push_str("</tr>");
    let mut row = |name: &str, s: &crate::plan::Summary| {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(name),
            s.create,
            s.update,
            s.restore,
            s.recycle,
            s.skip,
            s.none
        );
    };
    for bu in &plan.business_units {
        row(&bu.name, &bu.summary);
    }
    if plan.business_units.len() > 1 {
        row("All business units", &plan.summary);
    }
    o.push_str("</table>");

    // Findings, by severity.
    o.push_str("<h2>Findings</h2>");
    if plan.findings.is_empty() {
        o.push_str("<p>No findings.</p>");
    } else {
        let mut findings: Vec<_> = plan.findings.iter().collect();
        sort::sort_by(&mut findings, |a, b| {
            a.severity.cmp(&b.severity).then(a.code.cmp(&b.code))
        });
        o.push_str("<table><tr><th>Severity</th><th>Rule</th><th>Finding</th><th>Users</th></tr>");
        // At most three findings of one kind; the others are counted in one row (a large org
        // raises thousands of W-BOTH). The findings CSV of the audit pack has every one.
        let mut shown: Vec<(crate::codes::Code, usize, usize)> = Vec::new();
        for f in findings {
            let s = severity(f.severity);
            // (code, findings so far, users of those past the third)
            let seen = match shown.iter_mut().find(|(c, _, _)| *c == f.code) {
                Some(entry) => {
                    entry.1 += 1;
                    if entry.1 > 3 {
                        entry.2 += f.users.len();
                    }
                    entry.1
                }
                None => {
                    shown.push((f.code, 1, 0));
                    1
                }
            };
            if seen <= 3 {
                let _ = write!(
                    o,
                    "<tr><td class=\"{s}\">{s}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                    escape(f.code.as_str()),
                    escape(&f.message),
                    f.users.len()
                );
            }
        }
        for (code, n, users) in shown.iter().filter(|(_, n, _)| *n > 3) {
            let _ = write!(
                o,
                "<tr><td></td><td><code>{}</code></td><td>… and {} more: {} (every one is in findings.csv)</td><td>{}</td></tr>",
                escape(code.as_str()),
                n - 3,
                escape(code.title()),
                users
            );
        }
        o.push_str("</table>");
    }

    // Mapping tables.
    o.push_str("<h2>Profile-to-role mapping</h2>");
    for t in &report.profile_roles {
        let _ = write!(
            o,
            "<h3>{}</h3><table><tr><th>Profile</th><th>Account Engagement role</th><th>Rule</th>\
             <th>Users</th><th>Active</th><th>Assigned</th></tr>",
            escape(&t.business_unit)
        );
        for r in &t.rows {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&r.profile),
                escape(&r.role),
                if r.is_default { " (default)" } else { "" },
                escape(r.rule.as_str()),
                r.users,
                r.active_users,
                r.assigned_users
            );
        }
        o.push_str("</table>");
    }

    // Integration users.
    if !report.integration_users.is_empty() {
        o.push_str(
            "<h2>Integration and system users</h2><table><tr><th>User</th><th>Evidence</th>\
             <th>Assigned</th></tr>",
        );
        for u in &report.integration_users {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&u.username),
                escape(&u.evidence.join("; ")),
                if u.assigned {
                    escape(&u.assigned_in.join(", "))
                } else {
                    "no".into()
                }
            );
        }
        o.push_str("</table>");
    }

    // The users who change (and the skipped ones), with their explanation.
    for bu in &plan.business_units {
        let _ = write!(o, "<h2>Users who change: {}</h2>", escape(&bu.name));
        let changing: Vec<&Decision> = bu
            .decisions
            .iter()
            .filter(|d| d.action != Action::None)
            .collect();
        if changing.is_empty() {
            o.push_str("<p>Nobody changes.</p>");
        }
        for d in changing {
            let _ = write!(
                o,
                "<div class=\"user\"><strong>{}</strong> {} <code>{}</code>",
                d.action.as_str(),
                who(d),
                escape(d.reason.code.as_str())
            );
            if let Some(role) = &d.role {
                let _ = write!(o, ", role {}", escape(role));
                if let Some(prev) = &d.previous_role {
                    if prev != role {
                        let _ = write!(o, " (was {})", escape(prev));
                    }
                }
            }
            let _ = write!(o, "<p>{}</p>", escape(&d.reason.text));
            if let Some(r) = &d.role_reason {
                let _ = write!(
                    o,
                    "<p><code>{}</code> {}</p>",
                    escape(r.code.as_str()),
                    escape(&r.text)
                );
            }
            if !d.trace.is_empty() {
                o.push_str("<ol>");
                for t in &d.trace {
                    let _ = write!(
                        o,
                        "<li><em>{}</em>: {}</li>",
                        t.step,
                        escape(&t.text.as_str())
                    );
                }
                o.push_str("</ol>");
            }
            if !d.changes.is_empty() {
                o.push_str("<table><tr><th>Field</th><th>Before</th><th>After</th></tr>");
                for c in &d.changes {
                    let _ = write!(
                        o,
                        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                        escape(&c.field),
                        opt(&c.before),
                        opt(&c.after)
                    );
                }
                o.push_str("</table>");
            }
            for a in &d.assumptions {
                let _ = write!(
                    o,
                    "<p class=\"muted\">Assumption <code>{}</code>: {}</p>",
                    escape(a.code.as_str()),
                    escape(&a.text)
                );
            }
            o.push_str("</div>");
        }
    }

    // What it was made from.
    o.push_str(
        "<h2>Files read</h2><table><tr><th>File</th><th>Kind</th><th>Encoding</th><th>Rows read</th>\
         <th>Used</th><th>Rejected</th></tr>",
    );
    for f in &plan.files {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&f.file),
            escape(&format!("{:?}", f.kind)),
            escape(&f.encoding),
            f.rows_read,
            f.rows_used,
            f.rows_rejected
        );
    }
    o.push_str("</table></body></html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_shows_bidi_overrides() {
        assert_eq!(
            escape("<img src=x onerror=\"alert(1)\">"),
            "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
        );
        assert_eq!(escape("a\u{202e}b"), "a&lt;U+202E&gt;b");
        assert_eq!(escape("O'Brien & Co"), "O&#39;Brien &amp; Co");
    }
}
