//! The Web Worker that runs the engine off the page's thread, so the page never freezes.
//!
//! Messages cross the worker boundary as JSON ([`Json`]): the engine's types use serde
//! attributes (`skip_serializing_if`, …) that gloo's default bincode codec cannot read back.
//!
//! The worker keeps what it read from the files (per `files_version`), so that an edit of the
//! set-up re-plans without sending the files again, and the lookups (what can be assigned,
//! and how many users each reaches) are computed once per set of files.

use gloo::worker::{Codec, HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::engine::ingest::{self, FileReport, IngestOptions, Ingested};
use crate::engine::lookup::{self, BuReach, Candidate};
use crate::engine::scenario::{self, Scenario};
use crate::engine::{self, InputFile, Report};

/// What the page asks the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineRequest {
    /// Echoed back, so that the page can drop answers to outdated requests.
    pub generation: u64,
    /// Which set of files this is; the files are sent only when it changed.
    pub files_version: u64,
    /// The files (`None`: the same as the last request with this `files_version`). On the
    /// wire each file's bytes are one base64 string, not a JSON array of numbers (a 60 MB org
    /// would be some 200 MB of JSON to write and parse).
    #[serde(with = "wire_files")]
    pub files: Option<Vec<InputFile>>,
    /// The edited scenario; `None`: a `.json` among the files, else the defaults.
    pub scenario: Option<Scenario>,
}

/// What the worker answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineResponse {
    pub generation: u64,
    pub files_version: u64,
    /// What was read from each export, even when there is nothing to plan.
    pub files: Vec<FileReport>,
    /// What can be assigned (sent again only when the files changed).
    pub lookup: Option<Vec<Candidate>>,
    /// How many users each assignment of the scenario used reaches.
    pub reach: Vec<BuReach>,
    /// The report, or the fatal error (already worded for the user) when there is nothing to plan.
    pub result: Result<Report, String>,
}

/// What the worker remembers between requests.
#[derive(Debug, Default)]
pub struct Cache {
    files_version: Option<u64>,
    /// The scenario files among the inputs (`.json`), kept to plan with when the page sends
    /// no edited scenario.
    scenarios: Vec<InputFile>,
    /// How many exports were given (for the "nothing usable" error).
    exports: usize,
    /// What was read from the exports: read once per set of files, planned on every request.
    ingested: Ingested,
    /// A clock (ms) for the phase timings the worker logs (`None` natively: no timings).
    pub clock: Option<fn() -> f64>,
    /// How long the phases of the last answer took (ms): `read` (the exports) and `plan`.
    pub phases: Vec<(&'static str, f64)>,
}

impl Cache {
    fn now(&self) -> f64 {
        self.clock.map(|c| c()).unwrap_or(0.0)
    }
}

/// Runs the engine for the page.
pub struct EngineWorker {
    cache: Cache,
}

impl Worker for EngineWorker {
    type Message = ();
    type Input = EngineRequest;
    type Output = EngineResponse;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        EngineWorker {
            cache: Cache {
                clock: Some(js_sys::Date::now),
                ..Cache::default()
            },
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, request: EngineRequest, id: HandlerId) {
        let response = answer(&mut self.cache, request);
        let start = self.cache.now();
        scope.respond(id, response);
        // Where the worker's time went, for `tests/e2e/bench.mjs` (and anyone with a console).
        let mut line = String::from("syncplan worker:");
        for (phase, ms) in &self.cache.phases {
            line.push_str(&format!(" {phase} {ms:.0} ms,"));
        }
        line.push_str(&format!(" answer {:.0} ms", self.cache.now() - start));
        web_sys::console::debug_1(&JsValue::from_str(&line));
    }
}

fn is_json(f: &InputFile) -> bool {
    f.name.to_ascii_lowercase().ends_with(".json")
}

/// The worker's work, separate from the messaging so that it is tested natively.
///
/// A `.json` file among the inputs is the scenario (`syncplan.json` first, as the command line
/// does for a folder) unless the page sends an edited one; every other file is an export.
/// The exports are read once per `files_version` (the page sends the files only when they
/// changed); a set-up edit plans again from what was read ([`engine::plan_ingested`]).
pub fn answer(cache: &mut Cache, request: EngineRequest) -> EngineResponse {
    let opts = IngestOptions::default();
    let mut fresh = false;
    cache.phases.clear();
    let start = cache.now();
    if let Some(files) = request.files {
        let (scenarios, exports): (Vec<InputFile>, Vec<InputFile>) =
            files.into_iter().partition(is_json);
        cache.ingested = ingest::ingest(&exports, &opts);
        cache.exports = exports.len();
        cache.scenarios = scenarios;
        cache.files_version = Some(request.files_version);
        fresh = true;
        let read = cache.now();
        cache.phases.push(("read", read - start));
    }
    let start = cache.now();
    let parsed = match &request.scenario {
        Some(s) => Ok(Some(("syncplan.json".to_string(), s.clone(), Vec::new()))),
        None => {
            let file = cache
                .scenarios
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case("syncplan.json"))
                .or_else(|| cache.scenarios.first());
            file.map(|f| engine::plan::parse_scenario(&f.name, &String::from_utf8_lossy(&f.bytes)))
                .transpose()
        }
    };
    let result = parsed
        .and_then(|p| engine::plan_ingested(&cache.ingested, cache.exports, p))
        .map_err(|e| e.to_string());
    let used: Option<Scenario> = match (&result, &request.scenario) {
        (Ok(r), _) => Some(r.scenario.clone()),
        (Err(_), Some(s)) => Some(s.clone()),
        (Err(_), None) => None,
    };
    let org = &cache.ingested.org;
    let reach = used
        .filter(|s| s.mode == scenario::Mode::Latest)
        .map(|s| lookup::scenario_reach(org, &s))
        .unwrap_or_default();
    let lookup = fresh.then(|| lookup::candidates(org));
    let planned = cache.now();
    cache.phases.push(("plan", planned - start));
    EngineResponse {
        generation: request.generation,
        files_version: request.files_version,
        files: cache.ingested.files.clone(),
        lookup,
        reach,
        result,
    }
}

/// Files as `[name, base64]` pairs on the wire.
mod wire_files {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::engine::InputFile;

    pub fn serialize<S: Serializer>(
        files: &Option<Vec<InputFile>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        files
            .as_ref()
            .map(|fs| {
                fs.iter()
                    .map(|f| (f.name.as_str(), STANDARD.encode(&f.bytes)))
                    .collect::<Vec<_>>()
            })
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<InputFile>>, D::Error> {
        let pairs: Option<Vec<(String, String)>> = Deserialize::deserialize(d)?;
        pairs
            .map(|fs| {
                fs.into_iter()
                    .map(|(name, b64)| {
                        STANDARD
                            .decode(b64.as_bytes())
                            .map(|bytes| InputFile { name, bytes })
                            .map_err(D::Error::custom)
                    })
                    .collect()
            })
            .transpose()
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::app::demo;

    fn req(generation: u64, files: Option<Vec<InputFile>>, s: Option<Scenario>) -> EngineRequest {
        EngineRequest {
            generation,
            files_version: 1,
            files,
            scenario: s,
        }
    }

    #[test]
    fn the_demo_plans_with_its_scenario_and_lookups() {
        let mut cache = Cache::default();
        let r = answer(&mut cache, req(1, Some(demo::files()), None));
        let report = r.result.unwrap();
        assert!(!report.scenario_defaulted);
        assert!(report.plan.summary.create > 0);
        assert!(r.lookup.unwrap().iter().any(|c| c.kind == "public_group"));
        assert_eq!(r.reach.len(), 1);
        assert!(r.reach[0].marketing.iter().all(|x| x.is_ok()));
        assert!(!r.files.is_empty());
    }

    #[test]
    fn an_edited_scenario_replans_without_the_files_again() {
        let mut cache = Cache::default();
        let first = answer(&mut cache, req(1, Some(demo::files()), None));
        let mut s = first.result.unwrap().scenario;
        s.business_units[0].marketing_users.clear();
        let second = answer(&mut cache, req(2, None, Some(s)));
        assert_eq!(second.generation, 2);
        assert!(second.lookup.is_none(), "lookups are not sent again");
        let report = second.result.unwrap();
        assert!(report.plan.summary.create < first_create());
    }

    fn first_create() -> usize {
        let mut cache = Cache::default();
        answer(&mut cache, req(1, Some(demo::files()), None))
            .result
            .unwrap()
            .plan
            .summary
            .create
    }

    #[test]
    fn files_cross_the_wire_as_base64_and_come_back_the_same() {
        let r = req(
            3,
            Some(vec![InputFile {
                name: "u.csv".into(),
                bytes: vec![0xff, 0xfe, b'I', 0, b'd', 0],
            }]),
            None,
        );
        let text = serde_json::to_string(&r).unwrap();
        assert!(text.contains("\"//5JAGQA\""), "{text}");
        let back: EngineRequest = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
        let none: EngineRequest =
            serde_json::from_str(&serde_json::to_string(&req(4, None, None)).unwrap()).unwrap();
        assert_eq!(none.files, None);
    }

    #[test]
    fn a_bad_scenario_is_a_message_and_the_files_are_still_described() {
        let mut cache = Cache::default();
        let mut files: Vec<InputFile> = demo::files()
            .into_iter()
            .filter(|f| f.name != "syncplan.json")
            .collect();
        files.push(InputFile {
            name: "syncplan.json".into(),
            bytes: b"{ \"mode\": ".to_vec(),
        });
        let r = answer(&mut cache, req(1, Some(files), None));
        assert!(r.result.unwrap_err().contains("syncplan.json"));
        assert!(r.files.iter().any(|f| f.file == "users.csv"));
    }
}
