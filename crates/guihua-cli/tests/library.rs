//! End-to-end tests of the plan library through the `guihua` binary: the five seeds
//! added, templates filled programmatically and imported, exports equal to the inputs,
//! history, re-adding, revisions, every bad-row case, and a process killed mid-import.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use calamine::{Data, Reader};

const BIN: &str = env!("CARGO_BIN_EXE_guihua");

struct Lib {
    dir: tempfile::TempDir,
    /// These tests write synthetic values (far from what the plans expect): confirm them,
    /// except where a test checks the plausibility warnings themselves.
    accept_outliers: bool,
}

impl Lib {
    fn new() -> Lib {
        Lib {
            dir: tempfile::tempdir().unwrap(),
            accept_outliers: true,
        }
    }
    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.arg("--data")
            .arg(self.data())
            .args(["--user", "测试员"])
            .args(args)
            .env_remove("GUIHUA_DATA");
        // `observe set|import`, wherever global options put the words.
        let writes_values =
            args.contains(&"observe") && args.iter().any(|a| *a == "import" || *a == "set");
        if self.accept_outliers && writes_values {
            c.arg("--accept-outliers");
        }
        c
    }
    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }
    /// Run, expect success, return stdout.
    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "guihua {args:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }
    /// Run, expect failure, return stderr.
    fn fail(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(o.status.code(), Some(1), "guihua {args:?} should fail");
        String::from_utf8_lossy(&o.stderr).into_owned()
    }
    fn add_seeds(&self) {
        let files: Vec<String> = common::seeds()
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let mut args = vec!["add"];
        args.extend(files.iter().map(String::as_str));
        let out = self.ok(&args);
        assert_eq!(out.matches("added ").count(), 5, "{out}");
    }
    fn export_csv(&self, plan: &str) -> Vec<Vec<String>> {
        let out = self.ok(&["observe", "export", "--plan", plan, "--format", "csv"]);
        let mut r = csv::Reader::from_reader(out.as_bytes());
        r.records()
            .map(|x| x.unwrap().iter().map(String::from).collect())
            .collect()
    }
}

fn write_csv(path: &Path, rows: &[&[&str]]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    for r in rows {
        w.write_record(*r).unwrap();
    }
    w.flush().unwrap();
}

#[test]
fn add_list_show_readd_revise() {
    let lib = Lib::new();
    lib.add_seeds();
    // Re-adding is a no-op.
    let again = lib.ok(&["add", &common::seeds()[1].display().to_string()]);
    assert!(again.starts_with("unchanged 2"), "{again}");
    let list = lib.ok(&["list", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 5);
    // show by id, region, prefix; CJK table and JSON.
    assert!(lib.ok(&["show", "乌鲁木齐市"]).contains("17 indicators"));
    let inds = lib.ok(&["show", "乌鲁", "indicators"]);
    assert!(inds.contains("energy_intensity_reduction"), "{inds}");
    let j: serde_json::Value =
        serde_json::from_str(&lib.ok(&["show", "4", "targets", "--json"])).unwrap();
    assert!(j.as_array().unwrap().len() > 10);
    assert!(lib.ok(&["show", "塔城", "outline"]).contains("[p1/c1]"));
    assert!(lib.ok(&["show", "塔城", "projects"]).contains("j1"));
    assert!(lib.fail(&["show", "不存在"]).starts_with("guihua: "));

    // Decisions about the old version carry over to a revision.
    lib.ok(&["department", "assign", "2", "森林覆盖率", "林草局"]);
    lib.ok(&["indicator", "link", "2", "i4", "strategic_emerging_share"]);
    lib.ok(&[
        "observe",
        "set",
        "2",
        "森林覆盖率",
        "2021",
        "15.7",
        "--source",
        "2021年统计公报",
    ]);

    // A revision (规划调整) keeps both versions.
    let text = std::fs::read_to_string(&common::seeds()[1])
        .unwrap()
        .replace("15.77", "16.1");
    let revised = lib.path("乌鲁木齐市-调整.txt");
    std::fs::write(&revised, text).unwrap();
    let out = lib.ok(&["add", &revised.display().to_string(), "--revises", "2"]);
    assert!(out.contains("version 2, revising plan 2"), "{out}");
    let list: serde_json::Value = serde_json::from_str(&lib.ok(&["list", "--json"])).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 6);
    assert!(lib.ok(&["show", "2", "indicators"]).contains("15.77"));
    assert!(lib
        .ok(&["show", "乌鲁木齐市", "indicators"])
        .contains("16.1"));
    assert!(lib.ok(&["show", "2"]).contains("superseded by plan 6"));
    assert!(lib.ok(&["show", "6", "--by-department"]).contains("林草局"));
    let carried = lib.export_csv("6");
    assert_eq!(carried.len(), 1);
    assert_eq!(
        (
            carried[0][2].as_str(),
            carried[0][6].as_str(),
            carried[0][7].as_str()
        ),
        ("i15", "15.7", "2021年统计公报")
    );
    assert_eq!(
        lib.export_csv("2").len(),
        1,
        "the original stays with version 1"
    );
    assert!(lib
        .ok(&["show", "6", "indicators"])
        .contains("strategic_emerging_share"));
    let h = lib.ok(&["history", "2"]);
    assert!(h.contains("revised_by"), "{h}");

    // Soft removal: gone from the list, history kept.
    lib.ok(&["remove", "5"]);
    assert!(lib.fail(&["show", "5"]).contains("no plan"));
    let list: serde_json::Value = serde_json::from_str(&lib.ok(&["list", "--json"])).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 5);
    let back = lib.ok(&["add", &common::seeds()[4].display().to_string()]);
    assert!(back.starts_with("restored 5"), "{back}");

    // Review: the seeds' tables all link with confidence ≥ 0.9; a higher bar lists them.
    assert!(lib
        .ok(&["indicator", "review"])
        .starts_with("nothing to review"));
    assert!(lib
        .ok(&["indicator", "review", "2", "--below", "1.01"])
        .contains("森林覆盖率"));

    // Manual catalogue links.
    lib.ok(&["indicator", "unlink", "2", "i15"]);
    assert!(lib.ok(&["show", "2", "indicators"]).contains("(none)"));
    lib.ok(&["indicator", "link", "2", "i15", "森林覆盖率"]);
    let h = lib.ok(&["history", "2", "--indicator", "i15"]);
    assert!(h.contains("forest_coverage"), "{h}");
    // Manual links are settled: no longer up for review.
    assert!(!lib
        .ok(&["indicator", "review", "2", "--below", "1.01"])
        .contains("森林覆盖率"));
    assert!(lib
        .fail(&["indicator", "link", "2", "i15", "没有这个"])
        .contains("not in the indicator catalogue"));
}

/// Read a template, fill 本年实际值/数据来源/备注 of every row, write it back as a new
/// workbook with the same sheets (as a department's spreadsheet program would).
fn fill_template(
    template: &Path,
    out: &Path,
    value: impl Fn(usize) -> f64,
) -> Vec<(String, String, String, String)> {
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(template).unwrap();
    let names = wb.sheet_names().to_vec();
    assert_eq!(names, vec!["填报表".to_string(), "_guihua".to_string()]);
    let mut book = rust_xlsxwriter::Workbook::new();
    let mut filled = Vec::new();
    for n in &names {
        let range = wb.worksheet_range(n).unwrap();
        let ws = book.add_worksheet();
        ws.set_name(n).unwrap();
        for (r, row) in range.rows().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Data::String(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    Data::Float(f) => {
                        ws.write_number(r, c, *f).unwrap();
                    }
                    Data::Int(i) => {
                        ws.write_number(r, c, *i as f64).unwrap();
                    }
                    _ => {}
                }
            }
            if n == "填报表" && r >= 2 {
                let id = match &row[0] {
                    Data::String(s) => s.clone(),
                    other => panic!("id cell {other:?}"),
                };
                let v = value(r);
                let src = format!("{}年统计公报", 2023);
                let note = if r % 3 == 0 {
                    format!("备注{r}")
                } else {
                    String::new()
                };
                ws.write_number(r as u32, 6, v).unwrap();
                ws.write_string(r as u32, 7, &src).unwrap();
                if !note.is_empty() {
                    ws.write_string(r as u32, 8, &note).unwrap();
                }
                filled.push((
                    id,
                    "2023".to_string(),
                    guihua_store::fmt_num(v),
                    src + "|" + &note,
                ));
            }
        }
    }
    book.save(out).unwrap();
    filled
}

#[test]
fn template_fill_import_export_roundtrip() {
    let lib = Lib::new();
    lib.add_seeds();
    let tpl = lib.path("填报表.xlsx");
    let out = lib.ok(&[
        "template",
        "伊吾县",
        "--year",
        "2023",
        "--targets",
        "-o",
        &tpl.display().to_string(),
    ]);
    assert!(out.contains("rows written"), "{out}");
    // Input cells are validated (decimal) and the sheet is protected.
    let mut z = zip::ZipArchive::new(std::fs::File::open(&tpl).unwrap()).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut z.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(
        sheet.contains(r#"<dataValidation type="decimal""#),
        "{sheet}"
    );
    assert!(sheet.contains("<sheetProtection"));
    // The unfilled template imports as nothing.
    assert!(lib
        .ok(&["observe", "import", &tpl.display().to_string()])
        .contains("0 rows imported"));

    let filled = lib.path("已填.xlsx");
    let inputs = fill_template(&tpl, &filled, |r| 10.0 + r as f64 * 0.25);
    assert!(inputs.len() > 40);
    let out = lib.ok(&["observe", "import", &filled.display().to_string()]);
    assert!(out.contains(&format!("{} new", inputs.len())), "{out}");

    // Export equals the inputs.
    let rows = lib.export_csv("伊吾县");
    let got: BTreeSet<(String, String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r[2].clone(),
                r[5].clone(),
                r[6].clone(),
                format!("{}|{}", r[7], r[8]),
            )
        })
        .collect();
    let want: BTreeSet<_> = inputs.iter().cloned().collect();
    assert_eq!(got, want);
    assert!(rows.iter().all(|r| r[9] == "测试员"));

    // The export re-imports as a no-op; so does the same workbook.
    let csv_path = lib.path("export.csv");
    lib.ok(&[
        "observe",
        "export",
        "--plan",
        "3",
        "-o",
        &csv_path.display().to_string(),
    ]);
    let out = lib.ok(&["observe", "import", &csv_path.display().to_string()]);
    assert!(
        out.contains(&format!("0 new, 0 changed, {} unchanged", inputs.len())),
        "{out}"
    );
    let out = lib.ok(&["observe", "import", &filled.display().to_string()]);
    assert!(out.contains("0 changed"), "{out}");

    // JSON and XLSX exports carry the same values.
    let j: serde_json::Value =
        serde_json::from_str(&lib.ok(&["observe", "export", "--plan", "3", "--format", "json"]))
            .unwrap();
    assert_eq!(j.as_array().unwrap().len(), inputs.len());
    let x = lib.path("export.xlsx");
    lib.ok(&[
        "observe",
        "export",
        "--plan",
        "3",
        "--format",
        "xlsx",
        "-o",
        &x.display().to_string(),
    ]);
    let out = lib.ok(&["observe", "import", &x.display().to_string()]);
    assert!(out.contains("0 changed"), "{out}");

    // A second round with new values: every change is in the history with old → new.
    let filled2 = lib.path("已填2.xlsx");
    let inputs2 = fill_template(&tpl, &filled2, |r| 20.0 + r as f64);
    let out = lib.ok(&[
        "--why",
        "年报修正",
        "observe",
        "import",
        &filled2.display().to_string(),
    ]);
    assert!(out.contains(&format!("{} changed", inputs2.len())), "{out}");
    let h: serde_json::Value = serde_json::from_str(&lib.ok(&["history", "3", "--json"])).unwrap();
    let changes: Vec<_> = h
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["table"] == "observations" && e["field"] == "value" && e["old"].is_string())
        .collect();
    assert_eq!(changes.len(), inputs2.len());
    assert!(changes
        .iter()
        .all(|e| e["why"] == "年报修正" && e["who"] == "测试员"));
    let first = &inputs[0];
    let one = lib.ok(&["history", "3", "--indicator", &first.0]);
    assert!(one.contains(&first.2) && one.contains("年报修正"), "{one}");

    // Department templates.
    lib.ok(&["department", "add", "统计局"]);
    lib.ok(&["department", "assign", "3", "i1", "统计局"]);
    lib.ok(&["department", "assign", "3", "森林覆盖率", "林草局", "--co"]);
    let by = lib.ok(&["show", "3", "--by-department"]);
    assert!(by.contains("统计局") && by.contains("配合"), "{by}");
    let dt = lib.path("林草局.xlsx");
    let out = lib.ok(&[
        "template",
        "3",
        "--year",
        "2024",
        "--department",
        "林草局",
        "-o",
        &dt.display().to_string(),
    ]);
    assert!(out.starts_with("1 rows"), "{out}");
    assert!(lib
        .fail(&[
            "template",
            "3",
            "--year",
            "2024",
            "--department",
            "无此部门"
        ])
        .contains("nothing assigned"));

    // The assignment table from .xlsx (a title row above the header is fine).
    let asg = lib.path("分工.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("分工表").unwrap();
    ws.write_string(0, 0, "伊吾县“十四五”规划主要指标分工")
        .unwrap();
    for (c, h) in ["编号", "牵头部门", "配合部门"].iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (r, (id, lead, co)) in [
        ("i2", "人社局", "统计局"),
        ("i3", "住建局", "发改委、统计局"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(r as u32 + 2, 0, *id).unwrap();
        ws.write_string(r as u32 + 2, 1, *lead).unwrap();
        ws.write_string(r as u32 + 2, 2, *co).unwrap();
    }
    wb.save(&asg).unwrap();
    let out = lib.ok(&[
        "department",
        "import",
        "--plan",
        "3",
        &asg.display().to_string(),
    ]);
    assert!(out.contains("2 rows imported (5 new"), "{out}");
    let by = lib.ok(&["show", "3", "--by-department"]);
    assert!(by.contains("住建局") && by.contains("人社局"), "{by}");

    // A chapter assignment brings the prose targets of that chapter into the template.
    let targets: serde_json::Value =
        serde_json::from_str(&lib.ok(&["show", "3", "targets", "--json"])).unwrap();
    let targets = targets.as_array().unwrap();
    let section = targets
        .iter()
        .find_map(|t| t["section"].as_str())
        .expect("a target with a section")
        .to_string();
    let chapter = section.split('/').take(2).collect::<Vec<_>>().join("/");
    let in_chapter = targets
        .iter()
        .filter(|t| {
            t["section"]
                .as_str()
                .is_some_and(|s| s == chapter || s.starts_with(&format!("{chapter}/")))
        })
        .count();
    assert!(in_chapter > 0);
    lib.ok(&["department", "assign", "3", &chapter, "发展改革委"]);
    let out = lib.ok(&[
        "template",
        "3",
        "--year",
        "2024",
        "--department",
        "发展改革委",
        "-o",
        &lib.path("发改委.xlsx").display().to_string(),
    ]);
    assert!(
        out.starts_with(&format!("{in_chapter} rows")),
        "{out} (chapter {chapter})"
    );
}

#[test]
fn bad_rows_are_listed_and_nothing_is_imported() {
    let lib = Lib::new();
    lib.add_seeds();
    lib.ok(&[
        "observe",
        "set",
        "塔城地区",
        "森林覆盖率",
        "2021",
        "12.6",
        "--source",
        "2021年统计公报",
    ]);
    let before = lib.export_csv("4");
    let bad = lib.path("bad.csv");
    write_csv(
        &bad,
        &[
            &["指标", "年份", "实际值", "数据来源", "备注"],
            &["森林覆盖率", "2022", "12.7", "2022年统计公报", ""],
            &["常住人口城镇化率", "2022", "五十一", "", ""],
            &["不存在的指标", "2022", "1", "", ""],
            &["城镇登记失业率", "2031", "3.1", "", ""],
            &["森林覆盖率", "2022", "12.8", "", ""],
            &["学前教育毛入园率", "二〇二二", "98", "", ""],
            &["单位GDP能耗降低", "2022", "3.2", "", ""],
        ],
    );
    let err = lib.fail(&[
        "observe",
        "import",
        "--plan",
        "4",
        &bad.display().to_string(),
    ]);
    let expect = [
        "row 3, column C (实际值): text in a number cell: '五十一' is not a number",
        "row 4, column A (指标): unknown 指标/目标 不存在的指标",
        "row 5, column B (年份): year 2031 is outside the plan period 2020–2025",
        "row 6, column A (指标): duplicate row: same 指标 and year as row 2",
        "row 7, column B (年份): text in a number cell: '二〇二二' is not a year",
        "rejected, 5 of 7 rows are bad; nothing imported",
    ];
    for e in expect {
        assert!(err.contains(e), "missing {e:?} in:\n{err}");
    }
    // The alias row (单位GDP能耗降低 → i15) is fine and is not an error.
    assert!(!err.contains("row 8"), "{err}");
    assert_eq!(lib.export_csv("4"), before, "nothing half-imported");

    // Wrong sheet: a workbook without the expected columns.
    let wrong = lib.path("wrong.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("项目").unwrap();
    ws.write_string(0, 0, "项目名称").unwrap();
    ws.write_string(0, 1, "投资").unwrap();
    wb.save(&wrong).unwrap();
    let err = lib.fail(&[
        "observe",
        "import",
        "--plan",
        "4",
        &wrong.display().to_string(),
    ]);
    assert!(err.contains("wrong sheet") && err.contains("项目"), "{err}");
    // A sheet whose used range is the whole grid (A1:XFD1048576) is read sparsely.
    let sparse = lib.path("sparse.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["编号", "年份", "实际值"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save(&sparse).unwrap();
    let out = lib.ok(&[
        "observe",
        "import",
        "--plan",
        "4",
        &sparse.display().to_string(),
    ]);
    assert!(out.contains("0 rows imported"), "{out}");
    // Not a spreadsheet at all.
    let junk = lib.path("junk.xlsx");
    std::fs::write(&junk, b"PK\x03\x04garbage").unwrap();
    assert!(lib
        .fail(&[
            "observe",
            "import",
            "--plan",
            "4",
            &junk.display().to_string()
        ])
        .contains("not a readable .xlsx"));

    // --skip-invalid: the good rows go in, the bad ones to the rejects file.
    let rejects = lib.path("rejects.csv");
    let out = lib.ok(&[
        "observe",
        "import",
        "--plan",
        "4",
        "--skip-invalid",
        "--rejects",
        &rejects.display().to_string(),
        &bad.display().to_string(),
    ]);
    assert!(out.contains("2 rows imported (2 new"), "{out}");
    let rej = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(rej.lines().count(), 6, "{rej}");
    assert!(rej.contains("五十一") && rej.contains("C (实际值)"));
    let after = lib.export_csv("4");
    assert_eq!(after.len(), 3);

    // Assignment and project-status imports are checked the same way.
    let asg = lib.path("分工.csv");
    write_csv(
        &asg,
        &[
            &["编号", "牵头部门", "配合部门"],
            &["i19", "林草局", "自然资源局、生态环境局"],
            &["j9999", "发改委", ""],
            &["i3", "", ""],
        ],
    );
    let err = lib.fail(&[
        "department",
        "import",
        "--plan",
        "4",
        &asg.display().to_string(),
    ]);
    assert!(
        err.contains("row 3, column A (编号): unknown")
            && err.contains("row 4, column B (牵头部门): no department"),
        "{err}"
    );
    assert!(lib
        .ok(&["show", "4", "--by-department"])
        .contains("no assignments"));
    let ps = lib.path("项目.csv");
    write_csv(
        &ps,
        &[
            &["编号", "年份", "状态", "计划投资", "完成投资", "里程碑"],
            &["j1", "2022", "在建", "10", "4.5", "主体完工"],
            &["j2", "2022", "完成了", "", "", ""],
            &["j3", "2022", "前期", "十亿", "", ""],
        ],
    );
    let err = lib.fail(&[
        "project",
        "import",
        "--plan",
        "4",
        &ps.display().to_string(),
    ]);
    assert!(
        err.contains("row 3, column C (状态)") && err.contains("row 4, column D (计划投资)"),
        "{err}"
    );
    let out = lib.ok(&[
        "project",
        "import",
        "--plan",
        "4",
        "--skip-invalid",
        &ps.display().to_string(),
    ]);
    assert!(out.contains("1 rows imported"), "{out}");
    assert!(lib.ok(&["project", "list", "4"]).contains("主体完工"));
    lib.ok(&[
        "project",
        "status",
        "4",
        "j1",
        "--year",
        "2023",
        "--status",
        "建成",
        "--completed",
        "5.5",
    ]);
    assert!(lib
        .ok(&["history", "4", "--project", "j1"])
        .contains("建成"));
}

/// A file too large for an import is refused by its size before it is read (a sparse
/// file: nothing is written to disk).
#[test]
fn an_import_file_too_large_is_refused_unread() {
    let lib = Lib::new();
    lib.add_seeds();
    let big = lib.path("big.csv");
    std::fs::File::create(&big)
        .unwrap()
        .set_len((256 << 20) + 1)
        .unwrap();
    let err = lib.fail(&["observe", "import", big.to_str().unwrap(), "--plan", "1"]);
    assert!(
        err.contains("more than the 268435456 bytes read here; rejected, nothing imported"),
        "{err}"
    );
}

#[test]
fn backup_and_restore_while_in_use() {
    let lib = Lib::new();
    lib.add_seeds();
    lib.ok(&["observe", "set", "2", "i15", "2021", "15.7"]);
    let snap = lib.path("snap.sqlite");
    lib.ok(&["backup", &snap.display().to_string()]);
    lib.ok(&["observe", "set", "2", "i15", "2022", "15.75"]);
    assert_eq!(lib.export_csv("2").len(), 2);
    lib.ok(&["restore", &snap.display().to_string()]);
    assert_eq!(lib.export_csv("2").len(), 1);
    let not_db = lib.path("x.sqlite");
    std::fs::write(&not_db, "hello").unwrap();
    assert!(lib
        .fail(&["restore", &not_db.display().to_string()])
        .starts_with("guihua: "));
    assert_eq!(lib.export_csv("2").len(), 1);
}

/// Kill the process inside the import transaction; the store must be exactly as before.
#[test]
fn killed_import_leaves_store_unchanged() {
    let lib = Lib::new();
    lib.add_seeds();
    // Eighty more plans: the seeds with their region renamed (numbers perturbed too).
    let mut extra = Vec::new();
    for (n, seed) in common::seeds().iter().cycle().take(80).enumerate() {
        let text = std::fs::read_to_string(seed).unwrap();
        let text = text
            .replace("乌鲁木齐市", &format!("测试{n}市"))
            .replace("塔城地区", &format!("测试{n}地区"))
            .replace("伊吾县", &format!("测试{n}县"))
            .replace("阿拉尔市", &format!("测试{n}师市"))
            .replace("阿拉善左旗", &format!("测试{n}旗"))
            .replace("2020年", &format!("2020年{}", " ".repeat(n % 3)))
            + &format!("\n生成{n}\n");
        let p = lib.path(&format!("plan{n}.txt"));
        std::fs::write(&p, text).unwrap();
        extra.push(p.display().to_string());
    }
    let mut args = vec!["add"];
    args.extend(extra.iter().map(String::as_str));
    lib.ok(&args);
    lib.ok(&["observe", "set", "2", "i15", "2021", "15.7"]);

    // A large CSV: every indicator and target of every plan, six years.
    let plans: serde_json::Value = serde_json::from_str(&lib.ok(&["list", "--json"])).unwrap();
    let big = lib.path("big.csv");
    let mut w = csv::Writer::from_path(&big).unwrap();
    w.write_record(["规划", "编号", "年份", "实际值", "数据来源"])
        .unwrap();
    let mut rows = 0;
    for p in plans.as_array().unwrap() {
        let id = p["id"].to_string();
        let ids: Vec<String> = (1..=p["indicators"].as_i64().unwrap())
            .map(|i| format!("i{i}"))
            .chain((1..=p["targets"].as_i64().unwrap()).map(|t| format!("t{t}")))
            .collect();
        for s in &ids {
            for y in 2020..=2025 {
                if id == "2" && s == "i15" && y == 2021 {
                    continue;
                }
                w.write_record([
                    id.as_str(),
                    s,
                    &y.to_string(),
                    &format!("{}.5", rows % 97),
                    "测试",
                ])
                .unwrap();
                rows += 1;
            }
        }
    }
    w.flush().unwrap();
    assert!(rows > 20_000, "only {rows} rows");
    let before = lib.export_csv("2");
    let before_all = lib.ok(&["observe", "export"]);
    let history_before = lib.ok(&["history", "2", "--json"]);

    let mut child = lib
        .cmd(&["observe", "import", &big.display().to_string()])
        .env("GUIHUA_DEBUG_STALL_AT", (rows / 2).to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the import is inside its transaction, halfway through.
    let mut stderr = child.stderr.take().unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 256];
    while !seen.contains("stalled after") {
        use std::io::Read;
        let n = stderr.read(&mut buf).unwrap();
        assert!(n > 0, "import ended without stalling: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    // While the import holds its write transaction, readers and backup still work and
    // see the store as before the import.
    assert_eq!(lib.export_csv("2"), before);
    let snap = lib.path("during-import.sqlite");
    lib.ok(&["backup", &snap.display().to_string()]);
    // A restore now would take the import's rows away after it reports success: refused.
    let o = lib.run(&["restore", &snap.display().to_string()]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("the library is being written"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success());

    // Reopen: nothing of the import is there, history unchanged, the file is intact.
    assert_eq!(lib.export_csv("2"), before);
    assert_eq!(lib.ok(&["observe", "export"]), before_all);
    assert_eq!(lib.ok(&["history", "2", "--json"]), history_before);
    let conn = rusqlite::Connection::open(lib.data().join("guihua.sqlite")).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);

    // The snapshot taken during the import is the pre-import store.
    let other = Lib::new();
    other.ok(&["restore", &snap.display().to_string()]);
    assert_eq!(other.ok(&["observe", "export"]), before_all);

    // Without the hook: kill after a while, wherever the import is. The store holds either
    // none of the file or all of it — never a part.
    let mut child = lib
        .cmd(&["observe", "import", &big.display().to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    let _ = child.kill();
    let _ = child.wait();
    let after = lib.ok(&["observe", "export"]);
    let n_after = after.lines().count() - 1;
    let n_before = before_all.lines().count() - 1;
    assert!(
        after == before_all || n_after == n_before + rows,
        "partial import: {n_before} before, {n_after} after, file has {rows}"
    );
    let complete = n_after == n_before + rows;

    // The same import run to the end goes in whole.
    let out = lib.ok(&["observe", "import", &big.display().to_string()]);
    let expected = if complete {
        format!("{rows} rows imported (0 new, 0 changed, {rows} unchanged)")
    } else {
        format!("{rows} rows imported ({rows} new")
    };
    assert!(out.contains(&expected), "{out}");
}

#[test]
fn gbk_csv_from_excel_imports() {
    let lib = Lib::new();
    lib.add_seeds();
    let text = "指标,年份,实际值,数据来源\n森林覆盖率,2022,12.7,2022年统计公报\n";
    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
    let p = lib.path("gbk.csv");
    std::fs::write(&p, &bytes).unwrap();
    let out = lib.ok(&[
        "observe",
        "import",
        "--plan",
        "塔城地区",
        &p.display().to_string(),
    ]);
    assert!(out.contains("1 rows imported (1 new"), "{out}");
    assert_eq!(lib.export_csv("4")[0][7], "2022年统计公报");
    // English headers; indicators by catalogue id and by alias.
    let en = lib.path("en.csv");
    write_csv(
        &en,
        &[
            &["Indicator", "Year", "Value", "Source", "Note"],
            &[
                "forest_coverage",
                "2023",
                "12.75",
                "2023 bulletin",
                "provisional",
            ],
            &["单位GDP能耗降低", "2023", "2.1", "", ""],
        ],
    );
    let out = lib.ok(&[
        "observe",
        "import",
        "--plan",
        "塔城",
        &en.display().to_string(),
    ]);
    assert!(out.contains("2 rows imported (2 new"), "{out}");
    let rows = lib.export_csv("4");
    assert!(
        rows.iter().any(|r| r[2] == "i15" && r[6] == "2.1"),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r[2] == "i19" && r[8] == "provisional"),
        "{rows:?}"
    );
    // One catalogue indicator across plans.
    lib.ok(&["observe", "set", "伊吾县", "森林覆盖率", "2023", "4.41"]);
    let out = lib.ok(&["observe", "export", "--indicator", "forest_coverage"]);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 3, "{out}");
    assert!(rows
        .iter()
        .all(|r| &r[11] == "forest_coverage" && &r[3] == "森林覆盖率"));
    assert_eq!(
        rows.iter()
            .map(|r| r[0].to_string())
            .collect::<BTreeSet<_>>()
            .len(),
        2
    );
    // Not text at all.
    std::fs::write(&p, [0xff, 0xfe, 0x00, 0x81, 0x30]).unwrap();
    assert!(lib
        .fail(&["observe", "import", "--plan", "4", &p.display().to_string()])
        .starts_with("guihua: "));
}

/// Outputs destroy nothing: not the library, not an input, not an existing file without
/// `--force`.
#[test]
fn outputs_never_overwrite_data() {
    let lib = Lib::new();
    lib.add_seeds();
    lib.ok(&["observe", "set", "2", "i15", "2021", "15.7"]);
    let db = lib.data().join("guihua.sqlite");
    let db_text = db.display().to_string();
    // -o onto the library: refused, and the library still answers.
    let err = lib.fail(&["observe", "export", "--plan", "2", "-o", &db_text]);
    assert!(
        err.contains("refusing to write there: it is the library itself"),
        "{err}"
    );
    let err = lib.fail(&["template", "2", "--year", "2022", "-o", &db_text]);
    assert!(err.contains("the library itself"), "{err}");
    let err = lib.fail(&["backup", &db_text]);
    assert!(err.contains("the library itself"), "{err}");
    assert_eq!(lib.export_csv("2").len(), 1);
    // A filled template is not replaced by regenerating it; with --force it is.
    let tpl = lib.path("已填.xlsx");
    let tpl_text = tpl.display().to_string();
    lib.ok(&["template", "2", "--year", "2022", "-o", &tpl_text]);
    let before = std::fs::read(&tpl).unwrap();
    let err = lib.fail(&["template", "2", "--year", "2023", "-o", &tpl_text]);
    assert!(
        err.contains("already exists; pass --force to replace it"),
        "{err}"
    );
    assert_eq!(std::fs::read(&tpl).unwrap(), before);
    lib.ok(&[
        "template", "2", "--year", "2023", "-o", &tpl_text, "--force",
    ]);
    assert_ne!(std::fs::read(&tpl).unwrap(), before);
    // --skip-invalid with --rejects onto the input: refused before anything is imported.
    let bad = lib.path("bad.csv");
    write_csv(
        &bad,
        &[
            &["编号", "年份", "实际值"],
            &["i15", "2022", "15.8"],
            &["i15", "2023", "五十一"],
        ],
    );
    let input = std::fs::read(&bad).unwrap();
    let bad_text = bad.display().to_string();
    let err = lib.fail(&[
        "observe",
        "import",
        "--plan",
        "2",
        &bad_text,
        "--skip-invalid",
        "--rejects",
        &bad_text,
    ]);
    assert!(
        err.contains("an input of this command") && err.contains("nothing imported"),
        "{err}"
    );
    assert_eq!(std::fs::read(&bad).unwrap(), input);
    assert_eq!(lib.export_csv("2").len(), 1, "nothing imported");
    // The default rejects file is written first, then the good row is committed.
    lib.ok(&[
        "observe",
        "import",
        "--plan",
        "2",
        &bad_text,
        "--skip-invalid",
    ]);
    let rejects = std::fs::read_to_string(lib.path("bad.csv.rejects.csv")).unwrap();
    assert!(rejects.contains("五十一"), "{rejects}");
    assert_eq!(lib.export_csv("2").len(), 2);
    // A second run does not replace the first rejects without --force (and imports nothing).
    let err = lib.fail(&[
        "observe",
        "import",
        "--plan",
        "2",
        &bad_text,
        "--skip-invalid",
    ]);
    assert!(err.contains("already exists"), "{err}");
}

/// Text people typed reaches spreadsheets and terminals inert.
#[test]
fn typed_text_is_inert_in_exports_and_on_the_terminal() {
    let lib = Lib::new();
    lib.add_seeds();
    lib.ok(&[
        "observe",
        "set",
        "2",
        "i15",
        "2021",
        "15.7",
        "--source",
        "=HYPERLINK(\"http://evil\",\"统计公报\")",
        "--note",
        "核实\u{1b}[2J\u{1b}]0;pwned\u{7}",
    ]);
    let rows = lib.export_csv("2");
    let cells: Vec<&String> = rows.iter().flatten().collect();
    assert!(
        cells
            .iter()
            .any(|c| c.as_str() == "'=HYPERLINK(\"http://evil\",\"统计公报\")"),
        "{rows:?}"
    );
    assert!(!cells.iter().any(|c| c.starts_with('=')), "{rows:?}");
    let h = lib.ok(&["history", "2"]);
    assert!(!h.contains('\u{1b}') && !h.contains('\u{7}'), "{h:?}");
    assert!(h.contains("核实\u{FFFD}[2J"), "{h}");
}

/// A value far from what the plan expects is stored only when confirmed.
#[test]
fn implausible_values_need_confirmation() {
    let mut lib = Lib::new();
    lib.add_seeds();
    lib.accept_outliers = false;
    // 人均预期寿命 of 塔城地区 (plan 4): base and target in the 70s.
    let err = lib.fail(&["observe", "set", "4", "人均预期寿命", "2022", "99"]);
    assert!(
        err.contains("99 is far from the plan's base") && err.contains("--accept-outliers"),
        "{err}"
    );
    assert!(lib.export_csv("4").is_empty());
    let f = lib.path("x.csv");
    write_csv(
        &f,
        &[&["指标", "年份", "实际值"], &["人均预期寿命", "2022", "99"]],
    );
    let err = lib.fail(&["observe", "import", "--plan", "4", &f.display().to_string()]);
    assert!(
        err.contains("warning: row 2, column C (实际值): 人均预期寿命 2022: 99 is far from")
            && err.contains("1 values look implausible"),
        "{err}"
    );
    assert!(lib.export_csv("4").is_empty());
    lib.accept_outliers = true;
    lib.ok(&["observe", "import", "--plan", "4", &f.display().to_string()]);
    assert_eq!(lib.export_csv("4").len(), 1);
}
