//! The library on the five reference plans: add, re-add, revise, observe, history,
//! atomic batches, backup and restore.

use std::path::PathBuf;

use guihua_contract::Source;
use guihua_store::*;

mod backend;

fn seeds() -> Vec<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seeds"
    ));
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("seed directory {} missing: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    assert_eq!(
        v.len(),
        5,
        "expected the five seed plans in {}",
        dir.display()
    );
    v
}

fn parse(path: &std::path::Path) -> (guihua_model::Plan, Source) {
    let read = guihua_read::read_path(path).expect("readable seed");
    let plan = guihua_parse::parse_document(&read.document);
    let source = Source {
        file: path.file_name().unwrap().to_string_lossy().into_owned(),
        format: read.format.as_str().into(),
        encoding: read.encoding.clone(),
        sha256: read.sha256.clone(),
    };
    (plan, source)
}

const ME: Actor = Actor::local("tester", None);

/// Add reference plan `seed` as a new plan: the plan as parsed and its id.
fn add_new(store: &dyn Store, seed: usize) -> (guihua_model::Plan, PlanId) {
    let (plan, source) = parse(&seeds()[seed]);
    let Added::New { id, .. } = store.add_plan(&plan, &source, None, &ME).unwrap() else {
        panic!("seed {seed} was not new")
    };
    (plan, id)
}

/// The schema version a library opened by this build has (one per migration).
const SCHEMA: i64 = 15;

#[test]
fn five_plans_added_readded_revised() {
    backend::each(five_plans_added_readded_revised_on);
}

fn five_plans_added_readded_revised_on(b: &backend::Backend) {
    let store = b.open();
    assert_eq!(store.schema_version().unwrap(), SCHEMA);
    let mut ids = Vec::new();
    for p in seeds() {
        let (plan, source) = parse(&p);
        match store.add_plan(&plan, &source, None, &ME).unwrap() {
            Added::New {
                id,
                version,
                previous,
            } => {
                assert_eq!((version, previous), (1, None));
                ids.push(id);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(store.plans().unwrap().len(), 5);
    // Re-adding is a no-op.
    for (p, id) in seeds().iter().zip(&ids) {
        let (plan, source) = parse(p);
        assert_eq!(
            store.add_plan(&plan, &source, None, &ME).unwrap(),
            Added::Duplicate { id: *id }
        );
    }
    assert_eq!(store.plans().unwrap().len(), 5);

    // Resolution by id, region and prefix.
    let urumqi = store.resolve("乌鲁木齐市").unwrap();
    assert_eq!(urumqi.indicators, 17);
    assert_eq!(store.resolve("乌鲁").unwrap().id, urumqi.id);
    assert_eq!(store.resolve(&urumqi.id.to_string()).unwrap().id, urumqi.id);
    assert!(store.resolve("不存在").is_err());
    // 阿拉 is the start of 阿拉尔市 and 阿拉善左旗.
    let err = store.resolve("阿拉").unwrap_err();
    assert!(matches!(err, StoreError::Ambiguous(_)), "{err}");
    assert!(err.to_string().contains("阿拉尔市") && err.to_string().contains("阿拉善左旗"));
    assert_eq!(
        store.resolve(&urumqi.sha256[..8]).unwrap().id,
        urumqi.id,
        "a sha256 prefix"
    );

    // Indicators are linked to the catalogue.
    let inds = store.indicators(urumqi.id).unwrap();
    let energy = inds
        .iter()
        .find(|i| i.name.contains("能源消耗"))
        .expect("energy indicator");
    assert_eq!(
        energy.link.as_ref().and_then(|l| l.catalog_id.as_deref()),
        Some("energy_intensity_reduction")
    );
    assert!(!store.outline(urumqi.id).unwrap().is_empty());
    assert!(!store.projects(urumqi.id).unwrap().is_empty());
    assert_eq!(
        store.plan_json(urumqi.id).unwrap()["schema"],
        "guihua.plan/1"
    );

    // A revised plan (规划调整): changed text, same region/period/title → version 2.
    let seed1 = seeds()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("001_"))
        .unwrap();
    let text = std::fs::read_to_string(&seed1)
        .unwrap()
        .replace("15.77", "16.10");
    let plan2 = guihua_parse::parse_text(&text);
    let source2 = Source {
        file: "revised.txt".into(),
        format: "txt".into(),
        encoding: "utf-8".into(),
        sha256: "f".repeat(64),
    };
    let Added::New {
        id: v2,
        version,
        previous,
    } = store.add_plan(&plan2, &source2, None, &ME).unwrap()
    else {
        panic!("revision not added");
    };
    assert_eq!((version, previous), (2, Some(urumqi.id)));
    // Both versions are kept; the region now resolves to the newest.
    assert_eq!(store.plans().unwrap().len(), 6);
    assert_eq!(store.resolve("乌鲁木齐市").unwrap().id, v2);
    let old = store.resolve(&urumqi.id.to_string()).unwrap();
    assert_eq!(old.next_id, Some(v2));
    assert!(store
        .indicators(urumqi.id)
        .unwrap()
        .iter()
        .any(|i| i.target == "15.77"));
    assert!(store
        .indicators(v2)
        .unwrap()
        .iter()
        .any(|i| i.target == "16.10"));
}

#[test]
fn a_large_import_keeps_every_history_row_in_order() {
    backend::each(a_large_import_keeps_every_history_row_in_order_on);
}

/// An import writes more history rows than a transaction holds back at once: every row
/// is there, in the order written, and a failing import leaves none of its rows.
fn a_large_import_keeps_every_history_row_in_order_on(b: &backend::Backend) {
    let store = b.open();
    let (plan, id) = add_new(&store, 1);
    let mut changes = Vec::new();
    let mut expected = Vec::new();
    for (n, i) in plan.indicators.iter().enumerate() {
        for year in 2021..=2025 {
            let value = (n * 10 + (year - 2020) as usize) as f64;
            let note = (year % 2 == 0).then(|| format!("说明{year}"));
            changes.push(Change::Observe {
                plan_id: id,
                kind: SubjectKind::Indicator,
                subject_id: i.id.clone(),
                year,
                value,
                source: Some(format!("{year}年统计公报")),
                note: note.clone(),
                expected_revision: None,
            });
            let key = format!("indicator:{}:{year}", i.id);
            expected.push((key.clone(), "value".to_string(), value.to_string()));
            expected.push((key.clone(), "source".into(), format!("{year}年统计公报")));
            if let Some(note) = note {
                expected.push((key, "note".into(), note));
            }
        }
    }
    assert!(expected.len() > 3 * 64, "enough rows for several chunks");
    let observed = |store: &SqlStore| -> Vec<(String, String, String)> {
        store
            .history(id, None)
            .unwrap()
            .into_iter()
            .filter(|h| h.table == "observations")
            .map(|h| (h.key, h.field, h.new.unwrap_or_default()))
            .collect()
    };
    assert_eq!(store.apply(&changes, &ME).unwrap().inserted, changes.len());
    assert_eq!(observed(&store), expected);

    // Changes to every value, then one naming no indicator: refused whole, after more
    // history rows than are held back had been sent.
    let history_before = store.history(id, None).unwrap().len();
    let values_before = store.observations(Some(id)).unwrap();
    let mut again: Vec<Change> = changes
        .iter()
        .map(|c| match c {
            Change::Observe {
                subject_id, year, ..
            } => Change::Observe {
                plan_id: id,
                kind: SubjectKind::Indicator,
                subject_id: subject_id.clone(),
                year: *year,
                value: 1.5,
                source: None,
                note: None,
                expected_revision: None,
            },
            _ => unreachable!(),
        })
        .collect();
    again.push(Change::Observe {
        plan_id: id,
        kind: SubjectKind::Indicator,
        subject_id: "i999".into(),
        year: 2023,
        value: 1.0,
        source: None,
        note: None,
        expected_revision: None,
    });
    assert!(matches!(
        store.apply(&again, &ME),
        Err(StoreError::NotFound(m)) if m.contains("i999")
    ));
    assert_eq!(store.history(id, None).unwrap().len(), history_before);
    assert_eq!(store.observations(Some(id)).unwrap(), values_before);
}

#[test]
fn observations_history_atomicity_backup() {
    backend::each(observations_history_atomicity_backup_on);
}

fn observations_history_atomicity_backup_on(b: &backend::Backend) {
    let dir = &b.dir;
    let store = b.open();
    let (_, id) = add_new(&store, 1);
    let obs = |year: i32, value: f64, source: Option<&str>| Change::Observe {
        plan_id: id,
        kind: SubjectKind::Indicator,
        subject_id: "i15".into(),
        year,
        value,
        source: source.map(String::from),
        note: None,
        expected_revision: None,
    };
    let a = store
        .apply(
            &[
                obs(2021, 15.7, Some("2021年统计公报")),
                obs(2022, 15.72, None),
            ],
            &ME,
        )
        .unwrap();
    assert_eq!(a.inserted, 2);
    // Same again: unchanged. Then an update: old value goes to history.
    assert_eq!(
        store
            .apply(&[obs(2021, 15.7, Some("2021年统计公报"))], &ME)
            .unwrap()
            .unchanged,
        1
    );
    let fix = Actor::local("审核员", Some("统计局修正"));
    assert_eq!(
        store
            .apply(&[obs(2021, 15.71, Some("2021年统计公报"))], &fix)
            .unwrap()
            .updated,
        1
    );
    let h = store.history(id, Some("indicator:i15")).unwrap();
    let last = h.last().unwrap();
    assert_eq!(
        (last.old.as_deref(), last.new.as_deref()),
        (Some("15.7"), Some("15.71"))
    );
    assert_eq!(
        (last.who.as_str(), last.why.as_deref()),
        ("审核员", Some("统计局修正"))
    );

    // A batch with one bad change is rejected whole.
    let before = store.observations(Some(id)).unwrap();
    let bad = Change::Observe {
        plan_id: id,
        kind: SubjectKind::Indicator,
        subject_id: "i999".into(),
        year: 2023,
        value: 1.0,
        source: None,
        note: None,
        expected_revision: None,
    };
    assert!(store.apply(&[obs(2023, 15.8, None), bad], &ME).is_err());
    assert_eq!(store.observations(Some(id)).unwrap(), before);

    // Soft delete keeps history.
    let del = Change::Unobserve {
        plan_id: id,
        kind: SubjectKind::Indicator,
        subject_id: "i15".into(),
        year: 2022,
        expected_revision: None,
    };
    assert_eq!(store.apply(&[del], &ME).unwrap().deleted, 1);
    assert_eq!(store.observations(Some(id)).unwrap().len(), 1);
    assert!(store
        .history(id, None)
        .unwrap()
        .iter()
        .any(|h| h.old.as_deref() == Some("15.72") && h.new.is_none()));

    // Assignments and project status.
    let j = store.projects(id).unwrap()[0].id.clone();
    store
        .apply(
            &[
                Change::Assign {
                    plan_id: id,
                    kind: SubjectKind::Indicator,
                    subject_id: "i15".into(),
                    department: "林草局".into(),
                    role: Role::Lead,
                    expected_revision: None,
                },
                Change::Assign {
                    plan_id: id,
                    kind: SubjectKind::Project,
                    subject_id: j.clone(),
                    department: "发改委".into(),
                    role: Role::Lead,
                    expected_revision: None,
                },
                Change::ProjectStatus {
                    status: ProjectStatus {
                        plan_id: id,
                        project_id: j.clone(),
                        year: 2022,
                        status: "在建".into(),
                        planned_investment: Some(10.0),
                        completed_investment: Some(4.5),
                        milestone: Some("主体完工".into()),
                        revision: 0,
                    },
                    expected_revision: None,
                },
            ],
            &ME,
        )
        .unwrap();
    assert_eq!(
        store.departments().unwrap(),
        vec!["发改委".to_string(), "林草局".to_string()]
    );
    assert_eq!(store.assignments(id).unwrap().len(), 2);
    let bad_status = Change::ProjectStatus {
        status: ProjectStatus {
            plan_id: id,
            project_id: j,
            year: 2023,
            status: "完成了".into(),
            planned_investment: None,
            completed_investment: None,
            milestone: None,
            revision: 0,
        },
        expected_revision: None,
    };
    assert!(store.apply(&[bad_status], &ME).is_err());
    assert_eq!(store.project_statuses(id).unwrap().len(), 1);

    if b.is_postgres() {
        // PostgreSQL's own tools back it up; the store says so instead of pretending.
        let err = store.backup(&dir.path().join("snap.sqlite")).unwrap_err();
        assert!(err.to_string().contains("pg_dump"), "{err}");
        return;
    }
    // Backup while open, change, restore.
    let snap = dir.path().join("snap.sqlite");
    store.backup(&snap).unwrap();
    assert!(store.backup(&snap).is_err(), "never overwrites");
    store.apply(&[obs(2024, 16.0, None)], &ME).unwrap();
    assert_eq!(store.observations(Some(id)).unwrap().len(), 2);
    let kept = store.restore(&snap, &ME).unwrap();
    assert_eq!(store.observations(Some(id)).unwrap().len(), 1);
    assert!(store.restore(&dir.path().join("nope.sqlite"), &ME).is_err());
    // The replaced library is kept, with the observation the restore took away.
    let replaced = SqliteStore::open(&kept).unwrap();
    assert_eq!(replaced.observations(Some(id)).unwrap().len(), 2);
    drop(replaced);
    // The restore itself is in the history (a library-wide row).
    let conn = rusqlite::Connection::open(dir.path().join("guihua.sqlite")).unwrap();
    let (who, field, new): (String, String, String) = conn
        .query_row(
            "SELECT who, field, new FROM history WHERE tbl = 'library' ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((who.as_str(), field.as_str()), ("tester", "restored_from"));
    assert_eq!(new, snap.display().to_string());
    // And the history is still append-only after it.
    assert!(conn.execute("DELETE FROM history", []).is_err());
    drop(conn);

    // A backup whose history guard was dropped is refused.
    let forged = dir.path().join("forged.sqlite");
    store.backup(&forged).unwrap();
    let f = rusqlite::Connection::open(&forged).unwrap();
    f.execute_batch("DROP TRIGGER history_no_delete; DELETE FROM history;")
        .unwrap();
    drop(f);
    let err = store.restore(&forged, &ME).unwrap_err();
    assert!(
        err.to_string()
            .contains("its history is no longer append-only"),
        "{err}"
    );
    assert_eq!(store.observations(Some(id)).unwrap().len(), 1);

    // Refused while another writer holds the write lock; nothing changes.
    let other = rusqlite::Connection::open(dir.path().join("guihua.sqlite")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let err = store.restore(&snap, &ME).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    other.execute_batch("ROLLBACK").unwrap();
}

/// Take a library back to schema 8: no plan texts, no API tokens, no version counter and none of the
/// triggers that keep it.
fn drop_after_schema_8(conn: &rusqlite::Connection) {
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'version_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(triggers.len(), 45, "three per table that public pages show");
    for t in triggers {
        conn.execute_batch(&format!("DROP TRIGGER {t}")).unwrap();
    }
    conn.execute_batch(
        "DROP TABLE annual_targets; DROP TABLE remarks; DROP INDEX observations_key; DROP INDEX assignments_key; DROP INDEX project_status_key;
         DROP TABLE plan_texts; DROP TABLE api_tokens; DROP TABLE library_version",
    )
    .unwrap();
}

#[test]
fn newer_schema_is_refused_and_reopen_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    drop(SqliteStore::open_dir(dir.path()).unwrap());
    // Reopening applies nothing twice.
    assert_eq!(
        SqliteStore::open_dir(dir.path())
            .unwrap()
            .schema_version()
            .unwrap(),
        SCHEMA
    );
    // A version-1 library is upgraded in place.
    let conn = rusqlite::Connection::open(dir.path().join("guihua.sqlite")).unwrap();
    drop_after_schema_8(&conn);
    conn.execute_batch(
        "DROP TABLE submission_items; DROP TABLE submissions; DROP TABLE rounds; DROP TABLE ratings;
         DROP TABLE comments; DROP TABLE sessions; DROP TABLE releases; DROP TABLE publications;
         DROP INDEX plans_previous; DROP INDEX history_subject; DROP INDEX plans_one_current_revision;
         DROP TABLE memberships; DROP TABLE users; ALTER TABLE observations DROP COLUMN revision;
         ALTER TABLE assignments DROP COLUMN revision; ALTER TABLE project_status DROP COLUMN revision;
         ALTER TABLE indicator_links DROP COLUMN revision; ALTER TABLE history DROP COLUMN user_id;
         DELETE FROM schema_version WHERE version >= 2;",
    )
    .unwrap();
    drop(conn);
    assert_eq!(
        SqliteStore::open_dir(dir.path())
            .unwrap()
            .schema_version()
            .unwrap(),
        SCHEMA
    );
    // A library written before version 3 with two current revisions of one plan (two
    // writers at once) is not upgraded behind the user's back: the error says why.
    let conn = rusqlite::Connection::open(dir.path().join("guihua.sqlite")).unwrap();
    drop_after_schema_8(&conn);
    conn.execute_batch(
        "DROP TABLE submission_items; DROP TABLE submissions; DROP TABLE rounds; DROP TABLE ratings;
         DROP TABLE comments; DROP TABLE sessions; DROP TABLE releases; DROP TABLE publications;
         DROP INDEX plans_one_current_revision; DROP TABLE memberships; DROP TABLE users;
         ALTER TABLE observations DROP COLUMN revision;
         ALTER TABLE assignments DROP COLUMN revision; ALTER TABLE project_status DROP COLUMN revision;
         ALTER TABLE indicator_links DROP COLUMN revision; ALTER TABLE history DROP COLUMN user_id;
         DELETE FROM schema_version WHERE version >= 3;
         INSERT INTO plans (id, sha256, file, format, version, previous_id, json, added_at, added_by)
         VALUES (1, 'a', 'a.txt', 'txt', 1, NULL, '{}', 't', 'u'),
                (2, 'b', 'b.txt', 'txt', 2, 1, '{}', 't', 'u'),
                (3, 'c', 'c.txt', 'txt', 2, 1, '{}', 't', 'u');",
    )
    .unwrap();
    drop(conn);
    let err = SqliteStore::open_dir(dir.path()).err().expect("refused");
    assert!(
        err.to_string()
            .contains("cannot upgrade the library to schema version 3"),
        "{err}"
    );
    let conn = rusqlite::Connection::open(dir.path().join("guihua.sqlite")).unwrap();
    conn.execute_batch("DELETE FROM plans; ").unwrap();
    drop(conn);
    assert_eq!(
        SqliteStore::open_dir(dir.path())
            .unwrap()
            .schema_version()
            .unwrap(),
        SCHEMA
    );
    let conn = rusqlite::Connection::open(dir.path().join("guihua.sqlite")).unwrap();
    conn.execute("INSERT INTO schema_version VALUES (99, 'future')", [])
        .unwrap();
    drop(conn);
    let err = SqliteStore::open_dir(dir.path()).err().expect("refused");
    assert!(err.to_string().contains("newer than this guihua"), "{err}");
}

#[test]
fn a_plan_revised_twice_from_the_same_version_is_a_conflict() {
    backend::each(a_plan_revised_twice_from_the_same_version_is_a_conflict_on);
}

fn a_plan_revised_twice_from_the_same_version_is_a_conflict_on(b: &backend::Backend) {
    let store = b.open();
    let (plan, source) = parse(&seeds()[1]);
    let Added::New { id: first, .. } = store.add_plan(&plan, &source, None, &ME).unwrap() else {
        panic!("not new")
    };
    let revision = |n: u8| Source {
        sha256: format!("{}{n}", &source.sha256[..63]),
        ..source.clone()
    };
    let added = store
        .add_plan(&plan, &revision(1), Some(first), &ME)
        .unwrap();
    assert_eq!(
        added,
        Added::New {
            id: first + 1,
            version: 2,
            previous: Some(first)
        }
    );
    let err = store
        .add_plan(&plan, &revision(2), Some(first), &ME)
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "conflict: plan {first} is already revised by plan {} (version 2); revise plan {} instead",
            first + 1,
            first + 1
        )
    );
    // Nothing was written by the refused revision.
    assert_eq!(store.plans().unwrap().len(), 2);
}

#[test]
fn a_value_changed_since_it_was_read_is_a_conflict() {
    backend::each(a_value_changed_since_it_was_read_is_a_conflict_on);
}

fn a_value_changed_since_it_was_read_is_a_conflict_on(b: &backend::Backend) {
    let store = b.open();
    let (_, id) = add_new(&store, 1);
    let set = |value: f64, expected: Option<i64>| Change::Observe {
        plan_id: id,
        kind: SubjectKind::Indicator,
        subject_id: "i15".into(),
        year: 2022,
        value,
        source: None,
        note: None,
        expected_revision: expected,
    };
    let revision = |store: &SqliteStore| {
        store
            .observations(Some(id))
            .unwrap()
            .first()
            .map(|o| o.revision)
    };
    // Two people open the form on an empty value (revision 0); the first saves.
    store.apply(&[set(15.7, Some(0))], &ME).unwrap();
    assert_eq!(revision(&store), Some(1));
    let err = store.apply(&[set(15.8, Some(0))], &ME).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert!(err.to_string().contains("was changed by tester"), "{err}");
    // Having read revision 1, the second person's change goes in.
    store.apply(&[set(15.8, Some(1))], &ME).unwrap();
    assert_eq!(revision(&store), Some(2));
    let err = store.apply(&[set(15.9, Some(1))], &ME).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(store.observations(Some(id)).unwrap()[0].value, 15.8);
    // An import states the new truth: no expectation, no conflict.
    store.apply(&[set(16.0, None)], &ME).unwrap();
    assert_eq!(revision(&store), Some(3));
    // Removed, then entered again: the new value continues the revisions, so a form that
    // read the removed value (revision 3) cannot overwrite the new one unseen.
    store
        .apply(
            &[Change::Unobserve {
                plan_id: id,
                kind: SubjectKind::Indicator,
                subject_id: "i15".into(),
                year: 2022,
                expected_revision: Some(3),
            }],
            &ME,
        )
        .unwrap();
    store.apply(&[set(16.2, Some(0))], &ME).unwrap();
    assert_eq!(revision(&store), Some(4));
    let err = store.apply(&[set(16.5, Some(3))], &ME).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
}

/// One store shared by the threads of a server: writers on several threads at once all
/// succeed, and a reader running meanwhile only ever sees whole batches (each read is one
/// snapshot; each batch one transaction).
#[test]
fn one_store_shared_by_many_threads() {
    backend::each(one_store_shared_by_many_threads_on);
}

fn one_store_shared_by_many_threads_on(b: &backend::Backend) {
    fn shared<T: Send + Sync>(_: &T) {}
    let store: std::sync::Arc<dyn Store> = std::sync::Arc::new(b.open());
    shared(&store);
    let (_, id) = add_new(&*store, 1);
    const THREADS: usize = 6;
    const BATCHES: usize = 20;
    const ROWS: usize = 10;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (store, done) = (store.clone(), done.clone());
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                seen.push(store.observations(Some(id)).unwrap().len());
            }
            seen
        })
    };
    let writers: Vec<_> = (0..THREADS)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                for b in 0..BATCHES {
                    let changes: Vec<Change> = (0..ROWS)
                        .map(|r| Change::Observe {
                            plan_id: id,
                            kind: SubjectKind::Indicator,
                            subject_id: format!("i{}", r + 1),
                            year: 2000 + (t * BATCHES + b) as i32,
                            value: (t * 1000 + b * 10 + r) as f64,
                            source: None,
                            note: None,
                            expected_revision: Some(0),
                        })
                        .collect();
                    store.apply(&changes, &ME).unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("a writer failed");
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let seen = reader.join().unwrap();
    let all = store.observations(Some(id)).unwrap();
    assert_eq!(all.len(), THREADS * BATCHES * ROWS);
    for t in 0..THREADS {
        for b in 0..BATCHES {
            let year = 2000 + (t * BATCHES + b) as i32;
            let v: Vec<f64> = all
                .iter()
                .filter(|o| o.year == year)
                .map(|o| o.value)
                .collect();
            assert_eq!(v.len(), ROWS, "batch {t}/{b}");
        }
    }
    assert!(!seen.is_empty());
    assert!(
        seen.iter().all(|n| n % ROWS == 0),
        "a read saw part of a batch: {:?}",
        seen.iter().find(|n| *n % ROWS != 0)
    );
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "reads went back in time"
    );
}

/// Assignments, project status and catalogue links carry revisions like observations: a
/// writer that read revision n is refused once someone else changed the row.
#[test]
fn stale_assignments_statuses_and_links_are_conflicts() {
    backend::each(stale_assignments_statuses_and_links_are_conflicts_on);
}

fn stale_assignments_statuses_and_links_are_conflicts_on(b: &backend::Backend) {
    let store = b.open();
    let (_, id) = add_new(&store, 1);
    let conflict = |r: Result<Applied>| match r {
        Err(StoreError::Conflict(m)) => m,
        other => panic!("expected a conflict, got {other:?}"),
    };
    // Assignments: two planners both saw i15 unassigned to 林草局.
    let assign = |role: Role, expected: Option<i64>| Change::Assign {
        plan_id: id,
        kind: SubjectKind::Indicator,
        subject_id: "i15".into(),
        department: "林草局".into(),
        role,
        expected_revision: expected,
    };
    store.apply(&[assign(Role::Lead, Some(0))], &ME).unwrap();
    let m = conflict(store.apply(&[assign(Role::Co, Some(0))], &ME));
    assert!(m.contains("after it was read as empty"), "{m}");
    let rev = store.assignments(id).unwrap()[0].revision;
    assert_eq!(rev, 1);
    store.apply(&[assign(Role::Co, Some(1))], &ME).unwrap();
    assert_eq!(store.assignments(id).unwrap()[0].revision, 2);
    let unassign = |expected| Change::Unassign {
        plan_id: id,
        kind: SubjectKind::Indicator,
        subject_id: "i15".into(),
        department: "林草局".into(),
        expected_revision: expected,
    };
    conflict(store.apply(&[unassign(Some(1))], &ME));
    assert_eq!(store.assignments(id).unwrap()[0].role, Role::Co);
    store.apply(&[unassign(Some(2))], &ME).unwrap();
    assert!(store.assignments(id).unwrap().is_empty());

    // Project status.
    let j = store.projects(id).unwrap()[0].id.clone();
    let status = |s: &str, expected| Change::ProjectStatus {
        status: ProjectStatus {
            plan_id: id,
            project_id: j.clone(),
            year: 2023,
            status: s.into(),
            planned_investment: None,
            completed_investment: None,
            milestone: None,
            revision: 0,
        },
        expected_revision: expected,
    };
    store.apply(&[status("前期", Some(0))], &ME).unwrap();
    store.apply(&[status("在建", Some(1))], &ME).unwrap();
    let m = conflict(store.apply(&[status("建成", Some(1))], &ME));
    assert!(m.contains("was changed by tester"), "{m}");
    assert_eq!(store.project_statuses(id).unwrap()[0].status, "在建");
    assert_eq!(store.project_statuses(id).unwrap()[0].revision, 2);

    // Catalogue links: the automatic link is revision 1.
    let linked = store
        .indicators(id)
        .unwrap()
        .into_iter()
        .find(|i| i.link.as_ref().is_some_and(|l| l.catalog_id.is_some()))
        .expect("an automatically linked indicator");
    assert_eq!(linked.link.as_ref().unwrap().revision, 1);
    store.set_link(id, &linked.id, None, Some(1), &ME).unwrap();
    match store.set_link(id, &linked.id, Some("forest_coverage"), Some(1), &ME) {
        Err(StoreError::Conflict(m)) => assert!(m.contains("was changed by tester"), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let now = store
        .indicators(id)
        .unwrap()
        .into_iter()
        .find(|i| i.id == linked.id)
        .unwrap();
    assert_eq!(now.link.as_ref().unwrap().catalog_id, None);
    assert_eq!(now.link.as_ref().unwrap().revision, 2);
}

/// The backend-independent rules: which subjects of a revised plan are the same as those
/// of its new version, which current plan a new one revises, which catalogue entries its
/// indicators are linked to.
#[test]
fn rules_pair_subjects_find_revisions_and_link_indicators() {
    let (old, _) = parse(&seeds()[1]);
    // A revision inserts a row at the top: every id below it shifts by one.
    let mut new = old.clone();
    let mut inserted = new.indicators[0].clone();
    inserted.name = "新增指标".into();
    new.indicators.insert(0, inserted);
    for (n, i) in new.indicators.iter_mut().enumerate() {
        i.id = format!("i{}", n + 1);
    }
    let pairs = rules::carried_subjects(&old, &new);
    let indicators: Vec<(String, String)> = pairs
        .iter()
        .filter(|c| c.kind == SubjectKind::Indicator)
        .map(|c| (c.from.clone(), c.to.clone()))
        .collect();
    assert_eq!(indicators.len(), old.indicators.len());
    assert_eq!(indicators[0], ("i1".to_string(), "i2".to_string()));
    assert!(
        indicators.iter().all(|(_, to)| to != "i1"),
        "the new row is new"
    );
    // Targets, projects and chapters are unchanged: each pairs with itself.
    for (kind, n) in [
        (SubjectKind::Target, old.targets.len()),
        (SubjectKind::Project, old.projects.len()),
        (
            SubjectKind::Chapter,
            guihua_model::walk_outline(&old.outline).len(),
        ),
    ] {
        let same: Vec<_> = pairs.iter().filter(|c| c.kind == kind).collect();
        assert!(same.iter().all(|c| c.from == c.to), "{kind}");
        assert!(same.len() <= n && (n == 0 || !same.is_empty()), "{kind}");
    }
    // Two rows of one name map one to one, in order (never one onto both).
    let mut twice = old.clone();
    let dup = twice.indicators[0].clone();
    twice.indicators.push(guihua_model::Indicator {
        id: "i99".into(),
        ..dup
    });
    let pairs = rules::carried_subjects(&twice, &twice);
    let to_first: Vec<_> = pairs
        .iter()
        .filter(|c| c.kind == SubjectKind::Indicator && c.to == "i1")
        .collect();
    assert_eq!(to_first.len(), 1);
    assert_eq!(to_first[0].from, "i1");

    // Revision by identity: same region, title and period, not yet revised.
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(dir.path()).unwrap();
    let (plan, id) = add_new(&store, 1);
    let plans = store.plans().unwrap();
    assert_eq!(rules::revised_by_identity(&plans, &plan), Some(id));
    // The backend's indexed answer is the plain filter of every plan.
    let period = plan.period.map(|p| (p.start, p.end));
    let narrowed = store
        .plans_with_identity(plan.region.as_deref(), plan.title.as_deref(), period)
        .unwrap();
    let filtered: Vec<PlanRow> = plans
        .iter()
        .filter(|p| p.region == plan.region && p.title == plan.title && p.period == period)
        .cloned()
        .collect();
    assert_eq!(narrowed, filtered);
    assert_eq!(narrowed.len(), 1);
    assert!(store
        .plans_with_identity(Some("别处"), plan.title.as_deref(), period)
        .unwrap()
        .is_empty());
    let mut elsewhere = plan.clone();
    elsewhere.region = Some("别处".into());
    assert_eq!(rules::revised_by_identity(&plans, &elsewhere), None);
    let mut anonymous = plan.clone();
    anonymous.region = None;
    anonymous.title = None;
    assert_eq!(rules::revised_by_identity(&plans, &anonymous), None);

    // Links: what the store holds is what the rule decided.
    let links = rules::catalogue_links(&plan);
    assert!(!links.is_empty());
    let stored: Vec<(String, String)> = store
        .indicators(id)
        .unwrap()
        .into_iter()
        .filter_map(|i| Some((i.id, i.link?.catalog_id?)))
        .collect();
    assert_eq!(
        stored,
        links
            .iter()
            .map(|l| (l.indicator.clone(), l.catalog_id.clone()))
            .collect::<Vec<_>>()
    );
}

/// Four writers add four different versions of one plan (same region, title and period)
/// at once to an empty library: they become versions 1–4 of one chain, never two current
/// plans of one identity and never a conflict the user did not cause.
#[test]
fn concurrent_versions_of_one_plan_form_one_chain() {
    backend::each(concurrent_versions_of_one_plan_form_one_chain_on);
}

fn concurrent_versions_of_one_plan_form_one_chain_on(b: &backend::Backend) {
    let store: std::sync::Arc<dyn Store> = std::sync::Arc::new(b.open());
    let text = std::fs::read_to_string(&seeds()[1]).unwrap();
    let writers: Vec<_> = (0..4)
        .map(|n| {
            let store = store.clone();
            let text = format!("{text}\n附注{n}\n");
            std::thread::spawn(move || {
                let plan = guihua_parse::parse_text(&text);
                let source = Source {
                    file: format!("v{n}.txt"),
                    format: "txt".into(),
                    encoding: "utf-8".into(),
                    sha256: format!("{n}").repeat(64),
                };
                store.add_plan(&plan, &source, None, &ME).unwrap()
            })
        })
        .collect();
    let mut versions: Vec<i64> = writers
        .into_iter()
        .map(|w| match w.join().expect("a writer failed") {
            Added::New { version, .. } => version,
            other => panic!("{other:?}"),
        })
        .collect();
    versions.sort();
    assert_eq!(versions, [1, 2, 3, 4]);
    let plans = store.plans().unwrap();
    assert_eq!(plans.iter().filter(|p| p.next_id.is_none()).count(), 1);
    // Plans without region or title are never versions of each other: both are added.
    for n in 0..2 {
        let mut plan = guihua_parse::parse_text(&format!("{text}\n附{n}\n"));
        plan.region = None;
        plan.title = None;
        let source = Source {
            file: format!("anon{n}.txt"),
            format: "txt".into(),
            encoding: "utf-8".into(),
            sha256: format!("a{n}").repeat(32),
        };
        match store.add_plan(&plan, &source, None, &ME).unwrap() {
            Added::New { version, .. } => assert_eq!(version, 1),
            other => panic!("{other:?}"),
        }
    }
}

/// Two threads of one process restore two different backups at once: they take turns,
/// each restores what it names, and each replaced library is kept.
#[test]
fn concurrent_restores_in_one_process_take_turns() {
    backend::each(concurrent_restores_in_one_process_take_turns_on);
}

fn concurrent_restores_in_one_process_take_turns_on(b: &backend::Backend) {
    if b.is_postgres() {
        return; // restore is SQLite's (see observations_history_atomicity_backup)
    }
    let dir = &b.dir;
    let store: std::sync::Arc<dyn Store> = std::sync::Arc::new(b.open());
    let (plan, source) = parse(&seeds()[1]);
    store.add_plan(&plan, &source, None, &ME).unwrap();
    let a = dir.path().join("a.sqlite");
    store.backup(&a).unwrap();
    let (plan2, source2) = parse(&seeds()[2]);
    store.add_plan(&plan2, &source2, None, &ME).unwrap();
    let b = dir.path().join("b.sqlite");
    store.backup(&b).unwrap();
    let threads: Vec<_> = [a.clone(), b.clone()]
        .into_iter()
        .map(|from| {
            let store = store.clone();
            std::thread::spawn(move || {
                let kept = store.restore(&from, &ME).unwrap();
                (from, kept)
            })
        })
        .collect();
    let done: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_ne!(done[0].1, done[1].1, "each replaced library kept apart");
    assert!(done.iter().all(|(_, kept)| kept.exists()));
    let n = store.plans().unwrap().len();
    assert!(n == 1 || n == 2, "{n}");
}

/// Several servers, one database: two stores opened separately (two processes' pools)
/// write the same value at once, each stating the revision it read. Every round exactly
/// one write wins and the other is a conflict; nothing is lost: the history holds every
/// winning write, in order, and the value is the last winner's.
#[test]
fn two_servers_writing_the_same_value_lose_no_update() {
    backend::each(two_servers_writing_the_same_value_lose_no_update_on);
}

fn two_servers_writing_the_same_value_lose_no_update_on(b: &backend::Backend) {
    let first = std::sync::Arc::new(b.open());
    let second = std::sync::Arc::new(b.open());
    let (_, id) = add_new(&*first, 1);
    let set = |value: f64, expected: i64| Change::Observe {
        plan_id: id,
        kind: SubjectKind::Indicator,
        subject_id: "i15".into(),
        year: 2023,
        value,
        source: None,
        note: None,
        expected_revision: Some(expected),
    };
    const ROUNDS: usize = 15;
    let mut winners = Vec::new();
    for round in 0..ROUNDS {
        // Both read the same revision…
        let read = first
            .observations(Some(id))
            .unwrap()
            .first()
            .map(|o| o.revision)
            .unwrap_or(0);
        assert_eq!(read, round as i64, "every round has exactly one winner");
        // …and write at the same moment.
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let writes: Vec<_> = [(first.clone(), 1.0), (second.clone(), 2.0)]
            .into_iter()
            .map(|(store, server)| {
                let barrier = barrier.clone();
                let change = set(round as f64 * 10.0 + server, read);
                std::thread::spawn(move || {
                    barrier.wait();
                    let who = if server == 1.0 {
                        "服务器甲"
                    } else {
                        "服务器乙"
                    };
                    (server, store.apply(&[change], &Actor::local(who, None)))
                })
            })
            .collect();
        let results: Vec<_> = writes.into_iter().map(|h| h.join().unwrap()).collect();
        let won: Vec<f64> = results
            .iter()
            .filter(|(_, r)| r.is_ok())
            .map(|(s, _)| round as f64 * 10.0 + s)
            .collect();
        let lost: Vec<&StoreError> = results
            .iter()
            .filter_map(|(_, r)| r.as_ref().err())
            .collect();
        assert_eq!(won.len(), 1, "{}: round {round}: {results:?}", b.name);
        assert_eq!(lost.len(), 1);
        assert!(
            matches!(lost[0], StoreError::Conflict(_)),
            "{}: the stale write is a conflict: {:?}",
            b.name,
            lost[0]
        );
        winners.push(won[0]);
    }
    let obs = second.observations(Some(id)).unwrap();
    assert_eq!(obs.len(), 1);
    assert_eq!(obs[0].value, *winners.last().unwrap());
    assert_eq!(obs[0].revision, ROUNDS as i64);
    // The history has every winning value, in order: no update was lost.
    let history: Vec<f64> = first
        .history(id, Some("indicator:i15"))
        .unwrap()
        .iter()
        .filter(|h| h.field == "value")
        .filter_map(|h| h.new.as_deref().and_then(|v| v.parse().ok()))
        .collect();
    assert_eq!(history, winners, "{}", b.name);
}
