//! Library benchmarks (figures for the README, not timed tests):
//! * adding 1,000 plans — parse + store — generated from the five seeds with their region
//!   names and decimal numbers perturbed (target: under 60 s);
//! * importing 100,000 observations in one `Store::apply` (target: under 10 s).
//!
//! Each runs on SQLite and, when `GUIHUA_BENCH_POSTGRES` (or `GUIHUA_TEST_POSTGRES`) names a
//! server, on PostgreSQL too, side by side in one run (a new database per measurement),
//! and prints one table. `GUIHUA_BENCH_RUNS` repeats each (default 1: a PostgreSQL run
//! takes minutes); `GUIHUA_BENCH_ADD` and `GUIHUA_BENCH_ROWS` change the sizes.
//!
//! Run: `GUIHUA_BENCH_POSTGRES=postgresql://… cargo bench -p guihua-store`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

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

fn observations(plans: &[(i64, usize, usize)], rows: usize) -> Vec<Change> {
    let mut changes = Vec::with_capacity(rows);
    'fill: for (id, inds, tgts) in plans {
        let subjects = (1..=*inds)
            .map(|i| (SubjectKind::Indicator, format!("i{i}")))
            .chain((1..=*tgts).map(|t| (SubjectKind::Target, format!("t{t}"))));
        for (kind, sid) in subjects {
            for year in 2020..=2025 {
                if changes.len() == rows {
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
    assert_eq!(changes.len(), rows, "enough subjects for {rows} rows");
    changes
}

fn count(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .map(|v| {
            v.trim()
                .parse()
                .unwrap_or_else(|_| panic!("{var}: a number"))
        })
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; `--list` asks what there is.
    if std::env::args().any(|a| a == "--list") {
        println!("store: bench");
        return;
    }
    let plans = count("GUIHUA_BENCH_ADD", 1000);
    let rows = count("GUIHUA_BENCH_ROWS", 100_000);
    let runs = count("GUIHUA_BENCH_RUNS", 1).max(1);
    let texts = generated(plans);
    // 100,000 observations over the indicators and targets of 400 generated plans, into
    // a library with the plans and no observations.
    let plans_texts = generated(400);
    let postgres = std::env::var("GUIHUA_BENCH_POSTGRES")
        .or_else(|_| std::env::var("GUIHUA_TEST_POSTGRES"))
        .ok()
        .filter(|u| !u.trim().is_empty());
    let mut backends: Vec<(&str, Option<&str>)> = vec![("SQLite", None)];
    if let Some(url) = postgres.as_deref() {
        backends.push(("PostgreSQL", Some(url)));
    }
    let mut table: Vec<(String, Vec<String>)> = vec![
        (format!("add {plans} plans (parse + store)"), Vec::new()),
        (
            format!("import {rows} observations (one `apply`)"),
            Vec::new(),
        ),
    ];
    for (_, pg) in &backends {
        let mut add = Vec::new();
        let mut import = Vec::new();
        for _ in 0..runs {
            let (_fresh, mut store) = Fresh::new(*pg);
            let t = Instant::now();
            let ids = add_all(&mut store, &texts);
            add.push(t.elapsed());
            assert_eq!(ids.len(), plans);

            let (_fresh, mut store) = Fresh::new(*pg);
            let plans = add_all(&mut store, &plans_texts);
            let changes = observations(&plans, rows);
            let t = Instant::now();
            let applied = store
                .apply(&changes, &Actor::local("bench", None))
                .expect("apply");
            import.push(t.elapsed());
            assert_eq!(applied.inserted, rows);
        }
        let show = |v: &[Duration]| -> String {
            let s: Vec<String> = v
                .iter()
                .map(|d| format!("{:.2}", d.as_secs_f64()))
                .collect();
            format!("{} s", s.join(", "))
        };
        table[0].1.push(show(&add));
        table[1].1.push(show(&import));
    }
    println!();
    println!("guihua-store bench, {runs} run(s) per backend, a new library per measurement:");
    println!();
    let names: Vec<&str> = backends.iter().map(|b| b.0).collect();
    println!("| | {} |", names.join(" | "));
    println!("|---|{}", "---|".repeat(names.len()));
    for (what, cells) in &table {
        println!("| {what} | {} |", cells.join(" | "));
    }
    println!();
}
