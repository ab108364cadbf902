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
