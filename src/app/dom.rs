//! Small DOM helpers shared by the components (no I/O: reading a form control's value).
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The `value` of the element an event came from (a `<select>`, an `<input>`).
pub fn value(e: &Event) -> String {
    e.target()
        .and_then(|t| js_sys::Reflect::get(&t, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Focus an element by id (after a keyboard action moved the focus elsewhere).
pub fn focus(id: &str) {
    if let Some(el) = gloo::utils::document()
        .get_element_by_id(id)
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Focus the row of a table (by the table's id) whose `data-user-id` is `key`, else, when that
/// row is not rendered (scrolled away), the table's Tab stop.
pub fn focus_row(table: &str, key: &str) {
    let rows: Vec<web_sys::HtmlElement> = gloo::utils::document()
        .get_element_by_id(table)
        .and_then(|t| t.query_selector_all("tr[data-user-id]").ok())
        .map(|rows| {
            (0..rows.length())
                .filter_map(|i| rows.item(i))
                .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
                .collect()
        })
        .unwrap_or_default();
    let attr = |el: &web_sys::HtmlElement, name: &str, value: &str| {
        el.get_attribute(name).as_deref() == Some(value)
    };
    if let Some(el) = rows
        .iter()
        .find(|el| attr(el, "data-user-id", key))
        .or_else(|| rows.iter().find(|el| attr(el, "tabindex", "0")))
    {
        let _ = el.focus();
    }
}

/// Bring an element (by id) into view.
pub fn scroll_into_view(id: &str) {
    if let Some(el) = gloo::utils::document().get_element_by_id(id) {
        el.scroll_into_view();
    }
}

/// The `change` handler of a file input: hand over the files picked, then clear the input so
/// that picking the same file again is a change too.
pub fn on_files_picked(on_files: Callback<web_sys::FileList>) -> Callback<Event> {
    Callback::from(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        if let Some(files) = input.files() {
            on_files.emit(files);
        }
        input.set_value("");
    })
}
