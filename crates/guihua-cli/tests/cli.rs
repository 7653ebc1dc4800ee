//! `guihua parse` end to end: the bundled example, JSON Lines, exit codes, and every hostile
//! input of the parse issue (item 10): a clear one-line error or a parse with diagnostics,
//! never a panic, a hang or unbounded memory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/shili-xian.txt");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run the binary; fail the test (instead of hanging) after two minutes.
fn guihua(args: &[&str]) -> Run {
    let child = Command::new(env!("CARGO_BIN_EXE_guihua"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn guihua");
    let start = Instant::now();
    let out = std::thread::spawn(move || child.wait_with_output().expect("wait"));
    while !out.is_finished() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "guihua {args:?} hangs"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = out.join().expect("join");
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guihua-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write tmp");
    p
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A failed read: exit 1, one line on stderr naming the file, no panic.
fn rejects(path: &Path, says: &str) {
    let r = guihua(&["parse", "--json", s(path)]);
    assert_eq!(r.code, 1, "{path:?}: {}", r.stderr);
    assert!(r.stdout.is_empty());
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {:?}", r.stderr);
    assert!(lines[0].starts_with("guihua: "), "{}", lines[0]);
    assert!(lines[0].contains(s(path)), "names the file: {}", lines[0]);
    assert!(
        lines[0].to_lowercase().contains(says),
        "says why ({says}): {}",
        lines[0]
    );
    assert!(!r.stderr.contains("panicked"));
}

fn docx_with(document_xml: &[u8]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("[Content_Types].xml", o).expect("zip");
        z.write_all(b"<?xml version=\"1.0\"?><Types/>")
            .expect("zip");
        z.start_file("word/document.xml", o).expect("zip");
        z.write_all(document_xml).expect("zip");
        z.finish().expect("zip");
    }
    buf.into_inner()
}

#[test]
fn example_summary() {
    let r = guihua(&["parse", EXAMPLE]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r
        .stdout
        .contains("示例县国民经济和社会发展第十四个五年规划和2035年远景目标纲要"));
    assert!(r.stdout.contains("主要指标 Indicators: 14"));
    assert!(r.stdout.contains("numbering-gap"));
    // The indicator table is aligned by display width: the 2020年 column starts at the same
    // terminal column on every row.
    let rows: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.contains("预期性") || l.contains("约束性"))
        .collect();
    assert!(rows.len() >= 14);
}

#[test]
fn example_json_follows_the_contract() {
    let r = guihua(&["parse", "--json", EXAMPLE]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("one JSON object");
    assert_eq!(v["schema"], "guihua.plan/1");
    assert_eq!(v["region"], "示例县");
    assert_eq!(v["period"]["start"], 2021);
    assert_eq!(v["adopted"]["date"], "2021-01-20");
    assert_eq!(v["source"]["format"], "txt");
    assert_eq!(v["source"]["encoding"], "utf-8");
    assert_eq!(v["source"]["sha256"].as_str().map(str::len), Some(64));
    let inds = v["indicators"].as_array().expect("indicators");
    assert_eq!(inds.len(), 14);
    assert_eq!(inds[0]["name"], "地区生产总值增长");
    assert_eq!(inds[0]["attribute"], "anticipatory");
    assert_eq!(inds[0]["base"]["value"], 3.2);
    assert_eq!(inds[0]["base"]["year"], 2020);
    assert_eq!(inds[0]["pace"]["kind"], "growth");
    assert_eq!(inds[0]["target"]["kind"], "none");
    assert_eq!(inds[5]["target"]["kind"], "delegated");
    assert_eq!(inds[7]["target"]["comparator"], "gt");
    assert_eq!(inds[7]["target"]["value"], 35);
    let gdp = v["targets"]
        .as_array()
        .and_then(|t| {
            t.iter()
                .find(|t| t["text"] == "地区生产总值预计完成120亿元")
        })
        .expect("t: 120亿元");
    assert_eq!(gdp["kind"], "level");
    assert_eq!(gdp["value"], 120);
    assert_eq!(gdp["unit"], "亿元");
    assert_eq!(gdp["year"], 2025);
    assert!(gdp["line"].as_u64().is_some());
    assert_eq!(v["outline"][0]["level"], "preface");
    assert_eq!(v["outline"][1]["id"], "p1");
    let ids: Vec<&str> = v["outline"][1]["children"]
        .as_array()
        .expect("children")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(ids, ["p1/c1"]);
}

#[test]
fn several_files_are_json_lines_in_order_and_a_bad_one_does_not_stop_the_rest() {
    let bad = tmp("empty.txt", b"");
    let second = tmp(
        "second.txt",
        "第一章 总则\n到2025年,森林覆盖率达到30%。\n".as_bytes(),
    );
    let r = guihua(&["parse", "--json", EXAMPLE, s(&bad), s(&second)]);
    assert_eq!(r.code, 1);
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["source"]["file"], "shili-xian.txt");
    assert_eq!(lines[1]["source"]["file"], "second.txt");
    assert_eq!(lines[1]["targets"][0]["subject"], "森林覆盖率");
    assert!(r.stderr.contains("empty.txt"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(guihua(&["parse"]).code, 2);
    assert_eq!(guihua(&["frobnicate"]).code, 2);
}

#[test]
fn missing_file() {
    rejects(Path::new("/nonexistent/plan.txt"), "no such file");
}

#[test]
fn hostile_empty_binary_nul_and_broken_utf8() {
    rejects(&tmp("empty.txt", b""), "empty");
    let mut bin = vec![0u8; 4096];
    for (i, b) in bin.iter_mut().enumerate() {
        *b = (i * 7 % 256) as u8;
    }
    rejects(&tmp("binary.txt", &bin), "binary");
    rejects(&tmp("nul.txt", "第一章 总则\0\0\0到2025年".as_bytes()), "");
    let mut broken = "第一章 发展基础\n森林覆盖率达到30%".as_bytes().to_vec();
    broken.insert(8, 0xFF);
    broken.extend_from_slice(&[0xE4, 0xB8]);
    rejects(&tmp("broken.txt", &broken), "");
}

#[test]
fn hostile_zips_and_xml() {
    rejects(
        &tmp("notdocx.docx", b"this is not a zip archive at all"),
        "zip",
    );
    // A zip without word/document.xml.
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file("hello.txt", zip::write::SimpleFileOptions::default())
            .expect("zip");
        z.write_all(b"hello").expect("zip");
        z.finish().expect("zip");
    }
    rejects(&tmp("other.docx", &buf.into_inner()), "document.xml");
    // Truncated docx.
    let good =
        docx_with(b"<w:document><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>");
    rejects(&tmp("truncated.docx", &good[..good.len() / 2]), "");
    // A document.xml inflating far beyond the cap (zip bomb).
    let mut xml = b"<w:document><w:body><w:p><w:r><w:t>".to_vec();
    xml.resize(300 * 1024 * 1024, b'a');
    let bomb = docx_with(&xml);
    drop(xml);
    assert!(bomb.len() < 2 * 1024 * 1024, "the bomb itself is small");
    rejects(&tmp("bomb.docx", &bomb), "");
    // Billion laughs: entities are never expanded.
    let laughs = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"#;
    let r = guihua(&[
        "parse",
        "--json",
        s(&tmp("laughs.docx", &docx_with(laughs))),
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert!(r.stdout.len() < 100_000, "no expansion");
    assert!(!r.stderr.contains("panicked"));
}

#[test]
fn hostile_html_without_a_plan() {
    let page = b"<html><head><script>var a=1;</script></head><body><nav>\xe9\xa6\x96\xe9\xa1\xb5</nav></body></html>";
    rejects(&tmp("empty.html", page), "");
    // A page with text but no plan parses, with nothing extracted.
    let r = guihua(&[
        "parse",
        "--json",
        s(&tmp(
            "news.html",
            "<html><body><p>今日天气晴。</p></body></html>".as_bytes(),
        )),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("json");
    assert_eq!(v["indicators"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["title"], serde_json::Value::Null);
}

#[test]
fn hostile_70_megabytes_is_refused_without_reading_it() {
    let p = std::env::temp_dir().join(format!("guihua-cli-{}-big.txt", std::process::id()));
    let f = std::fs::File::create(&p).expect("create");
    f.set_len(70 * 1024 * 1024).expect("sparse file");
    drop(f);
    rejects(&p, "mib");
    let _ = std::fs::remove_file(&p);
}

#[test]
fn hostile_15_megabyte_single_line() {
    let line = "坚持新发展理念，推动高质量发展，".repeat(15 * 1024 * 1024 / 48);
    let r = guihua(&["parse", "--json", s(&tmp("oneline.txt", line.as_bytes()))]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("json");
    assert_eq!(v["targets"].as_array().map(Vec::len), Some(0));
}

#[test]
fn hostile_50000_headings() {
    let mut text = String::from("示例市国民经济和社会发展第十四个五年规划纲要\n");
    for c in 1..=10_000 {
        text.push_str(&format!("第{c}章 章标题{c}\n"));
        for s in 1..=4 {
            text.push_str(&format!("第{s}节 节标题\n"));
        }
    }
    let r = guihua(&["parse", "--json", s(&tmp("headings.txt", text.as_bytes()))]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("json");
    let outline = v["outline"].as_array().expect("outline");
    assert_eq!(outline.len(), 10_000);
    assert_eq!(outline[9_999]["children"].as_array().map(Vec::len), Some(4));
    assert_eq!(outline[9_999]["children"][3]["id"], "c10000/s4");
}

/// Inputs that used to take time quadratic in their size (a table title retried on every
/// line; a run of headings checked against every heading; one id repeated thousands of
/// times). At these sizes the old code ran for many minutes and tripped the hang guard.
#[test]
fn hostile_repeated_table_titles_and_headings() {
    let titles = "主要指标 |\n".repeat(60_000);
    let r = guihua(&["parse", "--json", s(&tmp("titles.txt", titles.as_bytes()))]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    let mut blocks = String::new();
    for b in 0..15_000 {
        for k in 1..=6 {
            blocks.push_str(&format!("第{k}节 标题{b}_{k}\n"));
        }
        blocks.push_str("这是正文。\n");
    }
    let r = guihua(&["parse", "--json", s(&tmp("blocks.txt", blocks.as_bytes()))]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("json");
    let outline = v["outline"].as_array().expect("outline");
    assert_eq!(outline.len(), 90_000);
    // Repeated ids are made unique with a running suffix, and the repeats are reported.
    assert_eq!(outline[6]["id"], "s1~2");
    assert_eq!(outline[89_994]["id"], "s1~15000");
    assert!(v["diagnostics"]
        .as_array()
        .is_some_and(|d| d.iter().any(|x| x["code"] == "numbering-duplicate")));
}

/// The audit compares targets in groups of the same subject, not every pair: 20,000 prose
/// targets took four minutes before and trip the hang guard if that comes back.
#[test]
fn audit_of_many_targets_is_linear() {
    let mut text = String::from("某市国民经济和社会发展第十四个五年规划纲要\n第二章 发展目标\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "到2025年，测试指标{i}达到{i}%，年均增长{}%。\n",
            i % 9 + 1
        ));
    }
    text.push_str("到2025年，测试指标7达到9%。\n");
    let r = guihua(&["audit", "--json", s(&tmp("many.txt", text.as_bytes()))]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("json");
    let contradictions: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "prose-contradiction")
        .collect();
    assert_eq!(contradictions.len(), 1, "测试指标7: 7% then 9%");
    assert_eq!(contradictions[0]["subject"], "测试指标7");
}

/// `guihua serve` keeps the key of address pseudonyms beside the library (so one rating per
/// address holds across restarts), reads it back unchanged, and refuses a file it did not
/// write; the start-up checks pass over the socket.
#[test]
fn serve_keeps_its_pseudonym_key() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("lib");
    let serve = || {
        guihua(&[
            "--data",
            s(&data),
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--check",
        ])
    };
    let first = serve();
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stderr.contains("no users yet"), "{}", first.stderr);
    assert!(first.stderr.contains("start-up checks passed"));
    let key = std::fs::read_to_string(data.join("web.secret")).unwrap();
    assert_eq!(key.len(), 64);
    assert_eq!(serve().code, 0);
    assert_eq!(
        std::fs::read_to_string(data.join("web.secret")).unwrap(),
        key,
        "kept"
    );
    std::fs::write(data.join("web.secret"), "not a key").unwrap();
    let bad = serve();
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.contains("is not a key written by guihua"),
        "{}",
        bad.stderr
    );
}
