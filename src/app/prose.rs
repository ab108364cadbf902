//! The engine's sentences as the page shows them: a value the engine writes between backticks
//! (`` `jane@acme.example` ``, `` `Sales Rep` ``) is shown as a code span, never with the
//! backticks themselves.
use yew::prelude::*;

/// The pieces of a sentence: (text, whether it was between backticks). An unpaired backtick is
/// kept as it is.
pub fn pieces(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else { break };
        if open > 0 {
            out.push((&rest[..open], false));
        }
        out.push((&after[..close], true));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        out.push((rest, false));
    }
    out
}

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
