//! The Web Worker that runs the engine off the page's thread, so the page never freezes.
//!
//! Messages cross the worker boundary as JSON ([`Json`]): the engine's types use serde
//! attributes (`skip_serializing_if`, …) that gloo's default bincode codec cannot read back.

use gloo::worker::{Codec, HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::engine::InputFile;

/// What the page asks the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngineRequest {
    /// Echoed back, so that the page can drop answers to outdated requests.
    pub generation: u64,
    pub files: Vec<InputFile>,
}

/// What the worker answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngineResponse {
    pub generation: u64,
    /// Name and size of every file the engine received.
    pub files: Vec<(String, usize)>,
}

/// Runs the engine for the page.
pub struct EngineWorker;

impl Worker for EngineWorker {
    type Message = ();
    type Input = EngineRequest;
    type Output = EngineResponse;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        EngineWorker
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, request: EngineRequest, id: HandlerId) {
        scope.respond(id, answer(request));
    }
}

/// The worker's work, separate from the messaging so that it is tested natively.
pub fn answer(request: EngineRequest) -> EngineResponse {
    EngineResponse {
        generation: request.generation,
        files: request.files.iter().map(|f| (f.name.clone(), f.bytes.len())).collect(),
    }
}

/// JSON on the wire between the page and the worker.
#[derive(Debug)]
pub struct Json;

impl Codec for Json {
    fn encode<I: Serialize>(input: I) -> JsValue {
        match serde_json::to_string(&input) {
            Ok(s) => JsValue::from_str(&s),
            Err(e) => JsValue::from_str(&format!("{{\"encode_error\":\"{e}\"}}")),
        }
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        let text = input.as_string().unwrap_or_default();
        match serde_json::from_str(&text) {
            Ok(v) => v,
            // A message we sent ourselves always decodes; anything else is a programming error.
            Err(e) => panic!("worker message does not decode: {e}"),
        }
    }
}
