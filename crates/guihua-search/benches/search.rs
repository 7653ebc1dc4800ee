//! Search benchmark (figures for the README, not a timed test): a SQLite library of N plans
//! generated from the eight real ones (five 十四五 seeds, three 十五五 corpus plans), the
//! index built over it, then a fixed mix of queries, each several times after a warm-up.
//! Goal: search p99 < 10 ms over 3,000 plans.
//!
//! `GUIHUA_BENCH_PLANS` sets N (default 3000); `GUIHUA_BENCH_DIR` the directory the
//! temporary library and index go under (default the system's temporary directory).
//!
//! `GUIHUA_BENCH_KEEP` names a directory to keep the library and index in: a second run
//! with the same N reuses them (no fill, no build), for trying query changes quickly.
//!
//! Run: `cargo bench -p guihua-search --bench search`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use guihua_contract::Source;
use guihua_model::Plan;
use guihua_search::{Kind, Request, SearchIndex};
use guihua_store::{Actor, Added, PlanId, SqliteStore, Store};

const ME: Actor = Actor::local("bench", None);
/// Timed runs of each query (after one warm-up run).
const REPEAT: usize = 10;
const LIMIT: usize = 20;

/// Region name stems the generated plans are given (with a number and 市/县/区).
const STEMS: &[&str] = &[
    "安平", "白河", "长宁", "大通", "东阳", "丰宁", "古城", "海宁", "和平", "华容", "江川", "金山",
    "靖远", "乐平", "临泽", "龙泉", "梅河", "南川", "宁远", "平安", "清水", "瑞安", "三河", "寿光",
    "太和", "通化", "万宁", "新宁", "永和", "玉山",
];
const SUFFIXES: &[&str] = &["市", "县", "区"];

/// One of the eight real plans, read and parsed once.
struct Real {
    file: String,
    format: String,
    encoding: String,
    plan: Plan,
    lines: Vec<String>,
}

/// The eight plans in a fixed order: five seeds (十四五), three corpus plans (十五五).
fn real_plans() -> Vec<Real> {
    let shared = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    let mut files = Vec::new();
    for dir in ["seeds", "corpus"] {
        let mut v: Vec<PathBuf> = std::fs::read_dir(shared.join(dir))
            .unwrap_or_else(|e| panic!("{dir} missing beside the project: {e}"))
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        v.sort();
        files.extend(v);
    }
    assert_eq!(files.len(), 8, "five seeds and three corpus plans");
    files
        .iter()
        .map(|path| {
            let read = guihua_read::read_path(path).expect("readable plan");
            let plan = guihua_parse::parse_document(&read.document);
            Real {
                file: path.file_name().unwrap().to_string_lossy().into_owned(),
                format: read.format.as_str().into(),
                encoding: read.encoding.clone(),
                plan,
                lines: read.document.text_lines(),
            }
        })
        .collect()
}

/// Plan `i`: a copy of real plan `i % 8` governing a region of its own, from a file of
/// its own.
fn generated(real: &[Real], i: usize) -> (Plan, Source) {
    let r = &real[i % real.len()];
    let stem = STEMS[i % STEMS.len()];
    let suffix = SUFFIXES[(i / STEMS.len()) % SUFFIXES.len()];
    let region = format!("{stem}{i}{suffix}");
    let mut plan = r.plan.clone();
    if let (Some(title), Some(old)) = (&plan.title, &r.plan.region) {
        plan.title = Some(title.replace(old.as_str(), &region));
    }
    plan.region = Some(region);
    let source = Source {
        file: format!("{i:05}_{}", r.file),
        format: r.format.clone(),
        encoding: r.encoding.clone(),
        sha256: format!("{i:064x}"),
    };
    (plan, source)
}

fn fill(store: &SqliteStore, real: &[Real], n: usize) -> Vec<PlanId> {
    (0..n)
        .map(|i| {
            let (plan, source) = generated(real, i);
            let id = match store.add_plan(&plan, &source, None, &ME).unwrap() {
                Added::New { id, .. } => id,
                other => panic!("plan {i} was not new: {other:?}"),
            };
            store
                .set_plan_text(id, &real[i % real.len()].lines)
                .unwrap();
            id
        })
        .collect()
}

fn q(query: &str) -> Request {
    Request {
        query: query.into(),
        limit: LIMIT,
        ..Request::default()
    }
}

/// The fixed mix of queries (labels for the table, requests).
fn queries(ids: &[PlanId]) -> Vec<(String, Request)> {
    let mut out: Vec<(String, Request)> = Vec::new();
    let mut add = |label: String, r: Request| out.push((label, r));
    // Single words, rare to very common.
    for w in [
        "氢能",
        "城市更新",
        "低空经济",
        "乡村振兴",
        "数字经济",
        "新型储能",
        "森林覆盖率",
        "生产总值",
        "人工智能",
        "养老",
        "碳达峰",
        "集成电路",
        "老旧小区",
        "北斗",
        "人形机器人",
        "脑机接口",
        "算力",
        "种业",
        "黄河",
        "长江",
        "高质量发展",
        "发展",
        "建设",
        "5G",
    ] {
        add(w.into(), q(w));
    }
    // A term found nowhere.
    add("火星殖民地 (nowhere)".into(), q("火星殖民地"));
    // Two words, both required.
    for w in [
        "氢能 储能",
        "城市更新 老旧小区",
        "乡村振兴 产业",
        "数字经济 核心产业",
        "人工智能 制造",
        "养老 服务",
        "生态 保护",
        "发展 建设",
        "低空经济 火星殖民地",
    ] {
        add(w.into(), q(w));
    }
    // Quoted phrases.
    for w in [
        "\"新型 储能\"",
        "“低空 经济”",
        "\"数字 经济\"",
        "\"城市 更新\"",
        "\"高质量 发展\"",
    ] {
        add(w.into(), q(w));
    }
    // Filters: kind, period, plans.
    for (w, kind) in [
        ("生产总值", Kind::Indicator),
        ("森林覆盖率", Kind::Indicator),
        ("氢能", Kind::Project),
        ("养老", Kind::Target),
        ("发展", Kind::Text),
    ] {
        add(
            format!("{w} kind={}", kind.as_str()),
            Request {
                kind: Some(kind),
                ..q(w)
            },
        );
    }
    for (w, period) in [("数字经济", 14), ("低空经济", 15), ("建设", 14)] {
        add(
            format!("{w} period={period}"),
            Request {
                period: Some(period),
                ..q(w)
            },
        );
    }
    let some = |k: usize| -> Vec<PlanId> {
        ids.iter()
            .step_by((ids.len() / k).max(1))
            .take(k)
            .copied()
            .collect()
    };
    for (w, k) in [
        ("城市更新", 1),
        ("氢能", 10),
        ("发展", 100),
        ("乡村振兴", 1000),
    ] {
        let plans = some(k);
        add(
            format!("{w} plans={}", plans.len()),
            Request {
                plans: Some(plans),
                ..q(w)
            },
        );
    }
    add(
        "城市更新 kind=text period=15 plans=10".into(),
        Request {
            kind: Some(Kind::Text),
            period: Some(15),
            plans: Some(some(10)),
            ..q("城市更新")
        },
    );
    out
}

/// Latencies in ms at the given quantile (nearest rank).
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn du(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => du(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

struct Stats {
    samples: Vec<f64>,
}

impl Stats {
    fn row(&mut self, what: &str) {
        self.samples.sort_by(|a, b| a.total_cmp(b));
        let s = &self.samples;
        println!(
            "| {what} | {} | {:.2} | {:.2} | {:.2} | {:.2} |",
            s.len(),
            quantile(s, 0.50),
            quantile(s, 0.95),
            quantile(s, 0.99),
            s.last().copied().unwrap_or_default()
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter or `--list` asks for nothing this knows.
    if std::env::args().any(|a| a == "--list") {
        println!("search: bench");
        return;
    }
    let n: usize = std::env::var("GUIHUA_BENCH_PLANS")
        .ok()
        .map(|v| {
            v.trim()
                .parse()
                .expect("GUIHUA_BENCH_PLANS: a number of plans")
        })
        .unwrap_or(3000);
    let base = std::env::var_os("GUIHUA_BENCH_DIR").map(PathBuf::from);
    let keep = std::env::var_os("GUIHUA_BENCH_KEEP").map(PathBuf::from);
    let temp;
    let dir: &Path = match (&keep, &base) {
        (Some(k), _) => {
            std::fs::create_dir_all(k).unwrap();
            k
        }
        (None, Some(b)) => {
            temp = tempfile::tempdir_in(b).unwrap();
            temp.path()
        }
        (None, None) => {
            temp = tempfile::tempdir().unwrap();
            temp.path()
        }
    };

    let t = Instant::now();
    let real = real_plans();
    let read_parse = t.elapsed();

    let store = SqliteStore::open(&dir.join("guihua.sqlite")).unwrap();
    let t = Instant::now();
    let kept: Vec<PlanId> = store.plans().unwrap().iter().map(|p| p.id).collect();
    let reused = keep.is_some() && kept.len() == n;
    let ids = if reused {
        kept
    } else {
        assert!(
            kept.is_empty(),
            "{}: a library of another size",
            dir.display()
        );
        fill(&store, &real, n)
    };
    let store_fill = t.elapsed();
    let db_size = du(dir);

    let index_dir = dir.join("search");
    let (index, notes) = SearchIndex::open(&index_dir).unwrap();
    assert!(notes.is_empty(), "{notes:?}");
    let t = Instant::now();
    let synced = index.sync(&store).unwrap();
    let build = t.elapsed();
    assert!(synced.warnings.is_empty(), "{:?}", synced.warnings);
    if !reused {
        assert_eq!(synced.added, n);
    }
    let documents = index.documents();
    let plans = index.plans().unwrap();
    let size = index.size_on_disk().unwrap();

    // The cheap in-step check: in this process (the content version seen), and as a
    // process that has just opened the index finds it (its commit's payload read).
    let t = Instant::now();
    let again = index.sync(&store).unwrap();
    let sync_seen = t.elapsed();
    assert_eq!(again, Default::default());
    let t = Instant::now();
    let (fresh, _) = SearchIndex::open(&index_dir).unwrap();
    let reopen = t.elapsed();
    let t = Instant::now();
    let again = fresh.sync(&store).unwrap();
    let sync_fresh = t.elapsed();
    assert_eq!(again, Default::default());
    drop(fresh);

    let mix = queries(&ids);
    let mut plain = Stats { samples: vec![] };
    let mut with_sync = Stats { samples: vec![] };
    let mut per_query: Vec<(f64, usize, &str)> = Vec::new();
    for (label, req) in &mix {
        let warm = index.search(req).unwrap();
        let mut mine = Vec::with_capacity(REPEAT);
        for _ in 0..REPEAT {
            let t = Instant::now();
            let found = index.search(req).unwrap();
            let e = ms(t.elapsed());
            assert_eq!(found.total, warm.total, "{label}");
            mine.push(e);
            plain.samples.push(e);
        }
        for _ in 0..REPEAT {
            let t = Instant::now();
            let synced = index.sync(&store).unwrap();
            let found = index.search(req).unwrap();
            let e = ms(t.elapsed());
            assert_eq!(synced, Default::default());
            assert_eq!(found.total, warm.total, "{label}");
            with_sync.samples.push(e);
        }
        mine.sort_by(|a, b| a.total_cmp(b));
        per_query.push((quantile(&mine, 0.5), warm.total, label.as_str()));
    }

    println!();
    println!("guihua-search bench: {n} plans generated from the eight real plans");
    if reused {
        println!();
        println!(
            "(library and index reused from {}: fill and build not measured)",
            dir.display()
        );
    }
    println!();
    println!("| step | figure |");
    println!("|---|---|");
    println!(
        "| read + parse the eight real plans | {:.2} s |",
        read_parse.as_secs_f64()
    );
    println!(
        "| store fill ({n} × add_plan + set_plan_text) | {:.1} s (library {:.0} MB) |",
        store_fill.as_secs_f64(),
        db_size as f64 / 1e6
    );
    println!(
        "| index build (`SearchIndex::sync` over {n} plans) | {:.1} s |",
        build.as_secs_f64()
    );
    println!("| plans indexed | {plans} |");
    println!("| documents indexed | {documents} |");
    println!("| index size on disk | {:.0} MB |", size as f64 / 1e6);
    println!(
        "| sync, nothing changed (seen in this process) | {:.3} ms |",
        ms(sync_seen)
    );
    println!(
        "| open the index + first sync, nothing changed | {:.1} ms + {:.1} ms |",
        ms(reopen),
        ms(sync_fresh)
    );
    println!();
    println!(
        "{} distinct queries, limit {LIMIT}, each {REPEAT} timed runs after one warm-up (ms):",
        mix.len()
    );
    println!();
    println!("| path | runs | p50 | p95 | p99 | max |");
    println!("|---|---|---|---|---|---|");
    plain.row("`search`");
    with_sync.row("`sync` + `search`");
    println!();
    per_query.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("slowest queries (median of {REPEAT} runs of `search`):");
    println!();
    println!("| query | matches | p50 ms |");
    println!("|---|---|---|");
    for (p50, total, label) in per_query.iter().take(8) {
        println!("| {label} | {total} | {p50:.2} |");
    }
    println!();
}
