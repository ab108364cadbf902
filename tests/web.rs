//! Component tests in a real browser: `./dev test` runs them in headless Chromium with
//! wasm-bindgen-test-runner (`cargo test --target wasm32-unknown-unknown --test web`).
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use std::time::Duration;

use syncplan::app::header::Header;
use syncplan::app::App;
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
