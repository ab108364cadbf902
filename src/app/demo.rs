//! The built-in demo org (`www/demo/`), compiled into the app by `build.rs`.

use crate::engine::InputFile;

include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// Every file of the demo org, its scenario (`syncplan.json`) included.
pub fn files() -> Vec<InputFile> {
    DEMO_FILES
        .iter()
        .map(|(name, bytes)| InputFile {
            name: (*name).to_string(),
            bytes: bytes.to_vec(),
        })
        .collect()
}
