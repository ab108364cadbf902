//! The Web Worker that runs the engine off the page's thread, so the page never freezes.
//!
//! Messages cross the worker boundary in postcard ([`Postcard`]), a compact binary encoding
//! without field names: several times faster to encode and decode than JSON for a 100k-user
//! answer, and the page's wasm needs no JSON reader for the engine's types (30 KB brotli). The
//! engine's types leave empty optional fields out of JSON, which postcard cannot read back, so
//! the codec encodes with every field kept ([`crate::engine::omit`]). The files travel beside
//! the message as parts of their own: the browser's `File`s for files the user picked or
//! dropped, which the worker reads itself (the page never holds their bytes; see [`Content`]).
//!
//! The worker keeps what it read from the files (per `files_version`), so that an edit of the
//! set-up re-plans without sending the files again, and the lookups (what can be assigned,
//! and how many users each reaches) are computed once per set of files and sent after the
//! answer. It also keeps the last plan's decisions: the answer goes without them (a large
//! plan has a hundred thousand), bringing only the user table's first rows, how many there
//! are and what the filters offer. The page asks for the rest as it needs it ([`Ask`]): the
//! table's rows for a filter and a scroll position (the worker filters and searches, with a
//! [`filter::SearchIndex`] built after the answer), one decision whole when its explanation
//! opens, a finding's users, a download's file ([`Ask::Export`], made here), or every decision to print.

mod answer;
mod protocol;
#[cfg(test)]
mod tests;
mod warm_up;
mod wire;

pub use answer::*;
pub use protocol::*;
pub use warm_up::*;
pub use wire::*;

use std::rc::Rc;
use std::sync::Arc;

use gloo::worker::{Codec, HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::engine::decide::{Action, Change, Decision, Finding, Reason, TraceStep};
use crate::engine::diag::Diagnostic;
use crate::engine::id::UserId;
use crate::engine::ingest::{self, FileReport, IngestOptions, Ingested};
use crate::engine::lookup::{self, BuReach, Candidate};
use crate::engine::membership::{Membership, Resolver};
use crate::engine::model::Text;
use crate::engine::omit;
use crate::engine::scenario::{self, Scenario};
use crate::engine::Code;
use crate::engine::{self, InputFile, Report};
use crate::engine::{Exports, PlanOptions, Setup};

use super::export_files::ExportKind;
use super::filter::{self, row_key, who, Filter, Options, RowRef};
use super::state::Selection;

/// Serve the page's requests: what the app's binary does when started in a worker (the page
/// spawns it with [`io::worker_loader`](super::io::worker_loader)).
pub fn register() {
    use gloo::worker::Registrable;
    EngineWorker::registrar().encoding::<Postcard>().register();
}

/// Runs the engine for the page.
///
/// A request whose files are not read yet (the `File`s the page handed over) waits for them
/// to be read, all at once ([`io::read_files`](super::io::read_files)); requests that come in
/// meanwhile wait behind it, so that answers keep the order of the requests.
pub struct EngineWorker {
    cache: Cache,
    inbox: Inbox<(EngineRequest, HandlerId)>,
    /// The warm-up under way ([`WarmUp`]), with when it started (ms): `None` once done or cut
    /// short by the page's first request.
    warm_up: Option<(WarmUp, f64)>,
}

/// What the worker's own futures bring back.
pub enum Message {
    /// A request's files are read.
    FilesRead(Box<FilesRead>),
    /// Time for the next rounds of the warm-up.
    WarmUp,
}

/// Requests in the order received: one is handled at a time, and while a request's files are
/// being read (asynchronously) the ones after it wait.
#[derive(Debug)]
pub struct Inbox<T> {
    reading: bool,
    waiting: std::collections::VecDeque<T>,
}

impl<T> Default for Inbox<T> {
    fn default() -> Self {
        Inbox {
            reading: false,
            waiting: std::collections::VecDeque::new(),
        }
    }
}

impl<T> Inbox<T> {
    /// A request came in: back to be handled now, or `None` when it waits its turn.
    pub fn receive(&mut self, request: T) -> Option<T> {
        if self.reading {
            self.waiting.push_back(request);
            None
        } else {
            Some(request)
        }
    }

    /// The request being handled reads its files first: the ones after it wait.
    pub fn reading(&mut self) {
        self.reading = true;
    }

    /// The files were read: the requests that waited take their turns.
    pub fn read(&mut self) {
        self.reading = false;
    }

    /// The next request that waited, when none is reading.
    pub fn next_waiting(&mut self) -> Option<T> {
        if self.reading {
            None
        } else {
            self.waiting.pop_front()
        }
    }
}

/// A request whose files were read: how long reading them took (ms), and what was read from
/// the exports as they arrived, with the time spent on it (ms), unless a file could not be read.
pub struct FilesRead(EngineRequest, HandlerId, f64, Option<(Ingested, f64)>);

/// Read the exports as the browser hands them over ([`io::read_files`](super::io::read_files),
/// in the order of their names): each is parsed at once, while the browser reads the next, and
/// its bytes let go. A file that could not be read stops the reading (the answer says why).
struct Streaming {
    ingester: Option<ingest::Ingester>,
    clock: Option<fn() -> f64>,
    ms: f64,
}

impl Streaming {
    /// A file to parse now, or a note about an archive for the ingester; what to keep.
    fn arrive(&mut self, arrival: super::io::Arrival) -> Option<GivenFile> {
        match arrival {
            super::io::Arrival::File(f) => Some(self.take(f)),
            super::io::Arrival::Note(d) => {
                if let Some(ingester) = self.ingester.as_mut() {
                    ingester.note(d);
                }
                None
            }
        }
    }

    fn take(&mut self, f: GivenFile) -> GivenFile {
        match f.content {
            Content::Bytes(bytes) if !is_json_name(&f.name) => {
                let Some(ingester) = self.ingester.as_mut() else {
                    return GivenFile {
                        name: f.name,
                        content: Content::Bytes(bytes),
                    };
                };
                let start = now(self.clock);
                let file = InputFile {
                    name: f.name,
                    bytes,
                };
                ingester.add(&file);
                self.ms += now(self.clock) - start;
                // Read already: the answer takes what was read, not the bytes.
                GivenFile {
                    name: file.name,
                    content: Content::Bytes(Vec::new()),
                }
            }
            Content::Unreadable(_) | Content::Handle(_) => {
                self.ingester = None;
                f
            }
            Content::Bytes(_) => f,
        }
    }

    fn finish(self) -> Option<(Ingested, f64)> {
        let start = now(self.clock);
        let ingested = self.ingester?.finish();
        let ms = self.ms + now(self.clock) - start;
        Some((ingested, ms))
    }
}

impl EngineWorker {
    /// Stop warming up (`how`: why, if it did not finish) and say the worker is ready.
    fn end_warm_up(&mut self, how: &str) {
        let Some((warm_up, start)) = self.warm_up.take() else {
            return;
        };
        // The warm-up's line, then "ready": `tests/e2e/bench.mjs` gives the files once the
        // worker is ready, as a user who picks files after the page is shown finds it.
        web_sys::console::debug_1(&JsValue::from_str(&format!(
            "syncplan worker: warm-up {} ms, {} round{}, {} users planned{how}",
            whole(js_sys::Date::now() - start),
            warm_up.rounds(),
            if warm_up.rounds() == 1 { "" } else { "s" },
            warm_up.users()
        )));
        web_sys::console::debug_1(&JsValue::from_str("syncplan worker: ready"));
    }

    /// Answer a request, or start reading its files first.
    fn start(&mut self, scope: &WorkerScope<Self>, mut request: EngineRequest, id: HandlerId) {
        match request.files.take() {
            Some(files) if super::io::any_unread(&files) => {
                self.inbox.reading();
                let start = js_sys::Date::now();
                let mut streaming = Streaming {
                    ingester: Some(ingest::Ingester::new(&IngestOptions::default())),
                    clock: self.cache.clock,
                    ms: 0.0,
                };
                scope.send_future(async move {
                    let files = super::io::read_files(files, |a| streaming.arrive(a)).await;
                    request.files = Some(files);
                    let ms = js_sys::Date::now() - start;
                    Message::FilesRead(Box::new(FilesRead(request, id, ms, streaming.finish())))
                });
            }
            files => {
                request.files = files;
                self.answer(scope, request, id, None, None);
            }
        }
    }

    fn answer(
        &mut self,
        scope: &WorkerScope<Self>,
        request: EngineRequest,
        id: HandlerId,
        files_ms: Option<f64>,
        read: Option<(Ingested, f64)>,
    ) {
        let cache = &mut self.cache;
        // How long encoding and posting each message took (the answer's, then the lookups').
        let mut posts = Vec::new();
        let clock = cache.clock;
        let mut send = |output: EngineOutput| {
            let start = now(clock);
            scope.respond(id, output);
            posts.push(now(clock) - start);
        };
        answer_in_steps_with(cache, request, read, &mut send);
        // Where the worker's time went, for `tests/e2e/bench.mjs` (and anyone with a console):
        // `files N ms, read N ms, plan N ms, post N ms, lookups N ms, post N ms, index N ms`
        // (`files`: reading the files the page handed over; `read`: parsing them; `index`: the
        // search's). Nothing for the table's rows and the other asks.
        if cache.phases.is_empty() {
            return;
        }
        let mut line = String::from("syncplan worker:");
        if let Some(ms) = files_ms {
            line.push_str(&format!(" files {} ms,", whole(ms)));
        }
        let mut posts = posts.into_iter();
        let mut answered = false;
        for (phase, ms) in &cache.phases {
            if !answered && !matches!(*phase, "read" | "plan") {
                // The answer was posted after planning.
                answered = true;
                if let Some(p) = posts.next() {
                    line.push_str(&format!(" post {} ms,", whole(p)));
                }
            }
            line.push_str(&format!(" {phase} {} ms,", whole(*ms)));
            if *phase == "lookups" {
                if let Some(p) = posts.next() {
                    line.push_str(&format!(" post {} ms,", whole(p)));
                }
            }
        }
        for p in posts {
            line.push_str(&format!(" post {} ms,", whole(p)));
        }
        web_sys::console::debug_1(&JsValue::from_str(line.trim_end_matches(',')));
    }
}

impl Worker for EngineWorker {
    type Message = Message;
    type Input = EngineRequest;
    type Output = EngineOutput;

    fn create(scope: &WorkerScope<Self>) -> Self {
        schedule_warm_up(scope);
        EngineWorker {
            cache: Cache {
                clock: Some(js_sys::Date::now),
                ..Cache::default()
            },
            inbox: Inbox::default(),
            warm_up: Some((WarmUp::default(), js_sys::Date::now())),
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, message: Message) {
        match message {
            Message::FilesRead(read) => {
                let FilesRead(request, id, ms, read) = *read;
                self.inbox.read();
                self.answer(scope, request, id, Some(ms), read);
                while let Some((request, id)) = self.inbox.next_waiting() {
                    self.start(scope, request, id);
                }
            }
            Message::WarmUp => {
                let Some((warm_up, _)) = self.warm_up.as_mut() else {
                    return;
                };
                let start = js_sys::Date::now();
                while warm_up.rounds() < WARM_UP_ROUNDS
                    && js_sys::Date::now() - start < WARM_UP_SLICE_MS
                {
                    warm_up.round();
                }
                if warm_up.rounds() < WARM_UP_ROUNDS {
                    schedule_warm_up(scope);
                } else {
                    self.end_warm_up("");
                }
            }
        }
    }

    fn received(&mut self, scope: &WorkerScope<Self>, request: EngineRequest, id: HandlerId) {
        // The page's first request: what it asks comes before the warm-up.
        self.end_warm_up(", cut short by a request");
        if let Some((request, id)) = self.inbox.receive((request, id)) {
            self.start(scope, request, id);
        }
    }
}
