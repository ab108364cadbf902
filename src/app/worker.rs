//! The Web Worker that runs the engine off the page's thread, so the page never freezes.
//!
//! Messages cross the worker boundary as JSON ([`Json`]): the engine's types use serde
//! attributes (`skip_serializing_if`, …) that gloo's default bincode codec cannot read back.

use gloo::worker::{Codec, HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::engine::ingest::IngestOptions;
use crate::engine::{self, InputFile, Report};

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
    /// The report, or the fatal error (already worded for the user) when there is nothing to plan.
    pub result: Result<Report, String>,
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
///
/// A `.json` file among the inputs is the scenario (`syncplan.json` first, as the command line
/// does for a folder); every other file is an export.
pub fn answer(request: EngineRequest) -> EngineResponse {
    let is_json = |f: &InputFile| f.name.to_ascii_lowercase().ends_with(".json");
    let scenario = request
        .files
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case("syncplan.json"))
        .or_else(|| request.files.iter().find(|f| is_json(f)));
    let exports: Vec<InputFile> = request
        .files
        .iter()
        .filter(|f| !is_json(f))
        .cloned()
        .collect();
    let scenario_text = scenario.map(|f| {
        (
            f.name.as_str(),
            String::from_utf8_lossy(&f.bytes).into_owned(),
        )
    });
    let result = engine::run(
        &exports,
        scenario_text
            .as_ref()
            .map(|(name, text)| (*name, text.as_str())),
        &IngestOptions::default(),
    )
    .map_err(|e| e.to_string());
    EngineResponse {
        generation: request.generation,
        result,
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
