//! The Web Worker binary: Trunk builds it with `data-type="worker"`.
use gloo::worker::Registrable;
use syncplan::app::worker::{EngineWorker, Json};

fn main() {
    EngineWorker::registrar().encoding::<Json>().register();
}
