//! The page header with the privacy promise.
use yew::prelude::*;

#[function_component(Header)]
pub fn header() -> Html {
    html! {
        <header class="site-header">
            <div class="brand">
                <h1>{ "syncplan" }</h1>
                <p class="tagline">{ "See what Account Engagement User Sync will do to every user, and why, before you switch it on." }</p>
            </div>
            <p class="privacy" role="note">
                { "Your files never leave this browser: everything is computed on this page, nothing is uploaded." }
            </p>
        </header>
    }
}
