//! The tab bar: one tab per screen, arrow keys move between tabs (WAI-ARIA tabs pattern).
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::Tab;

#[derive(Properties, PartialEq)]
pub struct TabsProps {
    pub current: Tab,
    pub on_select: Callback<Tab>,
    /// A count shown beside a tab's label (findings, integration users), when known.
    #[prop_or_default]
    pub badges: Vec<(Tab, usize)>,
}

#[function_component(Tabs)]
pub fn tabs(props: &TabsProps) -> Html {
    let current = props.current;
    let onkeydown = {
        let on_select = props.on_select.clone();
        Callback::from(move |e: KeyboardEvent| {
            // Arrows move from the focused tab (focus moves at once, before the page renders
            // again: a second key pressed quickly still steps from the right tab).
            let from = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.get_attribute("data-tab"))
                .and_then(|id| Tab::ALL.iter().copied().find(|t| t.id() == id))
                .unwrap_or(current);
            let next = match e.key().as_str() {
                "ArrowRight" => from.step(1),
                "ArrowLeft" => from.step(-1),
                "Home" => Tab::Load,
                "End" => Tab::Integration,
                _ => return,
            };
            e.prevent_default();
            on_select.emit(next);
            super::dom::focus(&format!("tab-{}", next.id()));
        })
    };
    html! {
        <nav class="tabs" role="tablist" aria-label="Screens" {onkeydown}>
            { for Tab::ALL.iter().map(|t| {
                let selected = *t == current;
                let onclick = props.on_select.reform({ let t = *t; move |_: MouseEvent| t });
                let badge = props.badges.iter().find(|(b, _)| b == t).map(|(_, n)| *n);
                html! {
                    <button type="button" role="tab" id={format!("tab-{}", t.id())}
                        class={classes!("tab", selected.then_some("selected"))}
                        aria-selected={selected.to_string()}
                        aria-controls={format!("panel-{}", t.id())}
                        tabindex={if selected { "0" } else { "-1" }}
                        data-tab={t.id()} {onclick}>
                        { t.label() }
                        if let Some(n) = badge { <span class="badge">{ n }</span> }
                    </button>
                }
            }) }
        </nav>
    }
}
