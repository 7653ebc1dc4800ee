//! Library benchmarks (figures for the README, not timed tests):
//! * adding 1,000 plans — parse + store — generated from the five seeds with their region
//!   names and decimal numbers perturbed (target: under 60 s);
//! * importing 100,000 observations in one `Store::apply` (target: under 10 s).
//!
//! Each runs on SQLite and, when `GUIHUA_BENCH_POSTGRES` (or `GUIHUA_TEST_POSTGRES`) names a
//! server, on PostgreSQL too, side by side in one run (a new database per measurement).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use guihua_contract::Source;
use guihua_store::{Actor, Added, Change, SqlStore, Store, SubjectKind};

const REGIONS: &[&str] = &["阿拉尔市", "乌鲁木齐市", "伊吾县", "塔城地区", "阿拉善左旗"];

fn seeds() -> Vec<String> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seeds"
    ));
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("seed directory")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    assert_eq!(v.len(), 5, "the five seeds");
    v.iter()
        .map(|p| std::fs::read_to_string(p).expect("seed"))
        .collect()
}

/// The seed text with region names renamed and decimal digits shifted by `n`.
fn perturb(text: &str, n: usize) -> String {
    let mut t = text.to_string();
    for r in REGIONS {
        t = t.replace(r, &format!("{}{n}号", r));
    }
    let mut out = String::with_capacity(t.len());
    let mut after_point = false;
    for c in t.chars() {
        if after_point && c.is_ascii_digit() {
            let d = (c as u8 - b'0' + (n % 9) as u8 + 1) % 10;
            out.push((b'0' + d) as char);
            continue;
        }
        after_point = c == '.' || (after_point && c.is_ascii_digit());
        out.push(c);
    }
    out
}

fn generated(count: usize) -> Vec<String> {
    let s = seeds();
    (0..count).map(|n| perturb(&s[n % s.len()], n)).collect()
}

fn add_all(store: &mut SqlStore, texts: &[String]) -> Vec<(i64, usize, usize)> {
    let actor = Actor::local("bench", None);
    let mut ids = Vec::new();
    for (n, text) in texts.iter().enumerate() {
        let plan = guihua_parse::parse_text(text);
        let source = Source {
            file: format!("plan{n}.txt"),
            format: "txt".into(),
            encoding: "utf-8".into(),
            sha256: format!("{n:064x}"),
        };
        if let Ok(Added::New { id, .. }) = store.add_plan(&plan, &source, None, &actor) {
            ids.push((id, plan.indicators.len(), plan.targets.len()));
        }
    }
    ids
}

/// An empty library on one backend, removed when dropped.
enum Fresh {
    /// The directory is removed when dropped.
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        admin: String,
        name: String,
    },
}

impl Fresh {
    fn new(postgres: Option<&str>) -> (Fresh, SqlStore) {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        match postgres {
            None => {
                let dir = tempfile::tempdir().expect("tempdir");
                let store = SqlStore::open_dir(dir.path()).expect("store");
                (Fresh::Sqlite(dir), store)
            }
            Some(admin) => {
                let name = format!(
                    "guihua_bench{}_{}",
                    std::process::id(),
                    N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                );
                let mut c = postgres::Client::connect(admin, postgres::NoTls).expect("server");
                c.batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("database");
                let url = guihua_store::with_database(admin, &name);
                let store = SqlStore::connect(&url).expect("store");
                (
                    Fresh::Postgres {
                        admin: admin.to_string(),
                        name,
                    },
                    store,
                )
            }
        }
    }
}

impl Drop for Fresh {
    fn drop(&mut self) {
        if let Fresh::Postgres { admin, name } = self {
            if let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

fn observations(plans: &[(i64, usize, usize)]) -> Vec<Change> {
    let mut changes = Vec::with_capacity(100_000);
    'fill: for (id, inds, tgts) in plans {
        let subjects = (1..=*inds)
            .map(|i| (SubjectKind::Indicator, format!("i{i}")))
            .chain((1..=*tgts).map(|t| (SubjectKind::Target, format!("t{t}"))));
        for (kind, sid) in subjects {
            for year in 2020..=2025 {
                if changes.len() == 100_000 {
                    break 'fill;
                }
                changes.push(Change::Observe {
                    plan_id: *id,
                    kind,
                    subject_id: sid.clone(),
                    year,
                    value: changes.len() as f64 * 0.5,
                    source: Some(format!("{year}年统计公报")),
                    note: None,
                    expected_revision: None,
                });
            }
        }
    }
    assert_eq!(changes.len(), 100_000, "enough subjects for 100,000 rows");
    changes
}

fn bench(c: &mut Criterion) {
    let texts = generated(1000);
    let postgres = std::env::var("GUIHUA_BENCH_POSTGRES")
        .or_else(|_| std::env::var("GUIHUA_TEST_POSTGRES"))
        .ok()
        .filter(|u| !u.trim().is_empty());
    let mut backends: Vec<(&str, Option<&str>)> = vec![("sqlite", None)];
    if let Some(url) = postgres.as_deref() {
        backends.push(("postgres", Some(url)));
    }
    let mut g = c.benchmark_group("library");
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(1));
    g.measurement_time(Duration::from_secs(1));
    for (name, pg) in &backends {
        g.bench_function(format!("add_1000_plans/{name}"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (_fresh, mut store) = Fresh::new(*pg);
                    let t = Instant::now();
                    let ids = add_all(&mut store, &texts);
                    total += t.elapsed();
                    assert_eq!(ids.len(), 1000);
                }
                total
            })
        });
        // 100,000 observations over the indicators and targets of 400 generated plans,
        // into a library with the plans and no observations.
        let plans_texts = generated(400);
        g.bench_function(format!("import_100000_observations/{name}"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (_fresh, mut store) = Fresh::new(*pg);
                    let plans = add_all(&mut store, &plans_texts);
                    let changes = observations(&plans);
                    let t = Instant::now();
                    let applied = store
                        .apply(&changes, &Actor::local("bench", None))
                        .expect("apply");
                    total += t.elapsed();
                    assert_eq!(applied.inserted, 100_000);
                }
                total
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
