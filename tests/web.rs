//! Component tests in a real browser: `./dev test` runs them in headless Chromium, then in
//! headless Firefox ESR, with wasm-bindgen-test-runner (`cargo test --target
//! wasm32-unknown-unknown --test web`, with `CHROMEDRIVER` or `GECKODRIVER` set).
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use std::time::Duration;

use syncplan::app::header::Header;
use syncplan::app::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

async fn settle() {
    gloo::timers::future::sleep(Duration::from_millis(50)).await;
}

#[wasm_bindgen_test]
async fn header_promises_privacy() {
    let root = mount();
    yew::Renderer::<Header>::with_root(root.clone()).render();
    settle().await;
    let text = root.text_content().unwrap();
    assert!(text.contains("syncplan"), "{text}");
    assert!(
        text.contains("Your files never leave this browser"),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn app_shell_has_a_drop_zone_a_demo_button_and_a_report() {
    let root = mount();
    yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    assert!(root
        .query_selector("input[type=file][multiple]")
        .unwrap()
        .is_some());
    let demo = root.query_selector("#demo-button").unwrap().unwrap();
    assert_eq!(demo.text_content().unwrap(), "Try the demo org");
    let report = root.query_selector("section.report").unwrap().unwrap();
    assert!(report
        .text_content()
        .unwrap()
        .contains("The report appears here"));
}

// ---- The app's components, each with the props it gets from the root ----

use std::rc::Rc;

use syncplan::app::explanation::{Explanation, ExplanationProps};
use syncplan::app::file_card::{FileCard, FileCardProps};
use syncplan::app::filter::Filter;
use syncplan::app::state::{Phase, State};
use syncplan::app::summary::{Summary, SummaryProps};
use syncplan::app::user_table::{UserTable, UserTableProps};
use syncplan::app::worker::{answer, Cache, EngineRequest, EngineResponse, Row, RowsPage};
use syncplan::engine::ingest::{ingest, IngestOptions};
use syncplan::engine::InputFile;
use yew::Callback;

fn demo_response() -> EngineResponse {
    syncplan::app::codecs::install();
    answer(
        &mut Cache::default(),
        EngineRequest {
            generation: 1,
            files_version: 1,
            files: Some(
                syncplan::app::demo::files()
                    .into_iter()
                    .map(|f| Rc::new(f.into()))
                    .collect(),
            ),
            scenario: None,
            ask: Default::default(),
            view: Default::default(),
        },
    )
}

#[wasm_bindgen_test]
async fn a_file_card_names_the_kind_and_each_problem_with_its_line() {
    let bad = InputFile {
        name: "bad users.csv".into(),
        bytes: b"Id,Username,Email,IsActive,ProfileId\n005000000000001,a@x.com,a@x.com,true,00e000000000001\n005000000000002,b@x.com,b@x.com,perhaps,00e000000000001\n".to_vec(),
    };
    syncplan::app::codecs::install();
    let report = ingest(&[bad], &IngestOptions::default()).files.remove(0);
    let removed = Rc::new(std::cell::RefCell::new(None::<String>));
    let on_remove = {
        let removed = removed.clone();
        Callback::from(move |n: String| *removed.borrow_mut() = Some(n))
    };
    let root = mount();
    yew::Renderer::<FileCard>::with_root_and_props(
        root.clone(),
        FileCardProps {
            name: "bad users.csv".into(),
            report: Some(report),
            scenario: false,
            removable: true,
            on_remove,
        },
    )
    .render();
    settle().await;
    let card = root
        .query_selector(".file-card[data-file=\"bad users.csv\"]")
        .unwrap()
        .unwrap();
    let kind = card.query_selector(".file-kind").unwrap().unwrap();
    assert!(kind.text_content().unwrap().contains("Users"));
    let diag = card.query_selector(".diagnostic").unwrap().unwrap();
    let text = diag.text_content().unwrap();
    assert!(text.contains("line 3"), "{text}");
    let button: web_sys::HtmlElement = card
        .query_selector("button")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    button.click();
    assert_eq!(removed.borrow().as_deref(), Some("bad users.csv"));
}

#[wasm_bindgen_test]
async fn the_summary_shows_the_counts_and_an_engine_error_as_a_message() {
    let response = demo_response();
    let expected = response.result.as_ref().unwrap().plan.summary;
    let state = State {
        files: syncplan::app::demo::files()
            .into_iter()
            .map(|f| Rc::new(f.into()))
            .collect(),
        phase: Phase::Ready,
        response: Some(Rc::new(response)),
        ..State::default()
    };
    let root = mount();
    yew::Renderer::<Summary>::with_root_and_props(
        root.clone(),
        SummaryProps {
            state: Rc::new(state),
            on_action: Callback::noop(),
            on_setup: Callback::noop(),
        },
    )
    .render();
    settle().await;
    let create = root
        .query_selector("#summary [data-action=create] dd")
        .unwrap()
        .unwrap();
    assert_eq!(create.text_content().unwrap(), expected.create.to_string());
    assert_eq!(
        root.query_selector_all("#summary svg.bar")
            .unwrap()
            .length(),
        6
    );

    let failed = State {
        files: vec![Rc::new(
            InputFile {
                name: "x.csv".into(),
                bytes: b"a\n1\n".to_vec(),
            }
            .into(),
        )],
        phase: Phase::Failed("nothing could be read".into()),
        ..State::default()
    };
    let root = mount();
    yew::Renderer::<Summary>::with_root_and_props(
        root.clone(),
        SummaryProps {
            state: Rc::new(failed),
            on_action: Callback::noop(),
            on_setup: Callback::noop(),
        },
    )
    .render();
    settle().await;
    let err = root.query_selector(".engine-error").unwrap().unwrap();
    assert!(err
        .text_content()
        .unwrap()
        .contains("nothing could be read"));
}

#[wasm_bindgen_test]
async fn the_explanation_gives_the_path_the_match_and_the_rules() {
    let response = demo_response();
    let report = response.result.unwrap();
    let d = report.plan.business_units[0]
        .decisions
        .iter()
        .find(|d| d.action == syncplan::engine::decide::Action::Update)
        .unwrap()
        .clone();
    let root = mount();
    yew::Renderer::<Explanation>::with_root_and_props(
        root.clone(),
        ExplanationProps {
            decision: d.clone(),
            business_unit: "Acme Marketing".into(),
            trace_ready: true,
            on_close: Callback::noop(),
        },
    )
    .render();
    settle().await;
    let ex = root.query_selector("#explanation").unwrap().unwrap();
    assert_eq!(
        ex.query_selector(".reason-code")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        d.reason.code.as_str()
    );
    let text = ex.text_content().unwrap();
    assert!(text.contains(&*d.memberships[0].path), "{text}");
    assert!(
        text.contains(d.role_reason.unwrap().code.as_str()),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn the_user_table_renders_only_the_visible_rows_of_20000() {
    let mut response = demo_response();
    let report = response.result.as_mut().unwrap();
    let one = report.plan.business_units[0].decisions[0].clone();
    // The worker holds 20,000 decisions and has sent the first hundred rows.
    response.decisions = 20_000;
    let rows = (0..100)
        .map(|i| {
            let mut d = one.clone();
            d.salesforce_user_id = None;
            d.ae_user_id = Some(i.to_string().into());
            ((0, i), Row::of_ref(&d))
        })
        .collect();
    let table = RowsPage {
        generation: 1,
        filter: Filter::default(),
        total: 20_000,
        start: 0,
        rows,
    };
    let root = mount();
    yew::Renderer::<UserTable>::with_root_and_props(
        root.clone(),
        UserTableProps {
            response: Rc::new(response),
            table: Some(Rc::new(table)),
            filter: Filter::default(),
            first_row: 0,
            selected: None,
            on_filter: Callback::noop(),
            on_select: Callback::noop(),
            on_scroll: Callback::noop(),
        },
    )
    .render();
    settle().await;
    let rows = root
        .query_selector_all("#user-table [data-user-id]")
        .unwrap()
        .length();
    assert!(rows > 10 && rows < 40, "{rows} rows rendered");
    let count = root.query_selector("#row-count").unwrap().unwrap();
    assert!(count
        .text_content()
        .unwrap()
        .starts_with("20000 of 20000 users"));
}

#[wasm_bindgen_test]
async fn thousands_of_findings_of_one_kind_are_one_line_with_their_count() {
    use syncplan::app::findings::{Findings, FindingsProps};
    let mut response = demo_response();
    let report = response.result.as_mut().unwrap();
    let one = report.plan.findings[0].clone();
    report.plan.findings = (0..3000)
        .map(|i| {
            let mut f = one.clone();
            f.message = format!("finding {i}");
            f
        })
        .collect();
    let root = mount();
    yew::Renderer::<Findings>::with_root_and_props(
        root.clone(),
        FindingsProps {
            report: Rc::new(response),
            who: Rc::default(),
            on_open: Callback::noop(),
            on_select: Callback::noop(),
            on_filter: Callback::noop(),
        },
    )
    .render();
    settle().await;
    let listed = root
        .query_selector_all("#findings .finding")
        .unwrap()
        .length();
    assert_eq!(listed, 1, "one line for the kind");
    let line = root.query_selector(".finding-kind").unwrap().unwrap();
    assert_eq!(line.get_attribute("data-count").as_deref(), Some("3000"));
    let text = line.text_content().unwrap();
    assert!(text.contains(one.code.title()), "{text}");
    assert!(text.contains("3000 findings"), "{text}");
    let read = root
        .query_selector_all(".finding-messages li")
        .unwrap()
        .length();
    assert_eq!(read, 25, "the first 25 messages can be read");
    assert!(root.text_content().unwrap().contains("(3000)"));
}

// ---- The browser's codecs (TextDecoder, String.prototype.normalize) stand in for encoding_rs
// and unicode-normalization in the worker: the same cases as natively (crates/engine/src/codec.rs) ----

#[wasm_bindgen_test]
fn the_browser_codecs_answer_every_case_as_the_native_tables_do() {
    let browser = syncplan::app::codecs::Browser;
    let wrong = syncplan::engine::codec::disagreements(&browser);
    assert_eq!(wrong, Vec::<String>::new());
}

#[wasm_bindgen_test]
fn windows_1252_and_utf_16_files_are_read_with_the_browser_codecs() {
    syncplan::app::codecs::install();
    let users = "Id,Username,Email,FirstName,LastName,IsActive,ProfileId\n005000000000001,z@x.example,z@x.example,Zoë,Šimić,true,00e000000000001\n";
    let cp1252: Vec<u8> = users
        .chars()
        .map(|c| match c {
            'ë' => 0xEB,
            'Š' => 0x8A,
            'ć' => b'c',
            c => c as u8,
        })
        .collect();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        users
            .replace(',', "\t")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    for (name, bytes, encoding) in [
        ("cp1252.csv", cp1252, "windows-1252"),
        ("unicode.txt", utf16, "UTF-16LE"),
    ] {
        let ing = ingest(
            &[InputFile {
                name: name.into(),
                bytes,
            }],
            &IngestOptions::default(),
        );
        assert_eq!(ing.files[0].encoding, encoding, "{name}");
        let user = ing.org.users.values().next().unwrap();
        assert_eq!(user.first_name.as_deref(), Some("Zoë"), "{name}");
        assert!(
            user.last_name.as_deref().unwrap().starts_with("Šimi"),
            "{name}"
        );
    }
    // An override by label, its BOM dropped, and an unknown label.
    let ing = ingest(
        &[InputFile {
            name: "latin.csv".into(),
            bytes: b"Id,Name\n00e000000000001,Syst\xE8me\n".to_vec(),
        }],
        &IngestOptions {
            encoding: Some("latin1".into()),
        },
    );
    assert_eq!(ing.files[0].encoding, "windows-1252");
    assert_eq!(ing.org.profiles.values().next().unwrap().name, "Système");
}
