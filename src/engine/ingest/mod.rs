//! Reading the exports (spec §7): encoding, delimiter, kind detection, typed rows, ids,
//! referential checks, and an account of every row read.

use serde::{Deserialize, Serialize};

/// One file as the user gave it: its name and its raw bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}
