//! Helpers shared by the integration tests (`mod common;` in each that uses them).

/// An `ingest::Join` that runs the second piece of work first: with `ingest::in_turn` (the
/// first, then the second), a test runs work meant for two cores in either order on one.
pub fn second_then_first(a: &mut (dyn FnMut() + Send), b: &mut (dyn FnMut() + Send)) {
    b();
    a();
}
