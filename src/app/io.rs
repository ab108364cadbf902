//! All of the app's I/O in one place: reading the files the user gives, and downloads.
//! Nothing here sends data anywhere: files are read into memory and downloads are made
//! from in-memory blobs.

use gloo::file::{futures::read_as_bytes, File, FileList};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use yew::Callback;

use crate::engine::{limits, InputFile};

/// Read every file of a `FileList` (from a file input or a drop) and hand them over.
///
/// Sizes are checked first ([`limits::BROWSER`]): files larger than a tab can hold get a
/// message saying the limit and how to split the export, before anything is read.
pub fn read_files(list: web_sys::FileList, done: Callback<Result<Vec<InputFile>, String>>) {
    let files: Vec<File> = FileList::from(list).iter().cloned().collect();
    let sizes: Vec<(String, u64)> = files.iter().map(|f| (f.name(), f.size())).collect();
    let too_large = limits::check_sizes(
        sizes.iter().map(|(name, size)| (name.as_str(), *size)),
        &limits::BROWSER,
    );
    if !too_large.is_empty() {
        let messages: Vec<String> = too_large.into_iter().map(|d| d.message).collect();
        done.emit(Err(messages.join("; ")));
        return;
    }
    spawn_local(async move {
        let mut out = Vec::with_capacity(files.len());
        for f in files {
            match read_as_bytes(&f).await {
                Ok(bytes) => out.push(InputFile {
                    name: f.name(),
                    bytes,
                }),
                Err(e) => {
                    done.emit(Err(format!("could not read `{}`: {e}", f.name())));
                    return;
                }
            }
        }
        done.emit(Ok(out));
    });
}

/// Offer bytes as a download named `name`.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let fail = |e: wasm_bindgen::JsValue| format!("could not download `{name}`: {e:?}");
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let props = web_sys::BlobPropertyBag::new();
    props.set_type(mime);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &props).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = gloo::utils::document();
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| format!("could not download `{name}`"))?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url).map_err(fail)?;
    Ok(())
}

/// Put text on the clipboard (the "Copy" buttons of the export help). Without clipboard
/// access (an insecure page, an old browser) nothing happens: the text stays selectable.
pub fn copy_text(text: &str) {
    let window = gloo::utils::window();
    let clipboard = js_sys::Reflect::get(&window, &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &"clipboard".into()));
    if let Ok(clipboard) = clipboard {
        if let Ok(write) = js_sys::Reflect::get(&clipboard, &"writeText".into()) {
            if let Ok(f) = write.dyn_into::<js_sys::Function>() {
                let _ = f.call1(&clipboard, &text.into());
            }
        }
    }
}

/// The page's address.
pub fn page_url() -> String {
    gloo::utils::window().location().href().unwrap_or_default()
}

/// The address's fragment, without `#` (a shared scenario link lives there).
pub fn fragment() -> String {
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    hash.trim_start_matches('#').to_string()
}

/// Put `fragment` in the address without reloading the page or adding a history entry.
pub fn set_fragment(fragment: &str) {
    let window = gloo::utils::window();
    if let Ok(history) = window.history() {
        let url = format!("#{fragment}");
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Print (or save as PDF): the body is marked `printing` while the browser prints, so that
/// the print stylesheet prints the print report only.
pub fn print() {
    let window = gloo::utils::window();
    let body = gloo::utils::body();
    let _ = body.class_list().add_1("printing");
    let _ = window.print();
    let _ = body.class_list().remove_1("printing");
}
