//! Scenario links: the setup (never the org's data) in the URL fragment, compressed, so that
//! it can be shared as a link. The fragment (`#…`) is never sent to a server.
//!
//! Format: `scenario=` followed by the scenario JSON, deflated (raw DEFLATE) and encoded as
//! base64url without padding.

use std::io::{Read, Write};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;

use crate::scenario::{self, Scenario};
use crate::{Diagnostic, Error};

/// The key of the fragment parameter.
pub const KEY: &str = "scenario";

/// A scenario larger than this once inflated is refused (a link is no place for more).
pub const MAX_INFLATED: u64 = 1 << 20;

/// The fragment (without `#`) that carries the scenario.
pub fn encode(scenario: &Scenario) -> String {
    let json = scenario.to_json();
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
    let compressed = enc
        .write_all(json.as_bytes())
        .and_then(|_| enc.finish())
        .unwrap_or_default();
    format!("{KEY}={}", URL_SAFE_NO_PAD.encode(compressed))
}

/// Read a scenario back from a fragment (with or without the leading `#`). `Ok(None)` when
/// the fragment carries no scenario.
pub fn decode(fragment: &str) -> Result<Option<(Scenario, Vec<Diagnostic>)>, Error> {
    let fail = |message: String| Error::Scenario {
        file: "link".into(),
        line: 0,
        column: 0,
        message,
    };
    let Some(data) = fragment
        .trim_start_matches('#')
        .split('&')
        .find_map(|p| p.strip_prefix(KEY).and_then(|r| r.strip_prefix('=')))
    else {
        return Ok(None);
    };
    let compressed = URL_SAFE_NO_PAD.decode(data.trim()).map_err(|e| {
        fail(format!(
            "the link's scenario is damaged ({e}): copy the whole link"
        ))
    })?;
    let mut json = String::new();
    DeflateDecoder::new(compressed.as_slice())
        .take(MAX_INFLATED + 1)
        .read_to_string(&mut json)
        .map_err(|e| {
            fail(format!(
                "the link's scenario is damaged ({e}): copy the whole link"
            ))
        })?;
    if json.len() as u64 > MAX_INFLATED {
        return Err(fail("the link's scenario is larger than 1 MiB".into()));
    }
    scenario::parse("link", &json).map(Some)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_survives_the_round_trip() {
        let text = r#"{"format_version":"1","mode":"latest","business_units":[{"name":"Acme Marketing",
            "creator":"admin@acme.example","marketing_users":[{"public_group":"EMEA_Marketing"}],
            "sales_users":[{"role":"Sales Rep"}],"profile_roles":{"System Administrator":"Administrator"}}]}"#;
        let (s, _) = scenario::parse("syncplan.json", text).unwrap();
        let fragment = encode(&s);
        assert!(fragment.starts_with("scenario="));
        assert!(fragment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"=-_".contains(&b)));
        let (back, _) = decode(&format!("#{fragment}")).unwrap().unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn no_scenario_and_damaged_links() {
        assert!(decode("#embed").unwrap().is_none());
        assert!(decode("").unwrap().is_none());
        let e = decode("#scenario=%%%").unwrap_err();
        assert!(e.to_string().contains("damaged"), "{e}");
        let e = decode("#scenario=AAAA").unwrap_err();
        assert!(e.to_string().contains("link"), "{e}");
    }
}
