//! The engine's sentences as the page shows them: a value the engine writes between backticks
//! (`` `jane@acme.example` ``, `` `Sales Rep` ``) is shown as a code span, never with the
//! backticks themselves.
use yew::prelude::*;

pub use crate::engine::render::pieces;

/// A sentence of the engine, its quoted values as code spans.
pub fn prose(text: &str) -> Html {
    html! {
        <>{ for pieces(text).into_iter().map(|(t, code)| if code {
            html! { <code class="value">{ t.to_string() }</code> }
        } else {
            html! { { t.to_string() } }
        }) }</>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_between_backticks_are_pieces_of_their_own() {
        assert_eq!(
            pieces("user `jane@x.example` is in `Sales Rep`."),
            vec![
                ("user ", false),
                ("jane@x.example", true),
                (" is in ", false),
                ("Sales Rep", true),
                (".", false)
            ]
        );
        assert_eq!(pieces("no quotes"), vec![("no quotes", false)]);
        assert_eq!(pieces("one ` alone"), vec![("one ` alone", false)]);
        assert_eq!(pieces("``"), vec![("", true)]);
    }
}
