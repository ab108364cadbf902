//! The Web Worker binary: Trunk builds it with `data-type="worker"`.
use gloo::worker::Registrable;
use syncplan::app::worker::{EngineWorker, Json};

fn main() {
    syncplan::app::codecs::install();
    EngineWorker::registrar().encoding::<Json>().register();
}
