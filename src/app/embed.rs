//! The documentation explainer (`?embed&example=…`): a compact, interactive view of one
//! built-in example. The reader flips switches (active, assignment, group, role) and sees what
//! User Sync does, with the explanation and the rule codes. Embed it with an iframe: see
//! `www/embed-example.html`.
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::embed_state::{EmbedAction, EmbedState};
use crate::engine::examples::EXAMPLES;

#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    /// The example named in the address, if any.
    #[prop_or_default]
    pub example: Option<String>,
}

#[function_component(Embed)]
pub fn embed(props: &EmbedProps) -> Html {
    let name = props.example.clone();
    let state = use_reducer(move || EmbedState::new(name.as_deref()));
    let example = state.example;

    let on_choose = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            dispatcher.dispatch(EmbedAction::Choose(select.value()));
        })
    };

    let outcome = match &state.outcome {
        Err(message) => html! { <p class="engine-error" role="alert">{ message }</p> },
        Ok(o) => html! {
            <div class="embed-outcome" id="embed-outcome" aria-live="polite">
                <p class="embed-verdict">
                    <span class={classes!("badge", o.action.clone())} data-action={o.action.clone()}>{ &o.action }</span>
                    <code class="rule" data-code={o.reason_code.clone()}>{ &o.reason_code }</code>
                    { o.role.as_ref().map(|r| html! {
                        <span class="embed-role">{ format!("role {r}") }
                            { o.previous_role.as_ref().filter(|p| *p != r).map(|p| format!(" (was {p})")) }
                        </span>
                    }) }
                </p>
                <p>{ super::prose::prose(&o.reason) }</p>
                { o.role_reason.as_ref().map(|(code, text)| html! {
                    <p><code class="rule">{ code }</code>{ " " }{ super::prose::prose(text) }</p>
                }) }
                <ol class="trace">
                    { for o.trace.iter().map(|(step, text)| html! {
                        <li><strong>{ step }</strong>{ ": " }{ super::prose::prose(text) }</li>
                    }) }
                </ol>
                if !o.assumptions.is_empty() {
                    <ul class="embed-assumptions" aria-label="Assumptions">
                        { for o.assumptions.iter().map(|(code, text)| html! {
                            <li data-code={code.clone()}><code class="rule">{ code }</code>{ " assumed: " }{ super::prose::prose(text) }</li>
                        }) }
                    </ul>
                }
                if !o.findings.is_empty() {
                    <ul class="embed-findings">
                        { for o.findings.iter().map(|(code, message)| html! {
                            <li data-code={code.clone()}><code class="rule">{ code }</code>{ " " }{ super::prose::prose(message) }</li>
                        }) }
                    </ul>
                }
            </div>
        },
    };

    html! {
        <main class="embed" id="embed">
            <header class="embed-header">
                <label for="embed-example">{ "Example" }</label>
                <select id="embed-example" onchange={on_choose}>
                    { for EXAMPLES.iter().map(|e| html! {
                        <option value={e.name} selected={e.name == example.name}>{ e.title }</option>
                    }) }
                </select>
            </header>
            <h1 class="embed-title">{ example.title }</h1>
            <p class="embed-lesson">{ example.lesson }</p>
            <fieldset class="embed-switches">
                <legend>{ "Try it" }</legend>
                { for example.toggles.iter().map(|t| {
                    let dispatcher = state.dispatcher();
                    let key = t.key;
                    let id = format!("switch-{key}");
                    html! {
                        <div class="switch">
                            <input type="checkbox" id={id.clone()} data-switch={key} checked={state.is_on(key)}
                                onchange={Callback::from(move |_: Event| dispatcher.dispatch(EmbedAction::Toggle(key)))} />
                            <label for={id}>{ t.label }</label>
                        </div>
                    }
                }) }
            </fieldset>
            <h2 class="embed-focus">{ format!("What User Sync does to {}", example.focus) }</h2>
            { outcome }
            <p class="embed-footer">{ "Simulated by syncplan in your browser; rule codes refer to syncplan's rules." }</p>
        </main>
    }
}
