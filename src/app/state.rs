//! The app's state machine. No `Html`, no web-sys: plain data and a pure `reduce`, so it is
//! tested natively (`cargo test`).

use std::rc::Rc;

use yew::Reducible;

use crate::engine::InputFile;

use super::worker::{EngineRequest, EngineResponse};

/// Where the app stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Phase {
    /// Nothing loaded yet.
    #[default]
    Empty,
    /// Files are being read from disk.
    Reading,
    /// The engine is working on the files in the worker.
    Working,
    /// The engine answered.
    Ready(Rc<EngineResponse>),
    /// Something went wrong: the message is shown instead of a blank page.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// The files the user gave, in the order given, by name (a file given again replaces it).
    pub files: Vec<Rc<InputFile>>,
    pub phase: Phase,
    /// Incremented on every change of input; a worker answer for an older generation is stale.
    pub generation: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The user dropped or picked files; reading them has started.
    ReadingFiles,
    /// Files were read (from disk or from the built-in demo org).
    AddFiles(Vec<InputFile>),
    /// Reading files failed.
    ReadFailed(String),
    /// Remove one file by name.
    RemoveFile(String),
    /// Forget everything.
    Clear,
    /// The worker answered for the given generation.
    EngineDone(u64, Box<EngineResponse>),
    /// The worker could not be reached or failed.
    EngineFailed(u64, String),
}

impl State {
    /// What the worker must be asked for this state, if anything.
    pub fn request(&self) -> Option<EngineRequest> {
        if self.files.is_empty() || self.phase != Phase::Working {
            return None;
        }
        Some(EngineRequest {
            generation: self.generation,
            files: self.files.iter().map(|f| (**f).clone()).collect(),
        })
    }

    fn changed(mut self) -> Self {
        self.generation += 1;
        self.phase = if self.files.is_empty() {
            Phase::Empty
        } else {
            Phase::Working
        };
        self
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let next = match action {
            Action::ReadingFiles => {
                next.phase = Phase::Reading;
                next
            }
            Action::AddFiles(files) => {
                for f in files {
                    next.files.retain(|old| old.name != f.name);
                    next.files.push(Rc::new(f));
                }
                next.changed()
            }
            Action::ReadFailed(message) => {
                next.phase = Phase::Failed(message);
                next
            }
            Action::RemoveFile(name) => {
                next.files.retain(|f| f.name != name);
                next.changed()
            }
            Action::Clear => {
                next.files.clear();
                next.changed()
            }
            Action::EngineDone(generation, response) => {
                if generation != next.generation {
                    return self;
                }
                next.phase = Phase::Ready(Rc::new(*response));
                next
            }
            Action::EngineFailed(generation, message) => {
                if generation != next.generation {
                    return self;
                }
                next.phase = Phase::Failed(message);
                next
            }
        };
        Rc::new(next)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> InputFile {
        InputFile {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn apply(state: Rc<State>, action: Action) -> Rc<State> {
        state.reduce(action)
    }

    #[test]
    fn adding_files_starts_work_and_asks_the_worker() {
        let s = apply(Rc::default(), Action::ReadingFiles);
        assert_eq!(s.phase, Phase::Reading);
        let s = apply(s, Action::AddFiles(vec![file("User.csv", "Id\n")]));
        assert_eq!(s.phase, Phase::Working);
        let req = s.request().unwrap();
        assert_eq!(req.generation, s.generation);
        assert_eq!(req.files.len(), 1);
    }

    #[test]
    fn a_file_given_again_replaces_the_old_one() {
        let s = apply(
            Rc::default(),
            Action::AddFiles(vec![file("a.csv", "1"), file("b.csv", "2")]),
        );
        let s = apply(s, Action::AddFiles(vec![file("a.csv", "3")]));
        let names: Vec<_> = s.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["b.csv", "a.csv"]);
        assert_eq!(s.files[1].bytes, b"3");
    }

    #[test]
    fn stale_answers_are_ignored() {
        let s = apply(Rc::default(), Action::AddFiles(vec![file("a.csv", "1")]));
        let old = s.generation;
        let s = apply(s, Action::AddFiles(vec![file("b.csv", "2")]));
        let s2 = apply(s.clone(), Action::EngineFailed(old, "boom".into()));
        assert_eq!(s2.phase, Phase::Working);
        let s3 = apply(s, Action::EngineFailed(old + 1, "boom".into()));
        assert_eq!(s3.phase, Phase::Failed("boom".into()));
    }

    #[test]
    fn removing_the_last_file_empties_the_app() {
        let s = apply(Rc::default(), Action::AddFiles(vec![file("a.csv", "1")]));
        let s = apply(s, Action::RemoveFile("a.csv".into()));
        assert_eq!(s.phase, Phase::Empty);
        assert!(s.request().is_none());
    }
}
