//! The scenario parser on any text: no panic, and a scenario that parses writes JSON that
//! parses back to the same scenario.
#![no_main]

use libfuzzer_sys::fuzz_target;
use syncplan::engine::scenario;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok((s, _)) = scenario::parse("syncplan.json", &text) {
        let json = s.to_json();
        let (again, _) = scenario::parse("syncplan.json", &json)
            .unwrap_or_else(|e| panic!("written scenario does not parse: {e:?}\n{json}"));
        assert_eq!(s, again, "round trip");
    }
});
