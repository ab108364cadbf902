//! The web app binary: Trunk builds it and index.html loads it.
fn main() {
    yew::Renderer::<syncplan::app::App>::new().render();
}
