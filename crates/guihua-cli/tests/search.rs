//! `guihua search` through the binary on the five reference plans: exact counts, the JSON
//! document, marks, filters, and the index following writes of other processes.

mod common;

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_guihua");

fn run(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--data")
        .arg(data)
        .args(["--user", "测试员"])
        .args(args)
        .env_remove("GUIHUA_DATA")
        .output()
        .unwrap()
}

fn ok(data: &std::path::Path, args: &[&str]) -> String {
    let o = run(data, args);
    assert!(
        o.status.success(),
        "guihua {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn search_the_reference_plans() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut add = vec!["add".to_string()];
    add.extend(common::seeds().iter().map(|p| p.display().to_string()));
    let add: Vec<&str> = add.iter().map(String::as_str).collect();
    ok(&data, &add);

    // Lines that say 乡村振兴, per seed (counted outside this code): 5, 7, 8, 10, 6.
    let json: serde_json::Value = serde_json::from_str(&ok(
        &data,
        &[
            "search",
            "乡村振兴",
            "--kind",
            "text",
            "--json",
            "--limit",
            "100",
        ],
    ))
    .unwrap();
    assert_eq!(json["schema"], "guihua.search/1");
    assert_eq!(json["total"], 36);
    let hits = json["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 36);
    for h in hits {
        assert_eq!(h["kind"], "text");
        let snippet: Vec<char> = h["snippet"].as_str().unwrap().chars().collect();
        let m = &h["marks"][0];
        let (a, b) = (
            m[0].as_u64().unwrap() as usize,
            m[1].as_u64().unwrap() as usize,
        );
        assert_eq!(snippet[a..b].iter().collect::<String>(), "乡村振兴");
        assert!(h["line"].as_u64().unwrap() > 0);
        assert!(h["plan"]["region"].is_string());
    }
    let per_region = |region: &str| {
        hits.iter()
            .filter(|h| h["plan"]["region"] == region)
            .count()
    };
    assert_eq!(per_region("塔城地区"), 10);

    // Text for people: the count, pages, marks (【】 when not a terminal), the place.
    let out = ok(&data, &["search", "乡村振兴", "--kind", "text"]);
    assert!(
        out.starts_with("36 hits for 乡村振兴 (1–20, page 1 of 2)"),
        "{out}"
    );
    assert!(out.contains("【乡村振兴】"));
    assert!(out.contains("十四五 · 正文"));
    assert!(out.contains("第") && out.contains("行"));
    let out = ok(
        &data,
        &["search", "乡村振兴", "--kind", "text", "--page", "2"],
    );
    assert!(
        out.starts_with("36 hits for 乡村振兴 (21–36, page 2 of 2)"),
        "{out}"
    );

    // One plan; a period none of them is in; nothing found says where it looked.
    let one = ok(
        &data,
        &[
            "search",
            "乡村振兴",
            "--kind",
            "text",
            "--plan",
            "塔城地区",
            "--json",
        ],
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&one).unwrap()["total"],
        10
    );
    let none = ok(&data, &["search", "乡村振兴", "--period", "15"]);
    assert_eq!(
        none.trim(),
        "no hit for 乡村振兴 in 5 plans (with the filters given)"
    );
    let bad = run(&data, &["search", "乡村振兴", "--period", "2026"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a five-year plan"));
    let bad = run(&data, &["search"]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "a query or --reindex is required"
    );

    let json: serde_json::Value = serde_json::from_str(&ok(
        &data,
        &["search", "乡村振兴", "--kind", "text", "--json"],
    ))
    .unwrap();
    assert_eq!(json["total_exact"], true);

    // Another process removes a plan: the next search follows.
    ok(&data, &["remove", "塔城地区"]);
    let json: serde_json::Value = serde_json::from_str(&ok(
        &data,
        &["search", "乡村振兴", "--kind", "text", "--json"],
    ))
    .unwrap();
    assert_eq!(json["total"], 26);

    // The index is derived data: deleted, it is built again; --reindex rebuilds it.
    std::fs::remove_dir_all(data.join("search")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&ok(
        &data,
        &["search", "乡村振兴", "--kind", "text", "--json"],
    ))
    .unwrap();
    assert_eq!(json["total"], 26);
    let o = run(&data, &["search", "--reindex"]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("indexed 4 plans ("), "{err}");
}

/// Over the seeds and the corpus plans, 发展 is on more text lines than are counted: the
/// count says "more", in text and JSON; alone, the term is counted exactly.
#[test]
fn a_common_term_says_there_are_more_than_counted() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let corpus = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus"
    ));
    let mut files: Vec<String> = common::seeds()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    for e in std::fs::read_dir(&corpus).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            files.push(p.display().to_string());
        }
    }
    let mut add = vec!["add"];
    add.extend(files.iter().map(String::as_str));
    ok(&data, &add);
    let out = ok(&data, &["search", "发展", "--kind", "text"]);
    assert!(
        out.starts_with("1000+ hits for 发展 (1–20, page 1 of 50+)"),
        "{out}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&data, &["search", "发展", "--kind", "text", "--json"])).unwrap();
    assert_eq!(
        (json["total"].as_u64(), json["total_exact"].as_bool()),
        (Some(1000), Some(false))
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&data, &["search", "发展", "--json"])).unwrap();
    assert_eq!(json["total_exact"], true);
    assert!(json["total"].as_u64().unwrap() > 1000, "{}", json["total"]);
}
