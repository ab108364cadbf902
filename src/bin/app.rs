//! The web app binary: Trunk builds it and index.html loads it. `?embed` in the address shows
//! the documentation explainer instead of the full app.
fn main() {
    syncplan::app::codecs::install();
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
