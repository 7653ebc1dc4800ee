//! `guihua evaluate`, `compare` and `audit` on plans in the library: stored observations
//! go through the engine, statuses and reasons come out as the method says.

mod common;

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_guihua");

struct Lib(tempfile::TempDir);

impl Lib {
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let o = Command::new(BIN)
            .arg("--data")
            .arg(self.0.path())
            .args(["--user", "评估员"])
            .args(args)
            .env_remove("GUIHUA_DATA")
            .output()
            .expect("run guihua");
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    }
    fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "guihua {args:?}: {err}");
        out
    }
}

fn library() -> Lib {
    let lib = Lib(tempfile::tempdir().expect("tmp"));
    lib.ok(&[
        "add",
        &common::seed("001"),
        &common::seed("002"),
        &common::seed("003"),
    ]);
    for (plan, ind, year, v) in [
        ("乌鲁木齐", "森林覆盖率", "2022", "15.72"),
        ("乌鲁木齐", "森林覆盖率", "2023", "15.75"),
        ("塔城", "城镇登记失业率", "2022", "4.3"),
        ("塔城", "森林覆盖率", "2022", "12.7"),
        ("伊吾", "森林覆盖率", "2022", "4.3"),
    ] {
        lib.ok(&["observe", "set", plan, ind, year, v, "--source", "统计公报"]);
    }
    lib
}

fn status_of<'a>(results: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    results["results"]
        .as_array()
        .and_then(|r| r.iter().find(|x| x["name"] == name))
        .unwrap_or_else(|| panic!("{name} in {results}"))
}

#[test]
fn evaluate_json_per_subject() {
    let lib = library();
    let v: serde_json::Value =
        serde_json::from_str(&lib.ok(&["evaluate", "乌鲁木齐", "--year", "2023", "--json"]))
            .expect("json");
    assert_eq!(v["schema"], "guihua.evaluation/1");
    let forest = status_of(&v, "森林覆盖率");
    // A slow-moving level measured in two years only: on track, not ahead.
    assert_eq!(forest["status"], "on_track");
    assert_eq!(forest["actual"], 15.75);
    assert_eq!(forest["actual_year"], 2023);
    assert!(forest["expected"]
        .as_f64()
        .is_some_and(|e| (e - 15.738).abs() < 0.01));
    assert!(forest["reason"]
        .as_str()
        .is_some_and(|r| r.contains("序时进度")));
    // Delegated rows are not assessable, with a reason.
    let energy = status_of(&v, "单位地区生产总值能源消耗降低");
    assert_eq!(energy["status"], "not_assessable");
    assert!(!energy["reason"].as_str().unwrap_or("").is_empty());

    let t: serde_json::Value =
        serde_json::from_str(&lib.ok(&["evaluate", "塔城", "--year", "2022", "--json"]))
            .expect("json");
    let u = status_of(&t, "城镇登记失业率");
    assert!(
        matches!(u["status"].as_str(), Some("lagging" | "severely_lagging")),
        "4.3 against a ceiling of 4: {u}"
    );
}

#[test]
fn compare_across_plans() {
    let lib = library();
    let v: serde_json::Value =
        serde_json::from_str(&lib.ok(&["compare", "--indicator", "森林覆盖率", "--json"]))
            .expect("json");
    let plans = v["plans"].as_array().expect("plans");
    assert_eq!(plans.len(), 3);
    let by = |r: &str| plans.iter().find(|p| p["region"] == r).cloned().expect(r);
    assert_eq!(by("乌鲁木齐市")["status"], "on_track");
    assert_eq!(by("伊吾县")["actual"], 4.3);
    assert_eq!(by("塔城地区")["base"], "12.68");
    let table = lib.ok(&["compare", "--indicator", "森林覆盖率"]);
    assert!(table.contains("乌鲁木齐市") && table.contains("符合预期"));
    // After `indicator unlink`, comparison and export agree: the plan is out of both.
    let plan = by("乌鲁木齐市")["plan"].to_string();
    let show = lib.ok(&["show", &plan, "indicators", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&show).expect("json");
    let id = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "森林覆盖率")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .expect("森林覆盖率");
    lib.ok(&["indicator", "unlink", &plan, &id]);
    let v: serde_json::Value =
        serde_json::from_str(&lib.ok(&["compare", "--indicator", "forest_coverage", "--json"]))
            .expect("json");
    let regions: Vec<&str> = v["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["region"].as_str().unwrap())
        .collect();
    assert!(!regions.contains(&"乌鲁木齐市"), "{regions:?}");
    let export = lib.ok(&[
        "observe",
        "export",
        "--indicator",
        "forest_coverage",
        "--format",
        "csv",
    ]);
    assert!(!export.contains("乌鲁木齐市"), "{export}");
}

#[test]
fn audit_a_stored_plan_and_a_file() {
    let lib = library();
    let stored = lib.ok(&["audit", "塔城", "--json"]);
    let file = lib.ok(&["audit", &common::seed("003"), "--json"]);
    let a: serde_json::Value = serde_json::from_str(&stored).expect("json");
    let b: serde_json::Value = serde_json::from_str(&file).expect("json");
    assert_eq!(
        a["findings"], b["findings"],
        "the library keeps the plan as parsed"
    );
    assert!(a["findings"]
        .as_array()
        .is_some_and(|f| f.iter().any(|x| x["code"] == "target-weaker-than-base")));
    let (code, _, err) = lib.run(&["audit", "不存在的地区"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("guihua: "), "{err}");
}

/// The national 14th-FYP main indicator table (fixture, Markdown), the 2021–2022 official
/// statistics imported as CSV, evaluated for 2022 through the CLI: the statuses of the
/// State Council's mid-term evaluation (2023-12-26) for every indicator the data covers.
#[test]
fn national_mid_term_through_the_cli() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let lib = Lib(tempfile::tempdir().expect("tmp"));
    lib.ok(&["add", &format!("{fixtures}/national-14th.md")]);
    lib.ok(&[
        "observe",
        "import",
        &format!("{fixtures}/national-2021-2022.csv"),
    ]);
    let v: serde_json::Value = serde_json::from_str(&lib.ok(&[
        "evaluate",
        "中华人民共和国",
        "--year",
        "2022",
        "--json",
        "--target",
        "国内生产总值（GDP）增长=5.75左右",
    ]))
    .expect("json");
    let official = [
        ("国内生产总值（GDP）增长", "on_track"),
        ("全员劳动生产率增长", "on_track"),
        ("常住人口城镇化率", "achieved"),
        ("全社会研发经费投入增长", "ahead"),
        ("每万人口高价值发明专利拥有量", "ahead"),
        ("居民人均可支配收入增长", "on_track"),
        ("城镇调查失业率", "on_track"),
        ("劳动年龄人口平均受教育年限", "on_track"),
        ("每千人口拥有执业（助理）医师数", "ahead"),
        ("每千人口拥有3岁以下婴幼儿托位数", "lagging"),
        ("单位GDP能源消耗降低", "lagging"),
        ("单位GDP二氧化碳排放降低", "lagging"),
        ("地级及以上城市空气质量优良天数比率", "lagging"),
        ("地表水达到或好于Ⅲ类水体比例", "achieved"),
        ("森林覆盖率", "ahead"),
        ("粮食综合生产能力", "on_track"),
        ("能源综合生产能力", "achieved"),
        // One early year of a slow-moving level: 基本符合, as officially.
        ("人均预期寿命", "on_track"),
    ];
    for (name, status) in official {
        let r = status_of(&v, name);
        assert_eq!(r["status"], status, "{name}: {}", r["reason"]);
    }
    // No data for these two: not assessable, never a guess.
    for name in ["数字经济核心产业增加值占GDP比重", "基本养老保险参保率"] {
        assert_eq!(status_of(&v, name)["status"], "not_assessable");
    }
    // Without the annual target, GDP growth (保持在合理区间) cannot be judged.
    let plain: serde_json::Value =
        serde_json::from_str(&lib.ok(&["evaluate", "中华人民共和国", "--year", "2022", "--json"]))
            .expect("json");
    assert_eq!(
        status_of(&plain, "国内生产总值（GDP）增长")["status"],
        "not_assessable"
    );
}

/// `guihua report` writes every format; the Word file is a real document with the report's
/// sections and one chart image per indicator with data.
#[test]
fn reports_in_every_format() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let lib = Lib(tempfile::tempdir().expect("tmp"));
    lib.ok(&["add", &format!("{fixtures}/national-14th.md")]);
    lib.ok(&[
        "observe",
        "import",
        &format!("{fixtures}/national-2021-2022.csv"),
    ]);
    for (format, lang) in [("docx", "zh"), ("html", "zh"), ("md", "en"), ("xlsx", "zh")] {
        let out = lib.0.path().join(format!("report.{format}"));
        let printed = lib.ok(&[
            "report",
            "中华人民共和国",
            "--year",
            "2022",
            "--kind",
            "midterm",
            "--format",
            format,
            "--lang",
            lang,
            "--date",
            "2023-12-26",
            "-o",
            out.to_str().expect("utf-8 path"),
        ]);
        assert!(printed.contains(&format!("report.{format}")));
        let bytes = std::fs::read(&out).expect("report written");
        assert!(bytes.len() > 1000, "{format}: {} bytes", bytes.len());
        match format {
            "docx" => {
                let mut z =
                    zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("docx is a zip");
                let mut xml = String::new();
                std::io::Read::read_to_string(
                    &mut z.by_name("word/document.xml").expect("document.xml"),
                    &mut xml,
                )
                .expect("utf-8");
                for h in [
                    "总体评价",
                    "主要指标完成情况",
                    "滞后指标分析",
                    "约束性指标",
                    "森林覆盖率",
                ] {
                    assert!(xml.contains(h), "docx lacks {h}");
                }
                let images = (0..z.len())
                    .filter(|&i| {
                        z.by_index(i)
                            .is_ok_and(|f| f.name().starts_with("word/media/"))
                    })
                    .count();
                assert!(images >= 15, "one chart per indicator with data: {images}");
            }
            "html" => {
                let html = String::from_utf8(bytes).expect("utf-8");
                assert!(html.contains("<meta charset") && html.contains("<svg"));
                assert!(html.contains("每千人口拥有3岁以下婴幼儿托位数"));
            }
            "md" => {
                let md = String::from_utf8(bytes).expect("utf-8");
                assert!(
                    md.contains("Overall assessment") || md.contains("Overall"),
                    "{}",
                    &md[..200.min(md.len())]
                );
            }
            _ => assert_eq!(&bytes[..2], b"PK"),
        }
    }
    let cmp = lib.0.path().join("compare.html");
    lib.ok(&[
        "compare",
        "--indicator",
        "森林覆盖率",
        "--format",
        "html",
        "-o",
        cmp.to_str().expect("utf-8 path"),
    ]);
    assert!(std::fs::read_to_string(&cmp)
        .expect("written")
        .contains("森林覆盖率"));
    let (code, _, err) = lib.run(&[
        "report",
        "中华人民共和国",
        "--year",
        "2022",
        "--format",
        "pdf",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("--format pdf"), "{err}");
}

/// The evaluate table: statuses counted in the method's order, every reason shown whole
/// (wrapped, not cut), and a year outside the plan refused.
#[test]
fn evaluate_table_orders_statuses_and_shows_whole_reasons() {
    let lib = library();
    let table = lib.ok(&["evaluate", "乌鲁木齐", "--year", "2023", "--all"]);
    let summary = table.lines().nth(1).unwrap_or_default();
    let at = |s: &str| {
        summary
            .find(s)
            .unwrap_or_else(|| panic!("{s} in {summary}"))
    };
    assert!(at("符合预期") < at("无法评估"), "{summary}");
    let v: serde_json::Value =
        serde_json::from_str(&lib.ok(&["evaluate", "乌鲁木齐", "--year", "2023", "--json"]))
            .expect("json");
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for r in v["results"].as_array().unwrap() {
        let reason = r["reason"].as_str().unwrap();
        assert!(
            squeeze(&table).contains(&squeeze(reason)),
            "reason of {} cut: {reason}",
            r["name"]
        );
    }
    let (code, _, err) = lib.run(&["evaluate", "乌鲁木齐", "--year", "2030"]);
    assert_eq!(code, 1);
    assert!(err.contains("outside the plan period 2021–2025"), "{err}");
}

/// Values entered for a delegated binding indicator (完成上级下达任务) are shown in
/// `compare` although there is no verdict.
#[test]
fn compare_shows_data_of_delegated_indicators() {
    let lib = library();
    lib.ok(&[
        "observe",
        "set",
        "乌鲁木齐",
        "单位地区生产总值能源消耗降低",
        "2022",
        "3.1",
        "--accept-outliers",
    ]);
    let v: serde_json::Value = serde_json::from_str(&lib.ok(&[
        "compare",
        "--indicator",
        "energy_intensity_reduction",
        "--json",
    ]))
    .expect("json");
    let row = v["plans"]
        .as_array()
        .and_then(|p| p.iter().find(|r| r["region"] == "乌鲁木齐市"))
        .unwrap_or_else(|| panic!("乌鲁木齐市 in {v}"));
    assert_eq!(row["status"], "not_assessable");
    assert_eq!(
        (row["latest"].as_f64(), row["latest_year"].as_i64()),
        (Some(3.1), Some(2022))
    );
    let table = lib.ok(&["compare", "--indicator", "energy_intensity_reduction"]);
    assert!(table.contains("3.1（2022）"), "{table}");
}

/// The method's parameters from a file or the command line change the verdicts, are
/// refused when misspelt or out of range, and are printed with the report.
#[test]
fn method_parameters_from_a_file_or_the_command_line() {
    let lib = library();
    let forest = |args: &[&str]| {
        let mut a = vec!["evaluate", "乌鲁木齐", "--year", "2023", "--json"];
        a.extend_from_slice(args);
        let v: serde_json::Value = serde_json::from_str(&lib.ok(&a)).expect("json");
        (
            status_of(&v, "森林覆盖率")["status"]
                .as_str()
                .unwrap()
                .to_string(),
            v["method"]["tolerance"].as_str().unwrap().to_string(),
        )
    };
    // Forest coverage (15.7 → 15.77) moves slowly: with two years measured it is not
    // called ahead by default; without the slow-level rule it is, unless the band is wide.
    assert_eq!(forest(&[]), ("on_track".to_string(), "0.2".to_string()));
    let file = lib.0.path().join("method.toml");
    std::fs::write(
        &file,
        "slow_change_rel = 0\n[abs_tolerance]\n\"人均预期寿命\" = 0.5\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    assert_eq!(forest(&["--params", f]).0, "ahead");
    assert_eq!(
        forest(&["--params", f, "--tolerance", "0.9"]),
        ("on_track".to_string(), "0.9".to_string())
    );
    // The command line wins over the file.
    std::fs::write(&file, "slow_change_rel = 0\ntolerance = 0.9\n").unwrap();
    assert_eq!(forest(&["--params", f]).0, "on_track");
    assert_eq!(forest(&["--params", f, "--tolerance", "0.2"]).0, "ahead");
    std::fs::write(&file, "[paths]\n\"不存在的指标\" = \"linear\"\n").unwrap();
    let (code, _, err) = lib.run(&["evaluate", "乌鲁木齐", "--year", "2023", "--params", f]);
    assert_eq!(code, 1);
    assert!(
        err.contains("paths.不存在的指标: no indicator or target"),
        "{err}"
    );
    std::fs::write(&file, "tolerence = 0.9\n").unwrap();
    let (code, _, err) = lib.run(&["evaluate", "乌鲁木齐", "--year", "2023", "--params", f]);
    assert_eq!(code, 1);
    assert!(
        err.contains("method.toml") && err.contains("tolerence"),
        "{err}"
    );
    // Not a parameters file at all: refused by its size before it is read.
    std::fs::write(&file, vec![b'#'; (1 << 20) + 1]).unwrap();
    let (code, _, err) = lib.run(&["evaluate", "乌鲁木齐", "--year", "2023", "--params", f]);
    assert_eq!(code, 1);
    assert!(
        err.contains("more than the 1048576 bytes read here"),
        "{err}"
    );
    let (code, _, err) = lib.run(&["evaluate", "乌鲁木齐", "--year", "2023", "--tolerance", "7"]);
    assert_eq!(code, 1);
    assert!(err.contains("--tolerance = 7"), "{err}");
    // The report prints the parameters it used.
    let out = lib.0.path().join("r.md");
    lib.ok(&[
        "report",
        "乌鲁木齐",
        "--year",
        "2023",
        "--format",
        "md",
        "--tolerance",
        "0.25",
        "--date",
        "2024-01-01",
        "-o",
        out.to_str().unwrap(),
    ]);
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains("附：评估方法参数"), "{md}");
    assert!(md.contains("| tolerance | 0.25 |"), "{md}");
}

/// Staff write the words, guihua brings the numbers: a narrative file merged into the
/// report in its places; a file with a paragraph under an unknown heading is refused.
#[test]
fn a_narrative_is_merged_into_the_report() {
    let lib = library();
    let words = lib.0.path().join("words.md");
    std::fs::write(
        &words,
        "# 主要成效\n\n生态保护修复成效明显。\n\n# 存在问题\n\n- 工业投资增长乏力\n\n# 下一步工作\n\n实施国土绿化行动。\n",
    )
    .unwrap();
    let out = lib.0.path().join("r.md");
    let args = |n: &str| {
        vec![
            "report".to_string(),
            "乌鲁木齐".into(),
            "--year".into(),
            "2023".into(),
            "--format".into(),
            "md".into(),
            "--date".into(),
            "2024-01-01".into(),
            "--narrative".into(),
            n.to_string(),
            "-o".into(),
            out.to_str().unwrap().to_string(),
            "--force".into(),
        ]
    };
    let a = args(words.to_str().unwrap());
    lib.ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let md = std::fs::read_to_string(&out).unwrap();
    let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("{s} in {md}"));
    assert!(at("### 主要成效") < at("生态保护修复成效明显。"));
    assert!(at("## 二、主要指标完成情况") > at("生态保护修复成效明显。"));
    assert!(at("### 存在的主要问题") > at("## 三、滞后指标分析"));
    assert!(at("工业投资增长乏力") > at("### 存在的主要问题"));
    assert!(at("实施国土绿化行动。") < at("### 根据监测数据的建议"));
    std::fs::write(&words, "# 主要成效\n好\n# 附件说明\n坏\n").unwrap();
    let a = args(words.to_str().unwrap());
    let (code, _, err) = lib.run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 1);
    assert!(err.contains("words.md: line 3"), "{err}");
    // The 公文 look for Word; an unknown style is refused.
    let doc = lib.0.path().join("r.docx");
    lib.ok(&[
        "report",
        "乌鲁木齐",
        "--year",
        "2023",
        "--style",
        "gongwen",
        "-o",
        doc.to_str().unwrap(),
        "--date",
        "2024-01-01",
    ]);
    assert!(std::fs::metadata(&doc).unwrap().len() > 1000);
    let (code, _, err) = lib.run(&["report", "乌鲁木齐", "--year", "2023", "--style", "fancy"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("--style fancy: expected standard or gongwen"),
        "{err}"
    );
}

/// 伊吾县 (a county) against 塔城地区 (a prefecture), two reference plans of the same
/// period: each indicator of the higher plan with its verdict, the totals not compared,
/// and the county's own indicators.
#[test]
fn align_a_county_with_a_prefecture() {
    let lib = library();
    let json = lib.ok(&["align", "伊吾", "--with", "塔城", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schema"], "guihua.alignment/1");
    assert_eq!(v["periods_differ"], false);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 21, "塔城's 21 main indicators");
    let verdict = |name: &str| {
        rows.iter()
            .find(|r| r["higher"]["name"] == name)
            .map(|r| {
                (
                    r["verdict"].as_str().unwrap().to_string(),
                    r["reason"].as_str().unwrap().to_string(),
                )
            })
            .unwrap_or_else(|| panic!("{name} not in {json}"))
    };
    assert_eq!(
        verdict("森林覆盖率"),
        (
            "weaker".into(),
            "水平值：本级4.42%，上级12.68%，本级目标低于上级要求（越高越好）".into()
        )
    );
    assert_eq!(verdict("常住人口城镇化率").0, "weaker");
    assert_eq!(verdict("基本养老保险参保率").0, "at_least_as_demanding");
    assert_eq!(verdict("全社会研发经费投入增长").0, "at_least_as_demanding");
    assert_eq!(verdict("单位地区生产总值能耗降低率").0, "delegated");
    assert_eq!(
        verdict("粮食综合生产能力"),
        (
            "not_comparable".into(),
            "总量指标（万吨）：上下级规模不同，不比较水平值".into()
        )
    );
    assert_eq!(verdict("每万人口发明专利拥有量").0, "missing");
    let count = |code: &str| rows.iter().filter(|r| r["verdict"] == code).count();
    assert_eq!(
        [
            count("missing"),
            count("weaker"),
            count("at_least_as_demanding"),
            count("delegated"),
            count("not_comparable")
        ],
        [4, 3, 5, 4, 5]
    );
    let own: Vec<&str> = v["unmatched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        own,
        [
            "每万人口高价值发明专利拥有量",
            "战略性新兴产业增加值占地区生产总值比例",
            "城镇调查失业率"
        ]
    );
    // The table says the same, with the counts.
    let table = lib.ok(&["align", "伊吾", "--with", "塔城"]);
    assert!(
        table.contains(
            "上级21项：缺少4（其中约束性0），低于上级3，不低于上级5，由上级下达4，无法比较5"
        ),
        "{table}"
    );
    // The audit report carries it as a section, and its JSON as a field.
    let audit = lib.ok(&["audit", "伊吾", "--with", "塔城"]);
    assert!(
        audit.contains("衔接 Alignment") && audit.contains("上级21项"),
        "{audit}"
    );
    let audit: serde_json::Value =
        serde_json::from_str(&lib.ok(&["audit", "伊吾", "--with", "塔城", "--json"])).unwrap();
    assert_eq!(audit["schema"], "guihua.audit/1");
    assert_eq!(audit["alignment"]["rows"].as_array().unwrap().len(), 21);
    // A plan with itself, or an unknown plan: refused.
    let (code, _, err) = lib.run(&["align", "伊吾", "--with", "伊吾"]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot be aligned with itself"), "{err}");
    let (code, _, _) = lib.run(&["align", "伊吾", "--with", "火星"]);
    assert_eq!(code, 1);
}

/// A government work report's paragraph imported as the annual targets of 乌鲁木齐's plan:
/// the matches asserted (by name and through the catalogue), what matched nothing and what
/// belongs to another year listed, nothing stored without --yes; then the evaluation of
/// that year measures the growth row against the stored target, a --target still wins,
/// and a level's annual target is refused by --target but kept for the report.
#[test]
fn annual_targets_from_a_government_work_report() {
    let lib = library();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let gwr = format!("{fixtures}/wlmq-gwr-2023.txt");
    let preview = lib.ok(&["annual", "import", "乌鲁木齐", "--year", "2023", &gwr]);
    for (clause, indicator, by) in [
        ("地区生产总值增长6%左右", "i1 地区生产总值增长", "name"),
        ("森林覆盖率达到15.72%", "i15 森林覆盖率", "name"),
        (
            "单位地区生产总值能耗降低2.5%左右",
            "i11 单位地区生产总值能源消耗降低",
            "energy_intensity_reduction",
        ),
        (
            "粮食产量稳定在3万吨以上",
            "i16 粮食综合生产能力",
            "grain_capacity",
        ),
    ] {
        let line = preview
            .lines()
            .find(|l| l.contains(clause))
            .unwrap_or_else(|| panic!("{clause} in {preview}"));
        assert!(line.contains(indicator) && line.contains(by), "{line}");
    }
    assert!(
        preview.contains("城镇调查失业率控制在5.5%以内"),
        "unmatched listed"
    );
    assert!(
        preview.contains("2035年  人均预期寿命达到80岁"),
        "another year listed"
    );
    assert!(preview.contains("nothing stored"));
    assert!(lib
        .ok(&["annual", "list", "乌鲁木齐"])
        .contains("no annual targets"));
    let stored = lib.ok(&[
        "annual",
        "import",
        "乌鲁木齐",
        "--year",
        "2023",
        &gwr,
        "--yes",
    ]);
    assert!(
        stored.contains("stored 4 annual targets for 2023"),
        "{stored}"
    );
    let list: serde_json::Value =
        serde_json::from_str(&lib.ok(&["annual", "list", "乌鲁木齐", "--json"])).unwrap();
    let cells: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["indicator_id"].as_str().unwrap(),
                t["cell"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        cells,
        [
            ("i1", "6%左右"),
            ("i11", "2.5%左右"),
            ("i15", "15.72%"),
            ("i16", "3万吨以上")
        ]
    );
    assert_eq!(list[0]["source"], "wlmq-gwr-2023.txt");
    assert_eq!(list[0]["line"], 2);
    // Again: nothing changes.
    let again = lib.ok(&[
        "annual",
        "import",
        "乌鲁木齐",
        "--year",
        "2023",
        &gwr,
        "--yes",
    ]);
    assert!(
        again.contains("stored 0 annual targets for 2023 (4 unchanged)"),
        "{again}"
    );
    // The evaluation of 2023 measures GDP growth against 6% 左右.
    for (y, v) in [("2021", "5.0"), ("2022", "3.0"), ("2023", "4.5")] {
        lib.ok(&["observe", "set", "乌鲁木齐", "地区生产总值增长", y, v]);
    }
    let reason = |args: &[&str]| -> String {
        let mut a = vec!["evaluate", "乌鲁木齐", "--year", "2023", "--json"];
        a.extend(args);
        let v: serde_json::Value = serde_json::from_str(&lib.ok(&a)).unwrap();
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "i1")
            .unwrap()["reason"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        reason(&[]).contains("目标年均增长6%左右"),
        "{}",
        reason(&[])
    );
    assert!(
        reason(&["--target", "地区生产总值增长=7左右"]).contains("目标年均增长7%左右"),
        "the flag wins"
    );
    // A level's annual target is not a rate to measure against.
    let (code, _, err) = lib.run(&[
        "evaluate",
        "乌鲁木齐",
        "--year",
        "2023",
        "--target",
        "森林覆盖率=15.72",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("is measured as a level"), "{err}");
    // The annual report shows the year's targets, levels included.
    let md = lib.0.path().join("annual-2023.md");
    lib.ok(&[
        "report",
        "乌鲁木齐",
        "--year",
        "2023",
        "--kind",
        "annual",
        "--format",
        "md",
        "-o",
        md.to_str().unwrap(),
    ]);
    let md = std::fs::read_to_string(md).unwrap();
    let forest = md
        .lines()
        .find(|l| l.contains("森林覆盖率") && l.contains("15.72%"))
        .unwrap_or_else(|| panic!("the level's annual target in the report:\n{md}"));
    assert!(forest.starts_with('|'), "{forest}");
    assert!(md
        .lines()
        .any(|l| l.contains("地区生产总值增长") && l.contains("6%左右")));
    // A fall on a growth row is stored as a negative rate; a reduction row takes the
    // amount; a unit that is not the row's, a minus on a reduction row, an exponent and the
    // base year are refused.
    // ("--" before the cell: a cell may start with a minus sign.)
    let set = |ind: &str, year: &str, cell: &str| {
        lib.run(&["annual", "set", "乌鲁木齐", ind, year, "--", cell])
    };
    assert_eq!(set("地区生产总值增长", "2024", "下降2%").0, 0);
    assert_eq!(
        set("单位地区生产总值能源消耗降低", "2024", "降低3%左右").0,
        0
    );
    let list: serde_json::Value =
        serde_json::from_str(&lib.ok(&["annual", "list", "乌鲁木齐", "--json"])).unwrap();
    let cell_of = |id: &str, year: i64| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|t| t["indicator_id"] == id && t["year"] == year)
            .map(|t| t["cell"].as_str().unwrap().to_string())
    };
    assert_eq!(cell_of("i1", 2024).as_deref(), Some("-2%"));
    assert_eq!(cell_of("i11", 2024).as_deref(), Some("3%左右"));
    for (ind, year, cell, why) in [
        (
            "地区生产总值增长",
            "2024",
            "130亿元",
            "does not fit the row",
        ),
        (
            "单位地区生产总值能源消耗降低",
            "2024",
            "-3",
            "counts the amount of reduction",
        ),
        ("地区生产总值增长", "2024", "1e308", "exponent"),
        (
            "地区生产总值增长",
            "2020",
            "6",
            "not a year of the plan period",
        ),
    ] {
        let (code, _, err) = set(ind, year, cell);
        assert_eq!(code, 1, "{cell}");
        assert!(
            err.contains(why) || (why == "exponent" && err.contains("no exponents")),
            "{cell}: {err}"
        );
    }
    // By hand: a cell without a number is refused; a year outside the plan too.
    let (code, _, err) = lib.run(&["annual", "set", "乌鲁木齐", "森林覆盖率", "2023", "更高"]);
    assert_eq!(code, 1, "{err}");
    let (code, _, _) = lib.run(&["annual", "set", "乌鲁木齐", "森林覆盖率", "2031", "16"]);
    assert_eq!(code, 1);
    // A wrong target is removed, with history; removing it again says there is none.
    assert!(lib
        .ok(&["annual", "remove", "乌鲁木齐", "地区生产总值增长", "2024"])
        .contains("removed"));
    let (code, _, err) = lib.run(&["annual", "remove", "乌鲁木齐", "地区生产总值增长", "2024"]);
    assert_eq!(code, 1);
    assert!(err.contains("has no annual target for 2024"), "{err}");
    // The history keeps who set what.
    let history = lib.ok(&["history", "乌鲁木齐"]);
    assert!(
        history.contains("annual_targets") && history.contains("6%左右"),
        "{history}"
    );
}

/// A 十五五 plan's review table becomes the observations of the same region's 十四五 plan:
/// shown first, stored with --yes (the new plan's line as the source), a value already
/// stored kept, an average over the period not taken as one year's value; the final
/// evaluation of the 十四五 plan then runs from it.
#[test]
fn the_review_table_closes_the_previous_plan() {
    let lib = Lib(tempfile::tempdir().expect("tmp"));
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/shili-xian.txt");
    let next = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/shili-xian-15th-review.txt"
    );
    lib.ok(&["add", example, next]);
    lib.ok(&["observe", "set", "1", "森林覆盖率", "2025", "21.7"]);
    let shown = lib.ok(&["review", "2"]);
    for (name, outcome) in [
        ("常住人口城镇化率", "将写入 i2 2025: 55.6"),
        ("森林覆盖率", "保留已有 i7 2025: 21.7（回顾表为 21.8）"),
        ("地区生产总值增长", "不作为年度数值"),
        ("粮食综合生产能力", "将写入 i8 2025: 34.2"),
    ] {
        let line = shown
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name}: {shown}"));
        assert!(line.contains(outcome), "{line}");
    }
    assert!(shown.contains("nothing stored: 2 values would be written"));
    let obs = |lib: &Lib| -> serde_json::Value {
        serde_json::from_str(&lib.ok(&["observe", "export", "--plan", "1", "--format", "json"]))
            .unwrap()
    };
    assert_eq!(
        obs(&lib).as_array().map(Vec::len),
        Some(1),
        "nothing stored yet"
    );
    assert!(lib
        .ok(&["review", "2", "--yes"])
        .contains("stored 2 observations of plan 1"));
    let all = obs(&lib);
    let urban = all
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "i2")
        .unwrap_or_else(|| panic!("{all}"));
    assert_eq!(urban["value"], 55.6);
    assert!(
        urban["source"]
            .as_str()
            .unwrap()
            .contains("第5行（规划回顾）"),
        "{urban}"
    );
    // Once stored, again: everything is kept.
    assert!(lib
        .ok(&["review", "2", "--yes"])
        .contains("stored 0 observations"));
    // The final evaluation of the 十四五 plan runs from the 十五五 document's figures.
    let v: serde_json::Value =
        serde_json::from_str(&lib.ok(&["evaluate", "1", "--year", "2025", "--json"])).unwrap();
    let status = |id: &str| {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("i2"), "achieved");
    assert_eq!(status("i8"), "lagging");
    // compare joins the region's two plans into one series, 2020 base to 2030 target.
    lib.ok(&["observe", "set", "2", "森林覆盖率", "2026", "21.95"]);
    let cmp = lib.ok(&["compare", "--indicator", "森林覆盖率"]);
    assert!(cmp.contains("跨规划期序列"), "{cmp}");
    let line = |year: &str| {
        cmp.lines()
            .find(|l| l.trim_start().starts_with(year))
            .unwrap_or_else(|| panic!("{year}: {cmp}"))
            .to_string()
    };
    assert!(
        line("2020").contains("2021–2025 基期 20.1"),
        "{}",
        line("2020")
    );
    assert!(
        line("2025").contains("21.7") && line("2025").contains("2026–2030 基期 21.8"),
        "{}",
        line("2025")
    );
    assert!(line("2026").contains("21.95") && line("2026").contains("2026–2030"));
    assert!(line("2030").contains("2026–2030 目标 22.5"));
    // A plan without a review table, or reviewing itself: refused.
    let (code, _, err) = lib.run(&["review", "1"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no table reviewing the previous plan"),
        "{err}"
    );
    let (code, _, _) = lib.run(&["review", "2", "--into", "2"]);
    assert_eq!(code, 1);
    // Another region's plan is never the one closed.
    lib.ok(&["add", &common::seed("002")]);
    let (code, _, err) = lib.run(&["review", "2", "--into", "3"]);
    assert_eq!(code, 1);
    assert!(err.contains("is not the plan before plan 2"), "{err}");
}

/// Annual targets from a sheet: every row checked (its year, its indicator, a target the
/// method reads), any bad row refuses the file with each row's place; a good sheet is
/// stored with its rows' sources.
#[test]
fn annual_targets_from_a_sheet() {
    let lib = library();
    let dir = lib.0.path();
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "指标,年份,目标\n地区生产总值增长,2023,5左右\n火星指标,2024,1\n森林覆盖率,2024,很高\n",
    )
    .unwrap();
    let (code, _, err) = lib.run(&[
        "annual",
        "import",
        "乌鲁木齐",
        "--year",
        "2024",
        bad.to_str().unwrap(),
        "--yes",
    ]);
    assert_eq!(code, 1);
    for want in [
        "row 2, column B (年份): 2023 is not the year imported (2024)",
        "row 3, column A (指标): 火星指标",
        "row 4, column C (目标): '很高' states no target",
        "3 rows cannot be read; nothing stored",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    assert!(lib
        .ok(&["annual", "list", "乌鲁木齐"])
        .contains("no annual targets"));
    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        "指标,年份,目标,来源\n地区生产总值增长,2024,5.5左右,2024年政府工作报告\ni15,2024,15.74,\n",
    )
    .unwrap();
    let out = lib.ok(&[
        "annual",
        "import",
        "乌鲁木齐",
        "--year",
        "2024",
        good.to_str().unwrap(),
        "--yes",
    ]);
    assert!(out.contains("stored 2 annual targets for 2024"), "{out}");
    let list: serde_json::Value =
        serde_json::from_str(&lib.ok(&["annual", "list", "乌鲁木齐", "--json"])).unwrap();
    assert_eq!(list[0]["source"], "2024年政府工作报告");
    assert_eq!(
        list[1]["source"], "good.csv",
        "the file when the row names none"
    );
}
