#![allow(clippy::unwrap_used)]
use super::*;
use crate::app::demo;

/// The parts as the other side receives them.
fn bytes(parts: Vec<Part>) -> Vec<Vec<u8>> {
    parts.iter().map(|p| p.bytes().to_vec()).collect()
}

fn req(generation: u64, files: Option<Vec<InputFile>>, s: Option<Scenario>) -> EngineRequest {
    EngineRequest {
        generation,
        files_version: 1,
        files: files.map(|fs| fs.into_iter().map(|f| Rc::new(f.into())).collect()),
        scenario: s,
        ask: Ask::Plan,
        view: View {
            end: 5,
            ..View::default()
        },
    }
}

#[test]
fn the_warm_up_plans_the_demo_every_round_and_leaves_the_next_answer_as_it_was() {
    let demo_users = answer(&mut Cache::default(), req(1, Some(demo::files()), None))
        .result
        .unwrap()
        .plan
        .business_units
        .iter()
        .map(|b| b.decisions.len())
        .sum::<usize>();
    assert!(demo_users > 10);
    let mut w = WarmUp::default();
    assert_eq!((w.rounds(), w.users()), (0, 0));
    for _ in 0..3 {
        w.round();
    }
    assert_eq!((w.rounds(), w.users()), (3, 3 * demo_users));
    // Nothing is shared with another cache.
    let before = answer(&mut Cache::default(), req(1, Some(demo::files()), None));
    WarmUp::default().round();
    let after = answer(&mut Cache::default(), req(1, Some(demo::files()), None));
    assert_eq!(before, after);
}

#[test]
fn the_demo_plans_with_its_scenario_and_lookups() {
    let mut cache = Cache::default();
    let r = answer(&mut cache, req(1, Some(demo::files()), None));
    let report = r.result.unwrap();
    assert!(!report.scenario_defaulted);
    assert!(report.plan.summary.create > 0);
    assert!(r.lookup.unwrap().iter().any(|c| c.kind == "public_group"));
    assert_eq!(r.reach.len(), 1);
    assert!(r.reach[0].marketing.iter().all(|x| x.is_ok()));
    assert!(!r.files.is_empty());
}

#[test]
fn an_edited_scenario_replans_without_the_files_again() {
    let mut cache = Cache::default();
    let first = answer(&mut cache, req(1, Some(demo::files()), None));
    let mut s = first.result.unwrap().scenario;
    s.business_units[0].marketing_users.clear();
    let second = answer(&mut cache, req(2, None, Some(s)));
    assert_eq!(second.generation, 2);
    assert!(second.lookup.is_none(), "lookups are not sent again");
    let report = second.result.unwrap();
    assert!(report.plan.summary.create < first_create());
}

fn first_create() -> usize {
    let mut cache = Cache::default();
    answer(&mut cache, req(1, Some(demo::files()), None))
        .result
        .unwrap()
        .plan
        .summary
        .create
}

#[test]
fn files_cross_the_wire_as_bytes_beside_the_message_and_come_back_the_same() {
    let r = req(
        3,
        Some(vec![
            InputFile {
                name: "u.csv".into(),
                bytes: vec![0xff, 0xfe, b'I', 0, b'd', 0],
            },
            InputFile {
                name: "g.csv".into(),
                bytes: b"Id\n".to_vec(),
            },
        ]),
        None,
    );
    let parts = to_parts(&r).unwrap();
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[1].bytes(), [0xff, 0xfe, b'I', 0, b'd', 0]);
    assert_eq!(parts[2].bytes(), b"Id\n");
    // The body names the files and their parts, but does not hold their bytes.
    let body = parts[0].bytes().to_vec();
    assert!(body.windows(5).any(|w| w == b"u.csv"));
    assert!(!body.windows(3).any(|w| w == b"Id\n"));
    let back: EngineRequest = from_parts(bytes(parts)).unwrap();
    assert_eq!(back, r);
    let none: EngineRequest = from_parts(bytes(to_parts(&req(4, None, None)).unwrap())).unwrap();
    assert_eq!(none.files, None);
    // A body whose files' parts are missing is an error, not a panic.
    assert!(from_parts::<EngineRequest>(vec![body]).is_err());
    // So is a message that could not be encoded: it says why.
    assert_eq!(
        from_parts::<EngineRequest>(vec![Vec::new(), b"too deep".to_vec()]).unwrap_err(),
        "the message could not be encoded: too deep"
    );
    assert!(from_parts::<EngineRequest>(vec![vec![0xff; 3]]).is_err());
}

#[test]
fn a_file_held_as_a_handle_crosses_as_a_part_of_its_own_and_one_the_worker_could_not_read_says_why()
{
    let r = EngineRequest {
        files: Some(vec![
            Rc::new(GivenFile {
                name: "users.csv".into(),
                content: Content::Handle(7),
            }),
            Rc::new(GivenFile::from(InputFile {
                name: "roles.csv".into(),
                bytes: b"Id\n".to_vec(),
            })),
        ]),
        ..req(1, None, None)
    };
    let parts = to_parts(&r).unwrap();
    assert_eq!(parts.len(), 3);
    // The page puts the `File` of handle 7 in the message in place of bytes.
    assert_eq!(parts[1].handle(), Some(7));
    assert_eq!(parts[2].handle(), None);
    let mut read: Vec<Content> = parts
        .iter()
        .map(|p| Content::Bytes(p.bytes().to_vec()))
        .collect();
    read[1] = Content::Unreadable("NotReadableError: the file changed".into());
    let back: EngineRequest = from_read_parts(read).unwrap();
    let files = back.files.clone().unwrap();
    assert_eq!(
        files[0].content,
        Content::Unreadable("NotReadableError: the file changed".into())
    );
    assert_eq!(files[1].content, Content::Bytes(b"Id\n".to_vec()));

    // The answer says which file and why, and the worker keeps nothing of these files.
    let mut cache = Cache::default();
    answer(&mut cache, req(1, Some(demo::files()), None));
    let r = answer(
        &mut cache,
        EngineRequest {
            generation: 2,
            ..back
        },
    );
    let message = r.result.unwrap_err();
    assert_eq!(
        message,
        "could not read `users.csv`: NotReadableError: the file changed; give the file again"
    );
    assert!(cache.files_version.is_none() && cache.ingested.files.is_empty());
    // A message whose body is not bytes is an error, not a panic.
    assert!(from_read_parts::<EngineRequest>(vec![Content::Handle(0)]).is_err());
}

#[test]
fn the_answer_crosses_in_one_part_with_its_empty_fields_and_an_export_gets_every_decision() {
    let whole = answer(&mut Cache::default(), req(1, Some(demo::files()), None));
    let mut cache = Cache::default();
    let mut sent = Vec::new();
    answer_in_steps(&mut cache, req(1, Some(demo::files()), None), &mut |o| {
        sent.push(o)
    });
    let parts = to_parts(&sent[0]).unwrap();
    assert_eq!(parts.len(), 1);
    // Every field crosses, those JSON leaves out when empty too (postcard cannot tell a
    // missing one): a diagnostic without a position comes back as it was.
    let EngineOutput::Answer(first) = &sent[0] else {
        panic!("an answer")
    };
    assert!(first.diagnostics.iter().any(|d| d.column.is_none()));
    assert!(first.findings.iter().any(|f| f.business_unit.is_none()));
    assert_eq!(
        from_parts::<EngineOutput>(bytes(to_parts(&sent[0]).unwrap())).unwrap(),
        sent[0]
    );
    let plan = &whole.result.as_ref().unwrap().plan;
    let EngineOutput::Answer(first) = &sent[0] else {
        panic!("an answer")
    };
    let count: usize = plan.business_units.iter().map(|b| b.decisions.len()).sum();
    assert!(count > 5);
    assert_eq!((first.table.total, first.table.rows.len()), (count, 5));
    assert_eq!(
        first.table.rows[4],
        ((0, 4), Row::of_ref(&plan.business_units[0].decisions[4]))
    );
    assert!(!plan.findings.is_empty() && !plan.diagnostics.is_empty());
    // Every decision's details, as printing the whole report asks for them.
    let mut all = Vec::new();
    let ask = EngineRequest {
        ask: Ask::AllTraces,
        ..req(1, None, None)
    };
    answer_in_steps(&mut cache, ask, &mut |o| all.push(o));
    let EngineOutput::AllTraces {
        all: Some(everything),
        ..
    } = &all[0]
    else {
        panic!("every decision")
    };
    assert_eq!(
        everything.0[0].len(),
        plan.business_units[0].decisions.len()
    );
    let traces = bytes(to_parts(&all[0]).unwrap());
    assert_eq!(traces.len(), 1);
    // Equal as sent (a membership's depth, used only while deciding, does not cross).
    let back: EngineOutput = from_parts(traces.clone()).unwrap();
    assert_eq!(bytes(to_parts(&back).unwrap()), traces);
    // The lookups follow in a message of their own.
    let lookups = to_parts(&sent[1]).unwrap();
    assert_eq!(lookups.len(), 1);
    assert!(matches!(&sent[1], EngineOutput::Lookups { lookup, .. } if lookup.len() > 20));
    assert_eq!(from_parts::<EngineOutput>(bytes(lookups)).unwrap(), sent[1]);
    let EngineOutput::Answer(back) = from_parts::<EngineOutput>(bytes(parts)).unwrap() else {
        panic!("an answer")
    };
    let mut back = *back;
    back.restore_report();
    let mut report = back.result.unwrap();
    with_all(&mut report, everything);
    assert_eq!(report, whole.result.unwrap());
}

#[test]
fn the_table_s_rows_come_page_by_page_for_the_current_plan_only() {
    let whole = answer(&mut Cache::default(), req(1, Some(demo::files()), None));
    let all: Vec<Decision> = whole.result.unwrap().plan.business_units[0]
        .decisions
        .clone();
    let mut cache = Cache::default();
    answer_in_steps(&mut cache, req(1, Some(demo::files()), None), &mut |_| {});
    let rows = |cache: &mut Cache, generation, view: View| {
        let mut out = Vec::new();
        let ask = EngineRequest {
            ask: Ask::Rows(view),
            ..req(generation, None, None)
        };
        answer_in_steps(cache, ask, &mut |o| out.push(o));
        match out.remove(0) {
            EngineOutput::Rows(page) => page,
            _ => panic!("rows"),
        }
    };
    let skips = Filter {
        action: Some(Action::Skip),
        ..Filter::default()
    };
    let n = all.iter().filter(|d| d.action == Action::Skip).count();
    assert!(n >= 2);
    // A stale request (another plan) gets no rows, and leaves nothing behind.
    let stale = rows(
        &mut cache,
        7,
        View {
            filter: skips.clone(),
            start: 0,
            end: 10,
        },
    );
    assert_eq!((stale.generation, stale.total, stale.rows.len()), (0, 0, 0));
    let first = rows(
        &mut cache,
        1,
        View {
            filter: skips.clone(),
            start: 0,
            end: 1,
        },
    );
    let second = rows(
        &mut cache,
        1,
        View {
            filter: skips.clone(),
            start: 1,
            end: 2,
        },
    );
    assert_eq!((first.generation, first.total, second.total), (1, n, n));
    assert_eq!((first.start, second.start), (0, 1));
    let skipped: Vec<Row> = all
        .iter()
        .filter(|d| d.action == Action::Skip)
        .map(Row::of_ref)
        .collect();
    assert_eq!(first.rows[0].1, skipped[0]);
    assert_eq!(second.rows[0].1, skipped[1]);
    // Past the end: none, and where it starts is clamped.
    let past = rows(
        &mut cache,
        1,
        View {
            filter: skips,
            start: n + 5,
            end: n + 9,
        },
    );
    assert_eq!((past.start, past.rows.len()), (n, 0));
    assert!(past.covers(n + 5, n + 9), "nothing more to ask for");
}

#[test]
fn requests_that_come_in_while_files_are_read_wait_and_keep_their_order() {
    let mut inbox = Inbox::default();
    assert_eq!(inbox.receive(1), Some(1));
    inbox.reading();
    assert_eq!(inbox.receive(2), None);
    assert_eq!(inbox.receive(3), None);
    assert_eq!(inbox.next_waiting(), None, "nothing while reading");
    inbox.read();
    assert_eq!(inbox.next_waiting(), Some(2));
    // Request 2 reads files in its turn: 3 waits for it.
    inbox.reading();
    assert_eq!(inbox.next_waiting(), None);
    assert_eq!(inbox.receive(4), None);
    inbox.read();
    assert_eq!(
        (
            inbox.next_waiting(),
            inbox.next_waiting(),
            inbox.next_waiting()
        ),
        (Some(3), Some(4), None)
    );
    assert_eq!(inbox.receive(5), Some(5));
}

#[test]
fn a_bad_scenario_is_a_message_and_the_files_are_still_described() {
    let mut cache = Cache::default();
    let mut files: Vec<InputFile> = demo::files()
        .into_iter()
        .filter(|f| f.name != "syncplan.json")
        .collect();
    files.push(InputFile {
        name: "syncplan.json".into(),
        bytes: b"{ \"mode\": ".to_vec(),
    });
    let r = answer(&mut cache, req(1, Some(files), None));
    assert!(r.result.unwrap_err().contains("syncplan.json"));
    assert!(r.files.iter().any(|f| f.file == "users.csv"));
}

#[test]
fn a_finding_names_an_ae_user_with_no_salesforce_user_as_an_ae_record() {
    let mut cache = Cache::default();
    let r = answer(&mut cache, req(1, Some(demo::files()), None));
    let plan = &r.result.unwrap().plan;
    let ae_only = plan.business_units[0]
        .decisions
        .iter()
        .find(|d| d.salesforce_user_id.is_none() && d.ae_user_id.is_some())
        .expect("the demo has an AE user with no Salesforce user");
    let asked = vec![format!("ae:{}", ae_only.ae_user_id.as_deref().unwrap())];
    let named = who_of(&cache.decisions, 0, &asked);
    let (_, _, label) = named[0].clone().unwrap();
    assert!(label.ends_with(" (AE record)"), "{label}");
    // A Salesforce user is named as they are.
    let sf = plan.business_units[0]
        .decisions
        .iter()
        .find_map(|d| d.salesforce_user_id.as_ref())
        .unwrap();
    let named = who_of(&cache.decisions, 0, &[sf.to_string()]);
    assert!(!named[0].clone().unwrap().2.contains("AE record"));
}

/// The worker keeps the exports' membership index between set-up edits: each plan is the one a
/// fresh worker makes of the same files and set-up (the golden case `membership` has a nesting
/// cycle, missing members and every kind of assignment).
#[test]
fn a_set_up_edit_planned_on_the_kept_index_is_a_fresh_plan() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/membership");
    let mut files = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".csv") {
            files.push(InputFile {
                name,
                bytes: std::fs::read(&p).unwrap(),
            });
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let scenario: Scenario =
        serde_json::from_slice(&std::fs::read(dir.join("syncplan.json")).unwrap()).unwrap();
    let mut edited = scenario.clone();
    edited.business_units[0].marketing_users.remove(0);
    edited.include_bosses = !edited.include_bosses;
    let mut kept = Cache::default();
    let first = answer(
        &mut kept,
        req(1, Some(files.clone()), Some(scenario.clone())),
    );
    assert!(first.result.is_ok());
    // A resolver on the kept index starts with the fresh one's warnings (cycles, members
    // missing from the exports).
    let index = kept.index.clone().expect("the index is kept");
    let on_index = Resolver::with_index(&kept.ingested.org, index);
    let from_scratch = Resolver::for_ingested(&kept.ingested);
    assert!(!from_scratch.diagnostics.is_empty());
    assert_eq!(on_index.diagnostics, from_scratch.diagnostics);
    drop((on_index, from_scratch));
    for (g, s) in [(2, &edited), (3, &scenario)] {
        let again = answer(&mut kept, req(g, None, Some(s.clone())));
        let fresh = answer(
            &mut Cache::default(),
            req(g, Some(files.clone()), Some(s.clone())),
        );
        assert_eq!(again.result, fresh.result);
        assert!(again
            .result
            .as_ref()
            .unwrap()
            .plan
            .diagnostics
            .iter()
            .any(|d| d.code == crate::engine::Code::WCycle));
    }
}
