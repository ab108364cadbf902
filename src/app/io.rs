//! All of the app's I/O in one place: the files the user gives (held by the page, read by the
//! worker), and downloads. Nothing here sends data anywhere: files are read into the worker's
//! memory and downloads are made from in-memory blobs.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::worker::{Content, GivenFile};
use crate::engine::codes::Code;
use crate::engine::ingest::archive;
use crate::engine::limits;
use crate::engine::sort;
use crate::engine::Diagnostic;

thread_local! {
    /// Files not read yet, by handle ([`Content::Handle`]). In the page: the files the user
    /// picked or dropped (the browser's `File`s, references to the files, not their bytes),
    /// kept for the page's life (a handle a state refers to must stay valid, and a `File`
    /// costs next to nothing). In the worker: the files of the request being decoded, until
    /// [`read_files`] reads them.
    static GIVEN: RefCell<Vec<Option<web_sys::Blob>>> = const { RefCell::new(Vec::new()) };
}

fn hold(blob: web_sys::Blob) -> u32 {
    GIVEN.with_borrow_mut(|given| {
        given.push(Some(blob));
        u32::try_from(given.len() - 1).unwrap_or(u32::MAX)
    })
}

/// Take every file of a `FileList` (from a file input or a drop), unread: each becomes a
/// [`Content::Handle`] to its `File`, which the worker reads (see [`read_files`]).
///
/// Sizes are checked first ([`limits::BROWSER`]): files larger than a tab can hold get a
/// message saying the limit and how to split the export.
pub fn take_files(list: web_sys::FileList) -> Result<Vec<GivenFile>, String> {
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    // An archive is not read whole: each entry syncplan reads is checked as it is chosen.
    let sizes: Vec<(String, u64)> = files
        .iter()
        .filter(|f| !is_archive_name(&f.name()))
        .map(|f| (f.name(), f.size() as u64))
        .collect();
    let too_large = limits::check_sizes(
        sizes.iter().map(|(name, size)| (name.as_str(), *size)),
        &limits::BROWSER,
    );
    if !too_large.is_empty() {
        let messages: Vec<String> = too_large.into_iter().map(|d| d.message).collect();
        return Err(messages.join("; "));
    }
    Ok(files
        .into_iter()
        .map(|f| GivenFile {
            name: f.name(),
            content: Content::Handle(hold(f.into())),
        })
        .collect())
}

/// The `File` of a handle, to put in a message to the worker (`undefined` for a handle this
/// page never gave out, which the worker reports as unreadable).
pub fn given_file(handle: u32) -> JsValue {
    GIVEN.with_borrow(|given| {
        given
            .get(handle as usize)
            .and_then(|f| f.as_ref())
            .map(|f| JsValue::from(f.clone()))
            .unwrap_or(JsValue::UNDEFINED)
    })
}

/// A part of a message as received: a `File` (in the worker, a file the page handed over) is
/// held unread, as a handle for [`read_files`]; anything else is the bytes of a `Uint8Array`.
pub fn receive_part(part: &JsValue) -> Content {
    if let Some(blob) = part.dyn_ref::<web_sys::Blob>() {
        return Content::Handle(hold(blob.clone()));
    }
    if part.is_undefined() {
        return Content::Unreadable("the page no longer holds it".into());
    }
    Content::Bytes(js_sys::Uint8Array::new(part).to_vec())
}

/// Whether any of the files is held unread (its bytes are for [`read_files`] to fetch).
pub fn any_unread(files: &[Rc<GivenFile>]) -> bool {
    files
        .iter()
        .any(|f| matches!(f.content, Content::Handle(_)))
}

/// What reading the files hands over, in the order of the files' names: a file (or an
/// archive's entry, named `<archive>/<entry>`), or what an archive says about itself.
pub enum Arrival {
    File(GivenFile),
    Note(Diagnostic),
}

#[wasm_bindgen(module = "/src/app/zip.js")]
extern "C" {
    /// The entries of a zip archive (`{ name, size, … }`), read from its directory alone.
    #[wasm_bindgen(js_name = zipEntries)]
    fn zip_entries(blob: &web_sys::Blob) -> js_sys::Promise;
    /// One entry, inflated (a `Uint8Array`).
    #[wasm_bindgen(js_name = zipEntry)]
    fn zip_entry(blob: &web_sys::Blob, entry: &JsValue) -> js_sys::Promise;
}

/// Whether a file is read as a zip archive (a Salesforce Data Export), by its name.
pub fn is_archive_name(name: &str) -> bool {
    name.len() > 4
        && name
            .get(name.len() - 4..)
            .is_some_and(|e| e.eq_ignore_ascii_case(".zip"))
}

/// How one file is being read.
enum Reading {
    /// Bytes already, or why not.
    Ready(Content),
    /// `Blob.arrayBuffer()`, under way.
    Whole(JsFuture),
    /// A zip archive: its directory, under way; the entries wanted are read one at a time.
    Archive(web_sys::Blob, JsFuture),
}

/// Read every file held unread (in the worker): all at once, each `Blob.arrayBuffer()` started
/// before the first is awaited, so that the browser reads them side by side (one after the
/// other, synchronously, a 100k-user org's files took 178 ms against 128–162). Each file, read
/// or not, is handed to `each` in the order of the files' names (`str::cmp`) as soon as it and
/// those before it are read: as its bytes, or why it could not be read. `each` keeps what it
/// needs (the worker parses an export while the browser reads the next ones) and gives back
/// what to keep of the file; the files come back in the order given, the handles let go.
///
/// A zip archive (a Data Export) is never read whole: its directory is, then each entry
/// syncplan reads ([`archive::select`]), inflated by the browser, is handed to `each` in turn
/// as `<archive>/<entry>`, with a note naming the entries not used.
pub async fn read_files(
    files: Vec<Rc<GivenFile>>,
    mut each: impl FnMut(Arrival) -> Option<GivenFile>,
) -> Vec<Rc<GivenFile>> {
    let reads: Vec<Reading> = files
        .iter()
        .map(|f| match f.content {
            Content::Handle(h) => {
                match GIVEN
                    .with_borrow_mut(|given| given.get_mut(h as usize).and_then(Option::take))
                {
                    Some(blob) if is_archive_name(&f.name) => {
                        let listing = JsFuture::from(zip_entries(&blob));
                        Reading::Archive(blob, listing)
                    }
                    Some(blob) => Reading::Whole(JsFuture::from(blob.array_buffer())),
                    None => {
                        Reading::Ready(Content::Unreadable("the page no longer holds it".into()))
                    }
                }
            }
            // Bytes already (moved out below, not copied).
            _ => Reading::Ready(Content::Bytes(Vec::new())),
        })
        .collect();
    // Every handle taken: the table starts again (the worker receives files for each new set).
    GIVEN.with_borrow_mut(|given| {
        if given.iter().all(Option::is_none) {
            given.clear();
        }
    });
    let mut pending: Vec<_> = files
        .into_iter()
        .zip(reads)
        .enumerate()
        .map(|(i, (f, read))| (i, f, read))
        .collect();
    sort::sort_by(&mut pending, |a, b| a.1.name.cmp(&b.1.name));
    let mut out: Vec<(usize, Rc<GivenFile>)> = Vec::with_capacity(pending.len());
    for (i, f, read) in pending {
        let name = f.name.clone();
        let content = match read {
            Reading::Ready(Content::Bytes(_)) if !matches!(f.content, Content::Handle(_)) => {
                Rc::try_unwrap(f)
                    .map(|f| f.content)
                    .unwrap_or_else(|f| f.content.clone())
            }
            Reading::Ready(content) => content,
            Reading::Whole(future) => match future.await {
                Ok(buffer) => Content::Bytes(js_sys::Uint8Array::new(&buffer).to_vec()),
                Err(e) => Content::Unreadable(js_message(&e)),
            },
            Reading::Archive(blob, listing) => {
                for kept in read_archive(&name, &blob, listing, &mut each).await {
                    out.push((i, Rc::new(kept)));
                }
                continue;
            }
        };
        if let Some(kept) = each(Arrival::File(GivenFile { name, content })) {
            out.push((i, Rc::new(kept)));
        }
    }
    sort::sort_by_key(&mut out, |(i, _)| *i);
    out.into_iter().map(|(_, f)| f).collect()
}

/// The entries syncplan reads of one zip archive, each handed to `each` as it is inflated;
/// what `each` kept of them.
async fn read_archive(
    name: &str,
    blob: &web_sys::Blob,
    listing: JsFuture,
    each: &mut impl FnMut(Arrival) -> Option<GivenFile>,
) -> Vec<GivenFile> {
    let entries: Vec<JsValue> = match listing.await {
        Ok(list) => js_sys::Array::from(&list).iter().collect(),
        Err(e) => {
            each(Arrival::Note(
                Diagnostic::error(
                    Code::EArchive,
                    format!("cannot be read as a zip archive: {}", js_message(&e)),
                )
                .in_file(name),
            ));
            return Vec::new();
        }
    };
    let field = |e: &JsValue, key: &str| js_sys::Reflect::get(e, &JsValue::from_str(key)).ok();
    let named: Vec<(String, u64)> = entries
        .iter()
        .map(|e| {
            let entry = field(e, "name")
                .and_then(|n| n.as_string())
                .unwrap_or_default();
            // Sizes are whole numbers of bytes (f64 holds them exactly up to 2^53).
            let size = field(e, "size").and_then(|n| n.as_f64()).unwrap_or(0.0) as u64;
            (entry, size)
        })
        .collect();
    let chosen = archive::select(
        name,
        named.iter().map(|(n, size)| (n.as_str(), *size)),
        limits::BROWSER.per_file,
    );
    let Some(chosen) = chosen else {
        each(Arrival::Note(
            Diagnostic::error(
                Code::EArchive,
                format!(
                    "holds none of the exports syncplan reads ({}.csv): it is not a Salesforce Data Export; unzip it and add the CSV files inside",
                    archive::WANTED.join(".csv, ")
                ),
            )
            .in_file(name),
        ));
        return Vec::new();
    };
    for note in chosen.notes {
        each(Arrival::Note(note));
    }
    let mut read: Vec<(&str, &JsValue)> = chosen
        .read
        .iter()
        .filter_map(|&k| Some((named.get(k)?.0.as_str(), entries.get(k)?)))
        .collect();
    sort::sort_by(&mut read, |a, b| a.0.cmp(b.0));
    let mut kept = Vec::with_capacity(read.len());
    for (entry, js) in read {
        let file = format!("{name}/{entry}");
        let content = match JsFuture::from(zip_entry(blob, js)).await {
            Ok(bytes) => Content::Bytes(js_sys::Uint8Array::new(&bytes).to_vec()),
            Err(e) => {
                each(Arrival::Note(
                    Diagnostic::error(
                        Code::EArchive,
                        format!("`{entry}` cannot be unzipped: {}", js_message(&e)),
                    )
                    .in_file(file),
                ));
                continue;
            }
        };
        if let Some(k) = each(Arrival::File(GivenFile {
            name: file,
            content,
        })) {
            kept.push(k);
        }
    }
    kept
}

/// A JavaScript error as a message (`NotReadableError: …`).
fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.to_string()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser would not say why".into())
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

/// Read a small file the user picked (a set-up to compare with) as text, then call `done` with
/// its name and text, or why it could not be read.
pub fn read_text(
    file: web_sys::File,
    done: impl FnOnce(Result<(String, String), String>) + 'static,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let name = file.name();
        let read = JsFuture::from(file.text())
            .await
            .map(|t| (name.clone(), t.as_string().unwrap_or_default()))
            .map_err(|e| format!("could not read `{name}`: {}", js_message(&e)));
        done(read);
    });
}

/// Ask the user to confirm something that cannot be undone ("Remove all").
pub fn confirm(question: &str) -> bool {
    gloo::dialogs::confirm(question)
}

/// Put text on the clipboard (the "Copy" buttons of the export help, the set-up link), and
/// say whether the browser took it. Without clipboard access (an insecure page, an old browser)
/// nothing happens and the answer is no: the text stays selectable.
pub fn copy_text(text: &str) -> bool {
    let window = gloo::utils::window();
    let clipboard = js_sys::Reflect::get(&window, &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &"clipboard".into()));
    let Ok(clipboard) = clipboard else {
        return false;
    };
    js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|w| w.dyn_into::<js_sys::Function>().ok())
        .is_some_and(|f| f.call1(&clipboard, &text.into()).is_ok())
}

/// The address the engine's worker starts from: `worker_loader.js`, with the names of the
/// app's JS glue and wasm, which Trunk writes into the boot script's tag (`Trunk.toml`,
/// `pattern_script`). The worker runs the page's own wasm, which the browser then takes from
/// its cache instead of downloading it again.
pub fn worker_loader() -> String {
    let name = |attribute: &str| {
        gloo::utils::document()
            .query_selector("script[data-syncplan-js]")
            .ok()
            .flatten()
            .and_then(|tag| tag.get_attribute(attribute))
            .map(|name| String::from(js_sys::encode_uri_component(&name)))
            .unwrap_or_default()
    };
    format!(
        "./worker_loader.js?js={}&wasm={}",
        name("data-syncplan-js"),
        name("data-syncplan-wasm")
    )
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

/// Now, by the browser's clock (the date printed on a report).
pub fn now() -> crate::engine::export::made::Made {
    crate::engine::export::made::Made::from_unix_ms(js_sys::Date::now())
}

#[wasm_bindgen(module = "/src/app/keep.js")]
extern "C" {
    #[wasm_bindgen(js_name = keepFiles)]
    fn keep_files_js(files: &js_sys::Array) -> js_sys::Promise;
    #[wasm_bindgen(js_name = keepScenario)]
    fn keep_scenario_js(json: &JsValue) -> js_sys::Promise;
    #[wasm_bindgen(js_name = keptSession)]
    fn kept_session_js() -> js_sys::Promise;
    #[wasm_bindgen(js_name = forget)]
    fn forget_js() -> js_sys::Promise;
}

/// Why this browser could not keep or give back what it keeps.
fn keep_error(e: JsValue) -> String {
    let why = js_sys::Reflect::get(&e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "its storage refused".into());
    format!("this browser cannot keep the files: {why}")
}

/// A `keep.js` call, awaited.
async fn keeping(call: js_sys::Promise) -> Result<JsValue, String> {
    JsFuture::from(call).await.map_err(keep_error)
}

/// Keep the files in this browser (IndexedDB, this computer only; see `keep.js`).
pub async fn keep_files(files: Vec<Rc<GivenFile>>) -> Result<(), String> {
    let list = js_sys::Array::new();
    for f in &files {
        let data = match &f.content {
            Content::Handle(h) => given_file(*h),
            Content::Bytes(b) => js_sys::Uint8Array::from(b.as_slice()).into(),
            Content::Unreadable(_) => continue,
        };
        let entry = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&entry, &"name".into(), &f.name.as_str().into());
        let _ = js_sys::Reflect::set(&entry, &"data".into(), &data);
        list.push(&entry);
    }
    keeping(keep_files_js(&list)).await.map(|_| ())
}

/// Keep the edited set-up (`None`: the files' own).
pub async fn keep_scenario(json: Option<String>) -> Result<(), String> {
    let value = json.map_or(JsValue::NULL, |j| JsValue::from(j.as_str()));
    keeping(keep_scenario_js(&value)).await.map(|_| ())
}

/// What this browser kept: the files (an edited set-up among them as `syncplan.json`, in
/// place of the files' own) and when they were kept; `None` when nothing is kept.
pub async fn kept() -> Result<Option<(Vec<GivenFile>, crate::engine::export::made::Made)>, String> {
    let session = keeping(kept_session_js()).await?;
    if session.is_null() || session.is_undefined() {
        return Ok(None);
    }
    let get =
        |o: &JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let scenario = get(&session, "scenario").as_string();
    let saved = get(&session, "saved").as_f64().unwrap_or(0.0);
    let mut files: Vec<GivenFile> = js_sys::Array::from(&get(&session, "files"))
        .iter()
        .filter_map(|f| {
            let name = get(&f, "name").as_string()?;
            let blob = get(&f, "blob").dyn_into::<web_sys::Blob>().ok()?;
            Some(GivenFile {
                name,
                content: Content::Handle(hold(blob)),
            })
        })
        .collect();
    if let Some(json) = scenario {
        files.retain(|f| !f.name.to_ascii_lowercase().ends_with(".json"));
        files.push(GivenFile {
            name: "syncplan.json".into(),
            content: Content::Bytes(json.into_bytes()),
        });
    }
    let made = crate::engine::export::made::Made::from_unix_ms(saved);
    Ok((!files.is_empty()).then_some((files, made)))
}

/// Whether the page's address has `name` among its query's parameters (`?demo`).
pub fn page_url_asks(name: &str) -> bool {
    gloo::utils::window()
        .location()
        .search()
        .unwrap_or_default()
        .trim_start_matches('?')
        .split('&')
        .any(|p| p == name)
}

/// Forget what this browser keeps.
pub async fn forget() -> Result<(), String> {
    keeping(forget_js()).await.map(|_| ())
}

thread_local! {
    /// Whether leaving the page would lose files nothing keeps (see [`warn_before_leaving`]).
    static WARN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Ask before the page is left or reloaded while it holds files this browser does not keep
/// (the browser shows its own "Leave site?" question).
pub fn warn_before_leaving(on: bool) {
    use wasm_bindgen::closure::Closure;
    thread_local! {
        static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    WARN.with(|w| w.set(on));
    if on && !INSTALLED.with(|i| i.replace(true)) {
        let handler = Closure::<dyn Fn(web_sys::Event)>::new(|e: web_sys::Event| {
            if WARN.with(std::cell::Cell::get) {
                e.prevent_default();
                let _ = js_sys::Reflect::set(&e, &"returnValue".into(), &"".into());
            }
        });
        let _ = gloo::utils::window()
            .add_event_listener_with_callback("beforeunload", handler.as_ref().unchecked_ref());
        // The page's one listener, for the page's life.
        handler.forget();
    }
}
