//! What the Download buttons produce, and the scenario link. Pure (no `Html`, no web-sys):
//! the bytes come from the engine's exporters, the same code the command line uses.

use crate::engine::export::made::Made;
use crate::engine::export::{self, link, CsvOptions};
use crate::engine::lookup::Candidate;
use crate::engine::plan::Report;
use crate::engine::render;
use crate::engine::scenario::{Assignment, Scenario};

/// One downloadable file.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ExportKind {
    PlanCsv,
    PlanJson,
    Markdown,
    MappingCsv,
    AuditPack,
}

impl ExportKind {
    pub const ALL: [ExportKind; 5] = [
        ExportKind::AuditPack,
        ExportKind::PlanCsv,
        ExportKind::MappingCsv,
        ExportKind::PlanJson,
        ExportKind::Markdown,
    ];

    /// The button's label.
    pub fn label(self) -> &'static str {
        match self {
            ExportKind::PlanCsv => "Plan (CSV)",
            ExportKind::PlanJson => "Plan (JSON)",
            ExportKind::Markdown => "Markdown",
            ExportKind::MappingCsv => "Mapping table (CSV)",
            ExportKind::AuditPack => "Audit pack (zip)",
        }
    }

    /// A stable id, for the button's `data-export`.
    pub fn id(self) -> &'static str {
        match self {
            ExportKind::PlanCsv => "plan-csv",
            ExportKind::PlanJson => "plan-json",
            ExportKind::Markdown => "markdown",
            ExportKind::MappingCsv => "mapping-csv",
            ExportKind::AuditPack => "audit-pack",
        }
    }

    pub fn file_name(self) -> &'static str {
        match self {
            ExportKind::PlanCsv => "syncplan-plan.csv",
            ExportKind::PlanJson => "syncplan-plan.json",
            ExportKind::Markdown => "syncplan-plan.md",
            ExportKind::MappingCsv => "syncplan-mapping.csv",
            ExportKind::AuditPack => "syncplan-audit-pack.zip",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            ExportKind::PlanCsv | ExportKind::MappingCsv => "text/csv;charset=utf-8",
            ExportKind::PlanJson => "application/json",
            ExportKind::Markdown => "text/markdown;charset=utf-8",
            ExportKind::AuditPack => "application/zip",
        }
    }

    /// The file's bytes.
    pub fn build(self, report: &Report) -> Result<Vec<u8>, String> {
        self.build_with(report, None, None)
    }

    /// [`ExportKind::build`]; the audit pack also holds `comparison.csv` when a comparison
    /// of two set-ups was made, and is dated `made` (its README, its report and its entries).
    pub fn build_with(
        self,
        report: &Report,
        comparison: Option<&str>,
        made: Option<&Made>,
    ) -> Result<Vec<u8>, String> {
        let csv = CsvOptions::default();
        Ok(match self {
            ExportKind::PlanCsv => render::csv_with(&report.plan, csv).into_bytes(),
            ExportKind::PlanJson => render::json(&report.plan).into_bytes(),
            ExportKind::Markdown => render::markdown(&report.plan).into_bytes(),
            ExportKind::MappingCsv => export::mapping_csv(report, csv).into_bytes(),
            ExportKind::AuditPack => match comparison {
                Some(c) => export::pack::zip_with(report, csv, made, &[("comparison.csv", c)])?,
                None => export::pack::zip(report, csv, made)?,
            },
        })
    }
}

/// The link that restores `scenario`: the page's address without its fragment, then
/// `#scenario=…`. Only the set-up travels, never the org's data: users assigned one by one, and
/// the business unit's creator, are named by their Salesforce Id (taken from what can be
/// assigned, `lookup`: every user of the org), not by username, email or name.
pub fn scenario_link(page: &str, scenario: &Scenario, lookup: &[Candidate]) -> String {
    let base = page.split('#').next().unwrap_or(page);
    format!("{base}#{}", link::encode(&with_user_ids(scenario, lookup)))
}

/// The scenario with every user reference (a username or a name of a user in `lookup`)
/// replaced by that user's 18-character Id; a reference two users share stays as written.
pub fn with_user_ids(scenario: &Scenario, lookup: &[Candidate]) -> Scenario {
    use std::collections::BTreeMap;
    let mut ids: BTreeMap<String, Option<&str>> = BTreeMap::new();
    for c in lookup {
        let Some(id) = c.user_id.as_deref() else {
            continue;
        };
        // A user's reference is its username, its label its name (or username).
        for key in [&c.reference, &c.label] {
            let slot = ids.entry(key.trim().to_lowercase()).or_insert(Some(id));
            if *slot != Some(id) {
                *slot = None; // ambiguous: keep the reference as written
            }
        }
    }
    let id_of = |r: &str| {
        ids.get(&r.trim().to_lowercase())
            .copied()
            .flatten()
            .map(str::to_string)
    };
    let mut out = scenario.clone();
    for bu in &mut out.business_units {
        if let Some(c) = &bu.creator {
            if let Some(id) = id_of(c) {
                bu.creator = Some(id);
            }
        }
        for a in bu
            .marketing_users
            .iter_mut()
            .chain(bu.sales_users.iter_mut())
        {
            if let Assignment::User(r) = a {
                if let Some(id) = id_of(r) {
                    *r = id;
                }
            }
        }
    }
    out
}

/// The scenario a fragment carries, as a `syncplan.json` text, or the message to show.
pub fn scenario_from_fragment(fragment: &str) -> Option<Result<String, String>> {
    match link::decode(fragment) {
        Ok(Some((scenario, _))) => Some(Ok(scenario.to_json())),
        Ok(None) => None,
        Err(e) => Some(Err(e.to_string())),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::engine::ingest::IngestOptions;
    use crate::engine::InputFile;

    fn demo_report() -> Report {
        let files: Vec<InputFile> = crate::app::demo::files();
        let (scen, exports): (Vec<_>, Vec<_>) =
            files.into_iter().partition(|f| f.name.ends_with(".json"));
        let text = String::from_utf8(scen[0].bytes.clone()).unwrap();
        let ingested = crate::engine::ingest::ingest(&exports, &IngestOptions::default());
        let setup = crate::engine::Setup::parse("syncplan.json", &text).unwrap();
        let opts = crate::engine::PlanOptions::default();
        crate::engine::plan((&ingested).into(), Some(setup), opts)
            .unwrap()
            .report
    }

    #[test]
    fn every_export_builds_from_the_demo() {
        let r = demo_report();
        for k in ExportKind::ALL {
            let bytes = k.build(&r).unwrap();
            assert!(!bytes.is_empty(), "{k:?}");
        }
        let csv = String::from_utf8(ExportKind::PlanCsv.build(&r).unwrap()).unwrap();
        assert!(csv.starts_with("\u{feff}business_unit,action,"));
        let zip = ExportKind::AuditPack.build(&r).unwrap();
        assert_eq!(&zip[..2], b"PK");
    }

    #[test]
    fn a_scenario_link_restores_the_set_up_and_drops_the_old_fragment() {
        let r = demo_report();
        let lookup = crate::engine::lookup::candidates(
            &crate::engine::ingest::ingest(
                &crate::app::demo::files()
                    .into_iter()
                    .filter(|f| !f.name.ends_with(".json"))
                    .collect::<Vec<_>>(),
                &IngestOptions::default(),
            )
            .org,
        );
        let url = scenario_link(
            "http://127.0.0.1:8080/?demo#scenario=old",
            &r.scenario,
            &lookup,
        );
        assert!(url.starts_with("http://127.0.0.1:8080/?demo#scenario="));
        assert!(!url.contains("old"));
        let fragment = url.split('#').nth(1).unwrap();
        let json = scenario_from_fragment(fragment).unwrap().unwrap();
        // The demo assigns `admin@acme.example` by username and names it as the creator: the
        // link names that user by Id, and nothing else changes.
        assert!(!json.contains("admin@acme.example"), "{json}");
        assert!(json.contains("0055g00000wh001AAA"), "{json}");
        assert_eq!(json, with_user_ids(&r.scenario, &lookup).to_json());
        let plain = scenario_link("http://x/", &r.scenario, &[]);
        let back = scenario_from_fragment(plain.split('#').nth(1).unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(back, r.scenario.to_json());
        assert!(scenario_from_fragment("").is_none());
        assert!(scenario_from_fragment("scenario=!!").unwrap().is_err());
    }
}
