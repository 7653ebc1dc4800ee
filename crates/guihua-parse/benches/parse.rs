//! Parser throughput over the five reference plans and the development corpus texts
//! (`cargo bench -p guihua-parse`). The goal is ≥ 50 MB/s on one core; criterion reports
//! bytes/second.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

fn seeds() -> Vec<(String, String)> {
    texts(SEEDS)
}

fn texts(dir: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("plans missing at {dir}: {e}"))
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.ends_with(".txt") && !n.starts_with("README")
        })
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).expect("utf-8 seed"),
            )
        })
        .collect();
    v.sort();
    v
}

fn bench(c: &mut Criterion) {
    let seeds = seeds();
    let total: usize = seeds.iter().map(|(_, t)| t.len()).sum();
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("five seeds", |b| {
        b.iter(|| {
            for (_, t) in &seeds {
                std::hint::black_box(guihua_parse::parse_text(t));
            }
        })
    });
    g.finish();
    let corpus = texts(CORPUS);
    let total: usize = corpus.iter().map(|(_, t)| t.len()).sum();
    let mut g = c.benchmark_group("parse corpus");
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("corpus texts", |b| {
        b.iter(|| {
            for (_, t) in &corpus {
                std::hint::black_box(guihua_parse::parse_text(t));
            }
        })
    });
    g.finish();
    let mut g = c.benchmark_group("parse each");
    for (name, t) in &seeds {
        g.throughput(Throughput::Bytes(t.len() as u64));
        g.bench_function(name.get(..3).unwrap_or(name), |b| {
            b.iter(|| std::hint::black_box(guihua_parse::parse_text(t)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
