//! The web app's one binary: Trunk builds it and index.html loads it. The engine's Web Worker
//! runs the same wasm (`www/worker_loader.js` loads it, from the browser's cache): started in a
//! worker, it serves the page's requests instead of rendering. `?embed` in the address shows the
//! documentation explainer instead of the full app.
use wasm_bindgen::JsCast;

fn main() {
    syncplan::app::codecs::install();
    if js_sys::global().is_instance_of::<web_sys::DedicatedWorkerGlobalScope>() {
        syncplan::app::worker::register();
        return;
    }
    let search = gloo::utils::window()
        .location()
        .search()
        .unwrap_or_default();
    let params: Vec<&str> = search.trim_start_matches('?').split('&').collect();
    if params
        .iter()
        .any(|p| *p == "embed" || p.starts_with("embed="))
    {
        let example = params
            .iter()
            .find_map(|p| p.strip_prefix("example="))
            .map(str::to_string);
        yew::Renderer::<syncplan::app::embed::Embed>::with_props(
            syncplan::app::embed::EmbedProps { example },
        )
        .render();
    } else {
        yew::Renderer::<syncplan::app::App>::new().render();
    }
}
