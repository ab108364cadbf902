//! Invariants as property tests, on the golden orgs, the demo org and generated graphs (the
//! ones tests/plan_props.rs and tests/ingest.rs already hold are not repeated):
//! - the plan does not depend on the order of rows or of files, on every org we ship;
//! - every row read is used or reported, even in damaged exports;
//! - every decision has a reason and a trace;
//! - membership resolution terminates on any cycle and reaches what the cycle reaches;
//! - 15- and 18-character ids give the same plan.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use syncplan::engine::codes::Family;
use syncplan::engine::decide::Step;
use syncplan::engine::ingest::{ingest, IngestOptions, Kind};
use syncplan::engine::membership::Set;
use syncplan::engine::{InputFile, Report};

/// A tiny deterministic generator driven by proptest's seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}

/// Every org we ship: the golden cases and the demo.
fn org_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("tests/golden"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("syncplan.json").is_file())
        .collect();
    dirs.sort();
    dirs.push(root.join("www/demo"));
    dirs
}

struct Case {
    files: Vec<InputFile>,
    scenario: String,
}

fn read_case(dir: &Path) -> Case {
    let mut files = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".csv") || name.ends_with(".txt") {
            files.push(InputFile {
                name,
                bytes: std::fs::read(&p).unwrap(),
            });
        }
    }
    Case {
        files,
        scenario: std::fs::read_to_string(dir.join("syncplan.json")).unwrap(),
    }
}

fn run(files: &[InputFile], scenario: &str) -> Result<Report, syncplan::engine::Error> {
    common::read_and_plan(
        files,
        Some(("syncplan.json", scenario)),
        &IngestOptions::default(),
    )
}

/// The header, then the records (a record may span lines inside quotes), as text.
fn split_records(text: &str) -> (String, Vec<String>) {
    let mut records = Vec::new();
    let mut cur = String::new();
    let mut quotes = 0usize;
    for line in text.split_inclusive('\n') {
        cur.push_str(line);
        quotes += line.matches('"').count();
        if quotes % 2 == 0 {
            records.push(std::mem::take(&mut cur));
            quotes = 0;
        }
    }
    if !cur.is_empty() {
        records.push(cur);
    }
    let header = if records.is_empty() {
        String::new()
    } else {
        records.remove(0)
    };
    (header, records)
}

fn shuffle<T>(v: &mut [T], r: &mut Rng) {
    for i in (1..v.len()).rev() {
        let j = r.below(i as u64 + 1) as usize;
        v.swap(i, j);
    }
}

/// The plan without what legitimately names rows: sources live in file reports, which are
/// compared by `codes` below.
fn plan_of(r: &Report) -> serde_json::Value {
    let mut plan = r.plan.clone();
    plan.files.clear();
    let mut v = serde_json::to_value(&plan).unwrap();
    // Diagnostics name the line they come from, which moves with the row; they and the
    // findings are compared as sets.
    if let Some(ds) = v.get_mut("diagnostics").and_then(|f| f.as_array_mut()) {
        for d in ds.iter_mut() {
            if let Some(o) = d.as_object_mut() {
                o.remove("line");
            }
        }
        ds.sort_by_key(|x| x.to_string());
    }
    if let Some(f) = v.get_mut("findings").and_then(|f| f.as_array_mut()) {
        f.sort_by_key(|x| x.to_string());
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Rows within each file and the files themselves in any order: the same plan, on every
    /// org we ship (tests/plan_props.rs shuffles rows of four golden cases only).
    #[test]
    fn row_and_file_order_do_not_change_the_plan(seed in any::<u64>()) {
        let mut r = Rng(seed | 1);
        for dir in org_dirs() {
            let case = read_case(&dir);
            // Sources (line numbers) move with the rows, so compare the plan without them.
            let base = run(&case.files, &case.scenario);
            let mut files: Vec<InputFile> = case
                .files
                .iter()
                .map(|f| {
                    let text = String::from_utf8_lossy(&f.bytes).into_owned();
                    let (header, mut records) = split_records(&text);
                    if records.last().is_some_and(|l| !l.ends_with('\n')) {
                        let last = records.pop().unwrap();
                        records.push(format!("{last}\n"));
                    }
                    // Keep report footers (after a blank line) where they are.
                    let body_end = records.iter().position(|l| l.trim().is_empty()).unwrap_or(records.len());
                    shuffle(&mut records[..body_end], &mut r);
                    InputFile { name: f.name.clone(), bytes: (header + &records.concat()).into_bytes() }
                })
                .collect();
            shuffle(&mut files, &mut r);
            let again = run(&files, &case.scenario);
            match (&base, &again) {
                (Ok(a), Ok(b)) => {
                    let (a, b) = (plan_of(a), plan_of(b));
                    prop_assert!(a == b, "{}: {}", dir.display(), first_difference(&a, &b, String::new()));
                }
                (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                _ => prop_assert!(false, "{}: one order plans, the other fails", dir.display()),
            }
        }
    }

    /// Damaged exports (a line dropped, doubled, cut short, a quote or delimiter inserted):
    /// every row read is used or rejected, every rejected row has an error naming its file
    /// and line, and the rows used are exactly what the org holds.
    #[test]
    fn every_row_read_is_used_or_reported(seed in any::<u64>(), which in 0usize..64) {
        let dirs = org_dirs();
        let dir = &dirs[which % dirs.len()];
        let case = read_case(dir);
        let mut r = Rng(seed | 1);
        let files: Vec<InputFile> = case
            .files
            .iter()
            .map(|f| {
                let mut lines: Vec<String> = String::from_utf8_lossy(&f.bytes).lines().map(str::to_string).collect();
                for _ in 0..r.below(4) {
                    if lines.len() < 2 {
                        break;
                    }
                    let i = 1 + r.below(lines.len() as u64 - 1) as usize;
                    match r.below(6) {
                        0 => { lines.remove(i); }
                        1 => { let l = lines[i].clone(); lines.insert(i, l); }
                        2 => { let n = lines[i].len() / 2; let cut: String = lines[i].chars().take(n).collect(); lines[i] = cut; }
                        3 => { let n = r.below(lines[i].len() as u64 + 1) as usize; if lines[i].is_char_boundary(n) { lines[i].insert(n, '"'); } }
                        4 => { let n = r.below(lines[i].len() as u64 + 1) as usize; if lines[i].is_char_boundary(n) { lines[i].insert(n, ','); } }
                        _ => lines[i].clear(),
                    }
                }
                InputFile { name: f.name.clone(), bytes: (lines.join("\n") + "\n").into_bytes() }
            })
            .collect();
        let ing = ingest(&files, &IngestOptions::default());
        let mut used_by_kind: BTreeMap<Kind, u64> = BTreeMap::new();
        for f in &ing.files {
            prop_assert_eq!(f.rows_read, f.rows_used + f.rows_rejected, "{}", &f.file);
            *used_by_kind.entry(f.kind).or_default() += f.rows_used;
            let header_level = f.diagnostics.iter().any(|d| {
                matches!(d.code.as_str(), "E-NOT-RECOGNISED" | "E-MISSING-COLUMN" | "E-BINARY" | "E-EMPTY" | "E-CSV")
            });
            if header_level {
                prop_assert_eq!(f.rows_used, 0, "{}", &f.file);
                continue;
            }
            let error_lines: BTreeSet<u64> = f
                .diagnostics
                .iter()
                .filter(|d| d.severity == syncplan::engine::Severity::Error)
                .map(|d| {
                    assert_eq!(d.file.as_deref(), Some(f.file.as_str()), "{d:?}");
                    d.line.unwrap_or_else(|| panic!("a row error without a line: {d:?}"))
                })
                .collect();
            prop_assert_eq!(error_lines.len() as u64, f.rows_rejected, "{}: {:?}", &f.file, &f.diagnostics);
        }
        let org = &ing.org;
        prop_assert_eq!(used_by_kind.get(&Kind::User).copied().unwrap_or(0), org.users.len() as u64);
        prop_assert_eq!(used_by_kind.get(&Kind::Profile).copied().unwrap_or(0), org.profiles.len() as u64);
        prop_assert_eq!(used_by_kind.get(&Kind::UserRole).copied().unwrap_or(0), org.roles.len() as u64);
        prop_assert_eq!(used_by_kind.get(&Kind::Group).copied().unwrap_or(0), org.groups.len() as u64);
        prop_assert_eq!(used_by_kind.get(&Kind::GroupMember).copied().unwrap_or(0), org.group_members.len() as u64);
        let ae: usize = org.ae_exports.values().map(|e| e.users.len()).sum();
        prop_assert_eq!(used_by_kind.get(&Kind::AeUsers).copied().unwrap_or(0), ae as u64);

        // Every decision of whatever still plans has a reason and a trace.
        if let Ok(report) = run(&files, &case.scenario) {
            check_decisions(&report)?;
        }
    }

    /// Random group nesting and role trees, full of cycles: resolution terminates, reaches
    /// exactly the users a breadth-first walk reaches, and reports a cycle when there is one.
    #[test]
    fn resolution_terminates_on_any_cycle(seed in any::<u64>()) {
        let mut r = Rng(seed | 1);
        let n_groups = 1 + r.below(7);
        let n_roles = 1 + r.below(6);
        let n_users = 1 + r.below(8);
        let gid = |i: u64| sfid(&format!("00G{i:012}"));
        let rid = |i: u64| sfid(&format!("00E{i:012}"));
        let uid = |i: u64| sfid(&format!("005{i:012}"));
        let mid = |i: u64| sfid(&format!("011{i:012}"));
        let mut users = String::from("Id,Username,Email,LastName,IsActive,UserType,ProfileId,Profile.Name,UserRoleId\n");
        let mut user_role = BTreeMap::new();
        for u in 1..=n_users {
            let role = r.below(n_roles + 1);
            let role_id = if role == 0 { String::new() } else { rid(role) };
            user_role.insert(u, role);
            users += &format!("{},u{u}@x.example,u{u}@x.example,U{u},true,Standard,{},Marketing User,{role_id}\n", uid(u), sfid("00e000000000001"));
        }
        let mut roles = String::from("Id,Name,DeveloperName,ParentRoleId,PortalType\n");
        let mut parent = BTreeMap::new();
        for i in 1..=n_roles {
            let p = r.below(n_roles + 1);
            parent.insert(i, p);
            let pid = if p == 0 { String::new() } else { rid(p) };
            roles += &format!("{},Role {i},Role_{i},{pid},None\n", rid(i));
        }
        let mut groups = String::from("Id,Name,DeveloperName,Type,RelatedId,DoesIncludeBosses\n");
        for g in 1..=n_groups {
            groups += &format!("{},Group {g},Group_{g},Regular,,true\n", gid(g));
        }
        let mut members = String::from("Id,GroupId,UserOrGroupId\n");
        let mut nested: BTreeMap<u64, BTreeSet<u64>> = BTreeMap::new();
        let mut direct: BTreeMap<u64, BTreeSet<u64>> = BTreeMap::new();
        let mut m = 0;
        for g in 1..=n_groups {
            for _ in 0..r.below(4) {
                m += 1;
                if r.chance(50) {
                    let h = 1 + r.below(n_groups);
                    nested.entry(g).or_default().insert(h);
                    members += &format!("{},{},{}\n", mid(m), gid(g), gid(h));
                } else {
                    let u = 1 + r.below(n_users);
                    direct.entry(g).or_default().insert(u);
                    members += &format!("{},{},{}\n", mid(m), gid(g), uid(u));
                }
            }
        }
        let start_group = 1 + r.below(n_groups);
        let start_role = 1 + r.below(n_roles);
        let scenario = format!(r#"{{"format_version": "1", "mode": "latest", "business_units": [{{"name": "BU", "ae_users": "ae-users.csv",
            "marketing_users": [{{"public_group": "Group_{start_group}"}}], "sales_users": [{{"role_and_subordinates": "Role_{start_role}"}}]}}]}}"#);
        let files = vec![
            InputFile { name: "users.csv".into(), bytes: users.into_bytes() },
            InputFile { name: "roles.csv".into(), bytes: roles.into_bytes() },
            InputFile { name: "groups.csv".into(), bytes: groups.into_bytes() },
            InputFile { name: "group-members.csv".into(), bytes: members.into_bytes() },
            InputFile { name: "ae-users.csv".into(), bytes: b"id,email,salesforceId,crmUsername,isDeleted\n".to_vec() },
        ];
        let report = run(&files, &scenario).unwrap();

        // The oracle: a breadth-first walk over the nesting and the role tree.
        let mut seen = BTreeSet::from([start_group]);
        let mut todo = vec![start_group];
        let mut marketing = BTreeSet::new();
        while let Some(g) = todo.pop() {
            marketing.extend(direct.get(&g).into_iter().flatten().copied());
            for h in nested.get(&g).into_iter().flatten() {
                if seen.insert(*h) {
                    todo.push(*h);
                }
            }
        }
        let mut sub_roles = BTreeSet::from([start_role]);
        loop {
            let more: Vec<u64> = parent.iter().filter(|(c, p)| sub_roles.contains(p) && !sub_roles.contains(c)).map(|(c, _)| *c).collect();
            if more.is_empty() {
                break;
            }
            sub_roles.extend(more);
        }
        let sales: BTreeSet<u64> = user_role.iter().filter(|(_, role)| sub_roles.contains(role)).map(|(u, _)| *u).collect();
        let mut got_marketing = BTreeSet::new();
        let mut got_sales = BTreeSet::new();
        for d in &report.plan.business_units[0].decisions {
            let Some(id) = &d.salesforce_user_id else { continue };
            let u: u64 = id.as_str()[3..15].parse().unwrap();
            for mship in &d.memberships {
                if mship.set == Set::Marketing {
                    got_marketing.insert(u);
                } else {
                    got_sales.insert(u);
                }
            }
        }
        prop_assert_eq!(got_marketing, marketing);
        prop_assert_eq!(got_sales, sales);

        let group_cycle = has_cycle(&nested);
        let role_edges: BTreeMap<u64, BTreeSet<u64>> = parent.iter().filter(|(_, p)| **p != 0).map(|(c, p)| (*c, BTreeSet::from([*p]))).collect();
        let role_cycle = has_cycle(&role_edges);
        let all = &report.plan.diagnostics;
        let cycles = all.iter().filter(|d| d.code == "W-CYCLE").count();
        prop_assert_eq!(cycles > 0, group_cycle || role_cycle, "{:?}", all);
        check_decisions(&report)?;
    }

    /// The same exports with ids written as 15 or as 18 characters, mixed at random: the same
    /// plan.
    #[test]
    fn ids_of_15_and_18_characters_give_the_same_plan(seed in any::<u64>()) {
        let mut r = Rng(seed | 1);
        for dir in org_dirs() {
            let case = read_case(&dir);
            let base = run(&case.files, &case.scenario);
            let short: Vec<InputFile> = case
                .files
                .iter()
                .map(|f| InputFile { name: f.name.clone(), bytes: shorten_ids(&String::from_utf8_lossy(&f.bytes), &mut r).into_bytes() })
                .collect();
            let scenario = shorten_ids(&case.scenario, &mut r);
            let again = run(&short, &scenario);
            match (&base, &again) {
                (Ok(a), Ok(b)) => {
                    prop_assert_eq!(&a.plan.business_units, &b.plan.business_units, "{}", dir.display());
                    prop_assert_eq!(&a.plan.summary, &b.plan.summary);
                    prop_assert_eq!(&a.plan.findings, &b.plan.findings);
                }
                (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                _ => prop_assert!(false, "{}: 15-character ids change whether it plans", dir.display()),
            }
        }
    }
}

/// Where two JSON values first differ, for a readable failure.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: String) -> String {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) if v != w => return first_difference(v, w, format!("{at}.{k}")),
                    None => return format!("{at}.{k} missing on the right"),
                    _ => {}
                }
            }
            format!("{at}: keys differ")
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if v != w {
                    return first_difference(v, w, format!("{at}[{i}]"));
                }
            }
            at
        }
        _ => format!("{at}: {a} != {b}"),
    }
}

fn check_decisions(report: &Report) -> Result<(), TestCaseError> {
    for bu in &report.plan.business_units {
        for d in &bu.decisions {
            let code = &d.reason.code;
            prop_assert!(
                matches!(code.family(), Family::Latest | Family::Legacy),
                "reason code {:?} is not a rule of what happens to a record",
                code
            );
            prop_assert!(
                !d.reason.text.trim().is_empty(),
                "{} has no reason text",
                code
            );
            prop_assert!(
                !d.trace.is_empty(),
                "{:?} {} has no trace",
                d.username,
                code
            );
            for step in &d.trace {
                prop_assert!(!step.text.as_str().trim().is_empty(), "{:?}", step);
            }
            // The last `action` step says the decision's reason, as `code: text`.
            let action = d.trace.iter().rev().find(|s| s.step == Step::Action);
            prop_assert_eq!(
                action.map(|s| s.text.to_string()),
                Some(format!("{}: {}", d.reason.code, d.reason.text))
            );
            if let Some(rr) = &d.role_reason {
                prop_assert!(
                    matches!(rr.code.family(), Family::Role | Family::Legacy)
                        && !rr.text.trim().is_empty(),
                    "{:?}",
                    rr
                );
            }
        }
    }
    Ok(())
}

fn has_cycle(edges: &BTreeMap<u64, BTreeSet<u64>>) -> bool {
    fn visit(n: u64, e: &BTreeMap<u64, BTreeSet<u64>>, state: &mut BTreeMap<u64, u8>) -> bool {
        match state.get(&n) {
            Some(1) => return true,
            Some(2) => return false,
            _ => {}
        }
        state.insert(n, 1);
        for m in e.get(&n).into_iter().flatten() {
            if visit(*m, e, state) {
                return true;
            }
        }
        state.insert(n, 2);
        false
    }
    let mut state = BTreeMap::new();
    edges.keys().any(|n| visit(*n, edges, &mut state))
}

/// The 18-character id of a 15-character one (the engine's own normalisation).
fn sfid(id15: &str) -> String {
    syncplan::engine::id::SfId::parse(id15)
        .unwrap()
        .id
        .to_string()
}

/// Write some 18-character ids (those whose suffix checks out) as their first 15 characters.
fn shorten_ids(text: &str, r: &mut Rng) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let at_start = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        let end = i + 18;
        if at_start
            && end <= chars.len()
            && chars[i..end].iter().all(|c| c.is_ascii_alphanumeric())
            && chars.get(end).is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            let id: String = chars[i..end].iter().collect();
            if sfid(&id[..15]) == id && r.chance(70) {
                out.push_str(&id[..15]);
            } else {
                out.push_str(&id);
            }
            i = end;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}
