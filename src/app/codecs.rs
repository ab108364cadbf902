//! The browser's codecs for the engine (`engine::codec`): `TextDecoder` decodes, `String.prototype
//! .normalize` gives NFC. They implement the same standards as the native encoding_rs and
//! unicode-normalization, which therefore stay out of the wasm; `tests/web.rs` checks them on
//! the engine's table of cases in headless Chromium.
//!
//! [`install`] is called by both binaries before anything else, and by tests that use the engine
//! directly.

use js_sys::{JsString, Reflect};
use wasm_bindgen::JsValue;
use web_sys::{TextDecoder, TextDecoderOptions};

use crate::engine::codec::{self, Codecs, Decoding};

/// `TextDecoder` and `String.prototype.normalize`.
pub struct Browser;

impl Browser {
    /// A decoder for `label` that keeps a byte order mark in the text (`ignoreBOM`), and
    /// throws on malformed input when `fatal`.
    fn decoder(label: &str, fatal: bool) -> Option<TextDecoder> {
        let options = TextDecoderOptions::new();
        options.set_fatal(fatal);
        let keep_bom = Reflect::set(&options, &JsValue::from_str("ignoreBOM"), &JsValue::TRUE);
        if !matches!(keep_bom, Ok(true)) {
            return None;
        }
        TextDecoder::new_with_label_and_options(label, &options).ok()
    }
}

impl Codecs for Browser {
    fn decode(&self, label: &str, bytes: &[u8]) -> Option<Decoding> {
        // An unknown label, or one of the replacement encoding, throws a RangeError.
        let strict = Self::decoder(label, true)?;
        let encoding = codec::name(&strict.encoding())?;
        match strict.decode_with_u8_array(bytes) {
            Ok(text) => Some(Decoding {
                text,
                encoding,
                malformed: false,
            }),
            // Malformed: decoded again, with replacement characters.
            Err(_) => {
                let text = Self::decoder(label, false)?
                    .decode_with_u8_array(bytes)
                    .ok()?;
                Some(Decoding {
                    text,
                    encoding,
                    malformed: true,
                })
            }
        }
    }

    fn nfc(&self, text: &str) -> String {
        JsString::from(text).normalize("NFC").into()
    }
}

/// Hand the engine the browser's codecs (once; later calls do nothing).
pub fn install() {
    codec::install(&Browser);
}
