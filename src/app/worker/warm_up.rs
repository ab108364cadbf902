//! The worker's warm-up: the built-in demo org read and planned while the user picks files.

use super::*;

/// How long the worker's warm-up keeps its thread at a time (ms): a request that comes
/// meanwhile waits at most about this long (and one round) to be started.
pub(super) const WARM_UP_SLICE_MS: f64 = 20.0;

/// The next rounds of the warm-up, in a task of their own (after what the page sent meanwhile).
pub(super) fn schedule_warm_up(scope: &WorkerScope<EngineWorker>) {
    scope.send_future(async {
        gloo::timers::future::TimeoutFuture::new(0).await;
        Message::WarmUp
    });
}

/// How many times the worker's [`WarmUp`] plans the demo org when it starts.
pub const WARM_UP_ROUNDS: u64 = 40;

/// The worker's warm-up: it reads and plans the built-in demo org, round after round, each
/// time as new files, in a cache of its own (the worker's is untouched), while the user picks
/// their files. The page's first request stops it.
///
/// Why: the browser runs a WebAssembly function on quickly compiled baseline code until it has
/// run enough to be worth optimizing, and a call already running keeps the code it started on.
/// Without a warm-up, the first org a worker reads is read and planned on baseline code for
/// its first files: a 100k-user org took some 15–20% longer than the same files planned a
/// second time in the same worker (`tests/e2e/twice.mjs`).
#[derive(Default)]
pub struct WarmUp {
    cache: Cache,
    rounds: u64,
    users: usize,
}

impl WarmUp {
    /// Read and plan the demo org once more.
    pub fn round(&mut self) {
        self.rounds += 1;
        let request = EngineRequest {
            generation: self.rounds,
            files_version: self.rounds,
            files: Some(
                crate::app::demo::files()
                    .into_iter()
                    .map(|f| Rc::new(f.into()))
                    .collect(),
            ),
            scenario: None,
            ask: Ask::Plan,
            view: View::default(),
        };
        answer_in_steps(&mut self.cache, request, &mut |_| {});
        self.users += self.cache.decisions.iter().map(Vec::len).sum::<usize>();
    }

    /// How many rounds were done.
    pub fn rounds(&self) -> u64 {
        self.rounds
    }

    /// How many users were planned in all.
    pub fn users(&self) -> usize {
        self.users
    }
}
