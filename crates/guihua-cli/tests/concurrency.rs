//! Many writers at once, through the `guihua` binary: processes started together must all
//! succeed and every value they wrote must be stored; duplicate adds are one plan; two
//! revisions of one plan are one version 2 and a clear conflict.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Barrier};

const BIN: &str = env!("CARGO_BIN_EXE_guihua");

fn run(data: &Path, user: &str, args: &[String]) -> Output {
    Command::new(BIN)
        .arg("--data")
        .arg(data)
        .args(["--user", user])
        .args(args)
        .env_remove("GUIHUA_DATA")
        .output()
        .expect("guihua runs")
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Run `jobs` at the same moment, one thread (and process sequence) each.
fn together<T: Send + 'static>(jobs: Vec<Box<dyn FnOnce() -> T + Send>>) -> Vec<T> {
    let barrier = Arc::new(Barrier::new(jobs.len()));
    let handles: Vec<_> = jobs
        .into_iter()
        .map(|job| {
            let b = Arc::clone(&barrier);
            std::thread::spawn(move || {
                b.wait();
                job()
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .collect()
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn six_writers_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = run(
        &data,
        "admin",
        &s(&["add", &common::seeds()[3].display().to_string()]),
    );
    assert!(o.status.success(), "{}", text(&o));
    // Six writers: each sets five values one command at a time, then imports a file of
    // twelve more, all at once.
    const WRITERS: usize = 6;
    let mut jobs: Vec<Box<dyn FnOnce() -> Vec<Output> + Send>> = Vec::new();
    for w in 0..WRITERS {
        let data = data.clone();
        let csv = dir.path().join(format!("w{w}.csv"));
        let mut file = csv::Writer::from_path(&csv).unwrap();
        file.write_record(["编号", "年份", "实际值", "数据来源"])
            .unwrap();
        for k in 0..2 {
            for y in 2020..=2025 {
                let id = format!("i{}", 7 + w * 2 + k);
                let value = format!("{}.{}", 100 + w * 10 + k, y - 2019);
                file.write_record([id.as_str(), &y.to_string(), &value, "并发测试"])
                    .unwrap();
            }
        }
        file.flush().unwrap();
        jobs.push(Box::new(move || {
            let mut outs = Vec::new();
            for y in 2021..=2025 {
                outs.push(run(
                    &data,
                    &format!("填报员{w}"),
                    &s(&[
                        "observe",
                        "set",
                        "1",
                        &format!("i{}", w + 1),
                        &y.to_string(),
                        &format!("{}.{}", w + 1, y - 2000),
                        // Synthetic values: not what a plan expects.
                        "--accept-outliers",
                    ]),
                ));
            }
            outs.push(run(
                &data,
                &format!("填报员{w}"),
                &s(&[
                    "observe",
                    "import",
                    "--plan",
                    "1",
                    &csv.display().to_string(),
                    "--accept-outliers",
                ]),
            ));
            outs
        }));
    }
    let results = together(jobs);
    let failures: Vec<String> = results
        .iter()
        .flatten()
        .filter(|o| !o.status.success())
        .map(text)
        .collect();
    assert!(
        failures.is_empty(),
        "{} writes failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every value is stored.
    let o = run(
        &data,
        "admin",
        &s(&["observe", "export", "--plan", "1", "--format", "csv"]),
    );
    assert!(o.status.success(), "{}", text(&o));
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    let header = r.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id_col, year_col, value_col) = (col("编号"), col("年份"), col("实际值"));
    let stored: std::collections::BTreeSet<(String, String, String)> = r
        .records()
        .map(|x| x.unwrap())
        .map(|x| {
            (
                x[id_col].to_string(),
                x[year_col].to_string(),
                x[value_col].to_string(),
            )
        })
        .collect();
    let mut expected = std::collections::BTreeSet::new();
    for w in 0..WRITERS {
        for y in 2021..=2025 {
            let value = format!("{}.{}", w + 1, y - 2000);
            expected.insert((format!("i{}", w + 1), y.to_string(), value));
        }
        for k in 0..2 {
            for y in 2020..=2025 {
                let value = format!("{}.{}", 100 + w * 10 + k, y - 2019);
                expected.insert((format!("i{}", 7 + w * 2 + k), y.to_string(), value));
            }
        }
    }
    let missing: Vec<_> = expected.difference(&stored).collect();
    assert!(missing.is_empty(), "values lost: {missing:?}");
    assert_eq!(stored.len(), expected.len(), "{stored:?}");
}

#[test]
fn the_same_file_added_at_once_is_one_plan() {
    let dir = tempfile::tempdir().unwrap();
    // A new library: the first writers also create it and bring its schema up to date.
    let data = dir.path().join("data");
    let file = common::seeds()[1].display().to_string();
    let jobs: Vec<Box<dyn FnOnce() -> Output + Send>> = (0..6)
        .map(|k| {
            let (data, file) = (data.clone(), file.clone());
            Box::new(move || run(&data, &format!("用户{k}"), &s(&["add", &file])))
                as Box<dyn FnOnce() -> Output + Send>
        })
        .collect();
    let results = together(jobs);
    for o in &results {
        assert!(o.status.success(), "{}", text(o));
    }
    let added = results
        .iter()
        .filter(|o| String::from_utf8_lossy(&o.stdout).starts_with("added "))
        .count();
    let unchanged = results
        .iter()
        .filter(|o| String::from_utf8_lossy(&o.stdout).starts_with("unchanged "))
        .count();
    assert_eq!((added, unchanged), (1, 5));
    let o = run(&data, "admin", &s(&["list", "--json"]));
    let plans: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(plans.as_array().map(Vec::len), Some(1), "{plans}");
}

#[test]
fn two_revisions_of_one_plan_are_one_version_two_and_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let original = common::seeds()[1].clone();
    let o = run(
        &data,
        "admin",
        &s(&["add", &original.display().to_string()]),
    );
    assert!(o.status.success(), "{}", text(&o));
    let text0 = std::fs::read_to_string(&original).unwrap();
    let revisions: Vec<String> = (0..2)
        .map(|k| {
            let p = dir.path().join(format!("rev{k}.txt"));
            std::fs::write(&p, format!("{text0}\n修订{k}\n")).unwrap();
            p.display().to_string()
        })
        .collect();
    let jobs: Vec<Box<dyn FnOnce() -> Output + Send>> = revisions
        .iter()
        .map(|f| {
            let (data, f) = (data.clone(), f.clone());
            Box::new(move || run(&data, "admin", &s(&["add", &f, "--revises", "1"])))
                as Box<dyn FnOnce() -> Output + Send>
        })
        .collect();
    let results = together(jobs);
    let ok: Vec<&Output> = results.iter().filter(|o| o.status.success()).collect();
    let failed: Vec<&Output> = results.iter().filter(|o| !o.status.success()).collect();
    assert_eq!(
        (ok.len(), failed.len()),
        (1, 1),
        "{:?}",
        results.iter().map(text).collect::<Vec<_>>()
    );
    assert!(
        String::from_utf8_lossy(&ok[0].stdout).contains("version 2, revising plan 1"),
        "{}",
        text(ok[0])
    );
    let err = String::from_utf8_lossy(&failed[0].stderr);
    assert!(
        err.contains("conflict") && err.contains("plan 1 is already revised by plan 2"),
        "{err}"
    );
    // The library holds the plan and one revision.
    let o = run(&data, "admin", &s(&["list", "--json"]));
    let plans: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let versions: Vec<i64> = plans
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [1, 2]);
}
