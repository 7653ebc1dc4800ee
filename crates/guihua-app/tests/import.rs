//! The application layer, table-driven, on a real library (two reference plans in a
//! temporary SQLite store), without spawning processes: imports (numbers that could be
//! read two ways, spreadsheet cells that are not what they seem, rows and workbooks that
//! belong elsewhere, consent), templates and exports, report assembly, data entry and
//! management for every role.

use std::io::{Read, Write};
use std::path::PathBuf;

use guihua_app::import::{self, Kind, Options};
use guihua_app::Error;
use guihua_contract::Source;
use guihua_store::{Added, Change, PlanId, SqliteStore, Store};

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds");

fn seed(prefix: &str) -> PathBuf {
    std::fs::read_dir(SEEDS)
        .expect("reference plans")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .expect("seed")
}

fn add(
    store: &mut SqliteStore,
    path: &std::path::Path,
    sha: Option<&str>,
    revises: Option<PlanId>,
) -> PlanId {
    let read = guihua_read::read_path(path).expect("readable seed");
    let plan = guihua_parse::parse_document(&read.document);
    let source = Source {
        file: "seed.txt".into(),
        format: "txt".into(),
        encoding: "utf-8".into(),
        sha256: sha.map(str::to_string).unwrap_or(read.sha256),
    };
    let actor = guihua_store::Actor::local("测试", None);
    match store.add_plan(&plan, &source, revises, &actor).unwrap() {
        Added::New { id, .. } => id,
        other => panic!("{other:?}"),
    }
}

/// A library with 塔城地区 (plan 1) and 乌鲁木齐市 (plan 2).
fn library() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open_dir(dir.path()).unwrap();
    assert_eq!(add(&mut store, &seed("003"), None, None), 1);
    assert_eq!(add(&mut store, &seed("001"), None, None), 2);
    (dir, store)
}

fn csv(rows: &[&[&str]]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(*r).unwrap();
    }
    w.into_inner().unwrap()
}

fn plan(p: &str) -> Options {
    Options {
        plan: Some(p.into()),
        ..local()
    }
}

/// The library's own administrator, no plan named.
fn local() -> Options {
    Options {
        plan: None,
        principal: guihua_app::policy::Principal::LocalAdmin("测试".into()),
    }
}

/// The row errors of a checked file, as text.
fn errors(store: &SqliteStore, name: &str, bytes: &[u8], opts: &Options) -> Vec<String> {
    match import::check(store, Kind::Observations, name, bytes, opts) {
        Ok(c) => c.errors().iter().map(ToString::to_string).collect(),
        Err(Error::Rejected(e)) => e.iter().map(ToString::to_string).collect(),
        Err(e) => vec![format!("error: {e}")],
    }
}

fn values(
    store: &SqliteStore,
    name: &str,
    bytes: &[u8],
    opts: &Options,
) -> Vec<(String, i32, f64)> {
    let c = import::check(store, Kind::Observations, name, bytes, opts).expect("checked");
    assert!(c.bad.is_empty(), "{:?}", c.errors());
    c.changes
        .iter()
        .map(|ch| match ch {
            Change::Observe {
                subject_id,
                year,
                value,
                ..
            } => (subject_id.clone(), *year, *value),
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn numbers_that_could_be_read_two_ways_are_row_errors() {
    let (_d, store) = library();
    let cases: &[(&str, &str)] = &[
        ("1,2", "row 2, column C (实际值): '1,2' is not a number: a comma may only separate thousands (1,234.5); for a decimal write a point (1.2)"),
        ("1.234,5", "row 2, column C (实际值): '1.234,5' is not a number: a comma after the decimal point (write 1234.5 or 1,234.5)"),
        ("1e308", "row 2, column C (实际值): '1e308' is not a number"),
        ("inf", "row 2, column C (实际值): text in a number cell: 'inf' is not a number"),
        ("99999999999999999", "row 2, column C (实际值): '99999999999999999' is too large to be a monitoring value (more than 10^15: check the unit)"),
    ];
    for (value, expected) in cases {
        let bytes = csv(&[&["编号", "年份", "实际值"], &["i15", "2022", value]]);
        assert_eq!(
            errors(&store, "x.csv", &bytes, &plan("1")),
            [*expected],
            "{value}"
        );
    }
    // What people write and mean one way only is read.
    let bytes = csv(&[
        &["编号", "年份", "实际值"],
        &["i15", "2021", "1,234.5"],
        &["i15", "2022", "１２．５"],
        &["i15", "2023", "12.5%"],
    ]);
    assert_eq!(
        values(&store, "x.csv", &bytes, &plan("1")),
        [
            ("i15".to_string(), 2021, 1234.5),
            ("i15".to_string(), 2022, 12.5),
            ("i15".to_string(), 2023, 12.5)
        ]
    );
}

#[test]
fn an_id_and_a_name_that_disagree_are_a_row_error() {
    let (_d, store) = library();
    // i15 of plan 1 is not 常住人口城镇化率.
    let names = guihua_app::subjects::Subjects::load(&store, store.resolve("1").unwrap()).unwrap();
    let (i15, _) = names.name(guihua_store::SubjectKind::Indicator, "i15");
    assert_ne!(i15, "常住人口城镇化率");
    let bytes = csv(&[
        &["编号", "指标", "年份", "实际值"],
        &["i15", "常住人口城镇化率", "2022", "51"],
        &["i15", i15, "2023", "52"],
        &["i15", &format!("{i15}（%）"), "2024", "53"],
    ]);
    let errs = errors(&store, "x.csv", &bytes, &plan("1"));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(&format!(
            "row 2, column B (指标): i15 is {i15} (指标), but this row names 常住人口城镇化率 ("
        )),
        "{errs:?}"
    );
}

/// A workbook: one data sheet (rows of strings; "%0.318" a percent-formatted number,
/// "#44562" a date-formatted one, "=…" a formula) and optional `_guihua` metadata.
fn workbook(sheets: &[(&str, &[&[&str]])], meta: &[(&str, &str)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let percent = rust_xlsxwriter::Format::new().set_num_format("0.0%");
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if let Some(p) = v.strip_prefix('%') {
                    ws.write_number_with_format(r, c, p.parse::<f64>().unwrap(), &percent)
                        .unwrap();
                } else if let Some(d) = v.strip_prefix('#') {
                    ws.write_number_with_format(r, c, d.parse::<f64>().unwrap(), &date)
                        .unwrap();
                } else if v.starts_with('=') {
                    ws.write_formula(r, c, *v).unwrap();
                } else if let Ok(n) = v.parse::<f64>() {
                    ws.write_number(r, c, n).unwrap();
                } else {
                    ws.write_string(r, c, *v).unwrap();
                }
            }
        }
    }
    if !meta.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("_guihua").unwrap();
        for (r, (k, v)) in meta.iter().enumerate() {
            ws.write_string(r as u32, 0, *k).unwrap();
            ws.write_string(r as u32, 1, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The same workbook with the cached values of its formulas removed (as files written by
/// tools that do not compute formulas are).
fn without_formula_values(xlsx: &[u8]) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let re = regex::Regex::new(r"(</f>)<v>[^<]*</v>").unwrap();
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name.starts_with("xl/worksheets/") {
            let text = String::from_utf8(data).unwrap();
            data = re.replace_all(&text, "$1").into_owned().into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn spreadsheet_cells_are_read_as_shown_or_refused() {
    let (_d, store) = library();
    let head: &[&str] = &["编号", "年份", "实际值"];
    // A percent-formatted cell is the percentage Excel shows.
    let xlsx = workbook(&[("数据", &[head, &["i15", "2022", "%0.318"]])], &[]);
    assert_eq!(
        values(&store, "x.xlsx", &xlsx, &plan("1")),
        [("i15".to_string(), 2022, 31.8)]
    );
    // A date is not a number; nor is a formula without a computed value.
    let xlsx = workbook(&[("数据", &[head, &["i15", "2022", "#44562"]])], &[]);
    assert_eq!(
        errors(&store, "x.xlsx", &xlsx, &plan("1")),
        ["row 2, column C (实际值): a date cell (2022-01-01), not a number: format the cell as a number"]
    );
    let xlsx = without_formula_values(&workbook(
        &[("数据", &[head, &["i15", "2022", "=B2/100"]])],
        &[],
    ));
    assert_eq!(
        errors(&store, "x.xlsx", &xlsx, &plan("1")),
        ["row 2, column C (实际值): a formula without a computed value: open and save the file in Excel"]
    );
    // Two sheets with the columns: which one? Never the first silently.
    let xlsx = workbook(
        &[
            ("2022", &[head, &["i15", "2022", "1"]]),
            ("2023", &[head, &["i15", "2023", "2"]]),
        ],
        &[],
    );
    assert_eq!(
        errors(&store, "x.xlsx", &xlsx, &plan("1")),
        ["x.xlsx: 2 sheets have the columns 指标/编号, 年份, 实际值 (2022, 2023); import one sheet per file"]
    );
}

#[test]
fn a_template_goes_to_its_own_plan_and_version_or_nowhere() {
    let (_d, mut store) = library();
    let sha1 = store.resolve("1").unwrap().sha256;
    let rows: &[&[&str]] = &[&["编号", "年份", "实际值"], &["i15", "2022", "12.5"]];
    let template = workbook(&[("监测数据", rows)], &[("plan", "1"), ("sha256", &sha1)]);
    // Into its own plan: fine.
    assert_eq!(
        values(&store, "t.xlsx", &template, &local()),
        [("i15".to_string(), 2022, 12.5)]
    );
    // Into another plan by --plan: refused, values would land on the wrong indicators.
    let errs = errors(&store, "t.xlsx", &template, &plan("2"));
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].starts_with(
            "t.xlsx: the template was written for plan 1 (塔城地区), not plan 2 (乌鲁木齐市)"
        ),
        "{errs:?}"
    );
    // Plan 1 revised: the template of version 1 is refused.
    let revised = add(&mut store, &seed("003"), Some(&"f".repeat(64)), Some(1));
    let errs = errors(&store, "t.xlsx", &template, &local());
    assert_eq!(
        errs,
        [format!(
            "t.xlsx: the template was written for plan 1 version 1, which plan {revised} revises: write a new template from plan {revised} (its indicators may differ)"
        )]
    );
}

#[test]
fn rejects_keep_rows_of_any_width() {
    let (_d, store) = library();
    let bytes = b"\xef\xbb\xbf\xe7\xbc\x96\xe5\x8f\xb7,\xe5\xb9\xb4\xe4\xbb\xbd,\xe5\xae\x9e\xe9\x99\x85\xe5\x80\xbc,\xe5\xa4\x87\xe6\xb3\xa8\ni15,2022,abc,\ni15,2023,n/a\ni15,2024,=1+1,x,extra\n";
    let c = import::check(&store, Kind::Observations, "x.csv", bytes, &plan("1")).unwrap();
    assert_eq!(c.bad.len(), 3, "{:?}", c.errors());
    let text = String::from_utf8(c.rejects_csv()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "行,错误,编号,年份,实际值,备注,");
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[2].starts_with("3,"), "{text}");
    assert!(lines[2].ends_with("i15,2023,n/a,,"), "{text}");
    // A formula typed into a cell comes back neutralised.
    assert!(lines[3].ends_with("i15,2024,'=1+1,x,extra"), "{text}");
}

#[test]
fn a_workbook_that_inflates_to_gigabytes_is_refused() {
    let (_d, store) = library();
    // 300 MiB of one byte compresses to a few hundred KiB.
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file(
        "xl/sharedStrings.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    let block = vec![b'a'; 1 << 20];
    for _ in 0..300 {
        w.write_all(&block).unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    assert!(bytes.len() < 2 << 20, "{}", bytes.len());
    let errs = errors(&store, "bomb.xlsx", &bytes, &plan("1"));
    assert_eq!(
        errs,
        ["bomb.xlsx: refused: the workbook inflates beyond 256 MiB (xl/sharedStrings.xml); it is not a plain data sheet"]
    );
}

/// The fill-in template, built by the application layer: which rows a department gets,
/// what is pre-filled, what is refused, and that the workbook comes back in unchanged.
#[test]
fn templates_hold_what_a_department_answers_for_and_come_back_unchanged() {
    use guihua_app::sheets;
    use guihua_app::subjects::Subjects;
    use guihua_store::{Role, SubjectKind};
    let (_d, store) = library();
    let me = guihua_store::Actor::local("测试", None);
    let subjects = Subjects::load(&store, store.resolve("1").unwrap()).unwrap();
    let indicators = store.indicators(1).unwrap();
    let targets = store.targets(1).unwrap();

    // No department: every indicator; with targets, the prose targets too.
    let all = sheets::template(&store, &subjects, 2023, None, false).unwrap();
    assert_eq!(all.rows.len(), indicators.len());
    assert!(all.rows.iter().all(|r| r.kind == SubjectKind::Indicator));
    let with = sheets::template(&store, &subjects, 2023, None, true).unwrap();
    assert_eq!(with.rows.len(), indicators.len() + targets.len());

    // A department: its indicator, and the targets of the chapter it leads.
    let section = targets
        .iter()
        .find_map(|t| t.section.clone())
        .expect("a target in a chapter");
    let chapter = section.split('/').next().unwrap().to_string();
    let in_chapter = targets
        .iter()
        .filter(|t| {
            t.section
                .as_deref()
                .is_some_and(|s| s == chapter || s.starts_with(&format!("{chapter}/")))
        })
        .count();
    assert!(in_chapter > 0);
    let assign = |kind, id: &str| Change::Assign {
        plan_id: 1,
        kind,
        subject_id: id.into(),
        department: "统计局".into(),
        role: Role::Lead,
        expected_revision: None,
    };
    store
        .apply(
            &[
                assign(SubjectKind::Indicator, "i1"),
                assign(SubjectKind::Chapter, &chapter),
            ],
            &me,
        )
        .unwrap();
    store
        .apply(
            &[Change::Observe {
                plan_id: 1,
                kind: SubjectKind::Indicator,
                subject_id: "i1".into(),
                year: 2023,
                value: 812.5,
                source: Some("统计公报\u{C}第3页\u{FFFE}".into()),
                note: None,
                expected_revision: None,
            }],
            &me,
        )
        .unwrap();
    let t = sheets::template(&store, &subjects, 2023, Some(" 统计局 "), false).unwrap();
    assert_eq!(t.rows.len(), 1 + in_chapter);
    assert_eq!(
        (t.rows[0].kind, t.rows[0].id.as_str()),
        (SubjectKind::Indicator, "i1")
    );
    assert_eq!(t.rows[0].current.as_ref().map(|o| o.value), Some(812.5));
    assert!(
        t.heading.ends_with("2023年监测数据填报表（统计局）"),
        "{}",
        t.heading
    );
    let name = sheets::template_file_name(2023, Some("统计局/../x"));
    assert!(
        name.starts_with("2023年统计局") && !name.contains('/') && !name.contains(".."),
        "{name}"
    );

    // Refused: a year outside the plan, a department with nothing assigned.
    assert!(matches!(
        sheets::template(&store, &subjects, 2030, None, false),
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        sheets::template(&store, &subjects, 2023, Some("无此部门"), false),
        Err(Error::NotFound(_))
    ));

    // The workbook: hostile characters stripped (Excel would refuse the file), and the
    // file, returned as it is, imports into its own plan with the stored value unchanged.
    let bytes = t.to_xlsx().unwrap();
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    use calamine::Reader;
    let sheet = wb.worksheet_range("填报表").unwrap();
    assert_eq!(
        sheet.get_value((2, 7)).map(|c| c.to_string()),
        Some("统计公报 第3页".to_string())
    );
    assert_eq!(
        values(&store, "t.xlsx", &bytes, &local()),
        [("i1".to_string(), 2023, 812.5)]
    );
}

#[test]
fn exports_follow_the_stored_catalogue_links() {
    use guihua_app::sheets;
    use guihua_store::SubjectKind;
    let (_d, store) = library();
    let me = guihua_store::Actor::local("测试", None);
    let forest: Vec<String> = [1, 2]
        .iter()
        .map(|p| {
            store
                .indicators(*p)
                .unwrap()
                .into_iter()
                .find(|i| {
                    i.link.as_ref().and_then(|l| l.catalog_id.as_deref()) == Some("forest_coverage")
                })
                .expect("forest coverage linked in both plans")
                .id
        })
        .collect();
    let obs = |plan: PlanId, id: &str, v: f64| Change::Observe {
        plan_id: plan,
        kind: SubjectKind::Indicator,
        subject_id: id.into(),
        year: 2022,
        value: v,
        source: None,
        note: Some("=HYPERLINK(\"http://x\")".into()),
        expected_revision: None,
    };
    store
        .apply(
            &[
                obs(1, &forest[0], 23.1),
                obs(2, &forest[1], 21.7),
                obs(1, "i15", 3.2),
            ],
            &me,
        )
        .unwrap();
    let all = sheets::export(&store, None, None).unwrap();
    assert_eq!(all.len(), 3);
    let by_catalog = sheets::export(&store, None, Some("森林覆盖率")).unwrap();
    let got: Vec<_> = by_catalog
        .iter()
        .map(|r| {
            (
                r.observation.plan_id,
                r.catalog.clone(),
                r.observation.value,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (1, "forest_coverage".to_string(), 23.1),
            (2, "forest_coverage".to_string(), 21.7)
        ]
    );
    // A person unlinks plan 2's indicator: the export by catalogue follows.
    store.set_link(2, &forest[1], None, None, &me).unwrap();
    let after = sheets::export(&store, None, Some("forest_coverage")).unwrap();
    assert_eq!(after.len(), 1);
    assert!(matches!(
        sheets::export(&store, None, Some("no_such_indicator")),
        Err(Error::NotFound(_))
    ));
    let cells = all[0].cells();
    assert_eq!(cells.len(), sheets::EXPORT_HEADERS.len());
    assert!(sheets::export_xlsx(&all).is_ok());
}

/// Report assembly through the application layer: the latest project status up to the
/// year, investment per year, lead and co-departments, and a safe default file name.
#[test]
fn a_report_is_assembled_from_the_library() {
    use guihua_app::report;
    use guihua_store::{ProjectStatus, Role, SubjectKind};
    let (_d, store) = library();
    let me = guihua_store::Actor::local("测试", None);
    let j = store.projects(1).unwrap()[0].clone();
    let status = |year, s: &str, done| Change::ProjectStatus {
        status: ProjectStatus {
            plan_id: 1,
            project_id: j.id.clone(),
            year,
            status: s.into(),
            planned_investment: Some(10.0),
            completed_investment: Some(done),
            milestone: None,
            revision: 0,
        },
        expected_revision: None,
    };
    let assign = |d: &str, role| Change::Assign {
        plan_id: 1,
        kind: SubjectKind::Indicator,
        subject_id: "i1".into(),
        department: d.into(),
        role,
        expected_revision: None,
    };
    store
        .apply(
            &[
                status(2022, "前期", 1.0),
                status(2023, "在建", 4.5),
                status(2024, "建成", 10.0),
                assign("统计局", Role::Lead),
                assign("发改委", Role::Co),
            ],
            &me,
        )
        .unwrap();
    let request = |year| report::Request {
        plan: "1",
        year,
        kind: guihua_report::Kind::Midterm,
        lang: guihua_report::Lang::Zh,
        method: Default::default(),
        generated_on: "2026-12-01".into(),
        narrative: None,
        style: Default::default(),
    };
    let (row, input) = report::assemble(&store, &request(2023)).unwrap();
    assert_eq!(input.projects.len(), 1);
    assert_eq!(input.projects[0].name, j.name);
    assert_eq!(
        input.projects[0].status,
        guihua_report::ProjectStatus::UnderConstruction,
        "2024's 建成 is after the year"
    );
    assert_eq!(input.projects[0].years.len(), 3);
    assert_eq!(input.responsibilities.len(), 1);
    assert_eq!(input.responsibilities[0].lead, "统计局");
    assert_eq!(input.responsibilities[0].co, ["发改委"]);
    assert_eq!(input.generated_on, "2026-12-01");
    assert_eq!(
        report::file_name(&row, 2023, input.kind, guihua_report::Format::Docx),
        "塔城地区2023年中期评估报告.docx"
    );
    let bad_target = ["i99=5左右".to_string()];
    let bad = report::Request {
        method: guihua_app::method::Method {
            targets: &bad_target,
            ..Default::default()
        },
        ..request(2023)
    };
    assert!(report::assemble(&store, &bad).is_err());
}

/// Data entry one value at a time, for every role, through the application layer: who may
/// write what, strict numbers, confirmation of implausible values, stale writes.
#[test]
fn entry_one_value_at_a_time_for_every_role() {
    use guihua_app::entry::{self, Outcome, Subject, Value};
    use guihua_app::policy::Principal;
    use guihua_store::{Role, UserRole};
    let (_d, store) = library();
    let admin = guihua_store::Actor::local("admin", None);
    store.add_user("li", None, None, &admin).unwrap();
    store.add_user("wang", None, None, &admin).unwrap();
    store.add_user("zhao", None, None, &admin).unwrap();
    store.add_user("ren", None, None, &admin).unwrap();
    store.grant("li", UserRole::Planner, None, &admin).unwrap();
    store
        .grant("wang", UserRole::Editor, Some("林草局"), &admin)
        .unwrap();
    store
        .grant("zhao", UserRole::Editor, Some("统计局"), &admin)
        .unwrap();
    store
        .grant("ren", UserRole::Reviewer, None, &admin)
        .unwrap();
    let user = |name: &str| {
        Principal::User(
            store
                .users()
                .unwrap()
                .into_iter()
                .find(|u| u.name == name)
                .unwrap(),
        )
    };
    // 森林覆盖率 of 塔城地区 belongs to 林草局.
    let planner = user("li");
    entry::assign(
        &store,
        &planner,
        None,
        Subject {
            plan: "1",
            subject: "森林覆盖率",
        },
        "林草局",
        Some(Role::Lead),
    )
    .unwrap();
    let value = |text: &'static str, year: i32| Value {
        at: Subject {
            plan: "1",
            subject: "森林覆盖率",
        },
        year,
        value: text,
        source: None,
        note: None,
        confirmed: false,
        expected_revision: None,
    };
    let base = store
        .indicators(1)
        .unwrap()
        .into_iter()
        .find(|i| i.name == "森林覆盖率")
        .unwrap()
        .base_value
        .unwrap();
    let plausible: &'static str = Box::leak(format!("{}", base + 0.1).into_boxed_str());
    // (who, outcome): the editor of 林草局 may, the editor of 统计局 and the reviewer may not.
    for (who, expect) in [
        (Principal::LocalAdmin("本机".into()), "ok"),
        (user("li"), "ok"),
        (user("wang"), "ok"),
        (user("zhao"), "forbidden"),
        (user("ren"), "forbidden"),
    ] {
        let got = entry::set_value(&store, &who, None, &value(plausible, 2022));
        match (expect, &got) {
            ("ok", Ok((w, v))) => {
                assert_eq!(*v, base + 0.1);
                assert!(
                    matches!(w.outcome, Outcome::Inserted | Outcome::Unchanged),
                    "{w:?}"
                );
            }
            ("forbidden", Err(Error::Forbidden(_))) => {}
            _ => panic!("{}: expected {expect}, got {got:?}", who.name()),
        }
    }
    // A reviewer cannot assign either.
    assert!(matches!(
        entry::assign(
            &store,
            &user("ren"),
            None,
            Subject {
                plan: "1",
                subject: "i1"
            },
            "统计局",
            Some(Role::Lead)
        ),
        Err(Error::Forbidden(_))
    ));
    let wang = user("wang");
    // Numbers read strictly; years inside the plan; subjects that exist.
    let invalid = |r: Result<(entry::Written, f64), Error>| match r {
        Err(e @ (Error::Invalid(_) | Error::NotFound(_))) => e.to_string(),
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert!(
        invalid(entry::set_value(&store, &wang, None, &value("1,2", 2022)))
            .contains("not a number")
    );
    assert!(
        invalid(entry::set_value(&store, &wang, None, &value("12", 2040)))
            .contains("outside the plan period")
    );
    let mut unknown = value("12", 2022);
    unknown.at.subject = "不存在的指标";
    assert!(invalid(entry::set_value(&store, &wang, None, &unknown)).contains("unknown"));
    // An implausible value needs confirmation; confirmed, it is stored with its warning.
    let far = value("99", 2023);
    let Err(Error::Unconfirmed(w)) = entry::set_value(&store, &wang, None, &far) else {
        panic!("99 % forest coverage went in unconfirmed")
    };
    assert!(!w.is_empty());
    let confirmed = Value {
        confirmed: true,
        ..value("99", 2023)
    };
    let (w, _) = entry::set_value(&store, &wang, Some("核实无误"), &confirmed).unwrap();
    assert!(w.warning.is_some());
    // The history names the account and the reason.
    let last = store
        .history(1, Some(&format!("indicator:{}", w.id)))
        .unwrap()
        .pop()
        .unwrap();
    let wang_id = store
        .users()
        .unwrap()
        .into_iter()
        .find(|u| u.name == "wang")
        .unwrap()
        .id;
    assert_eq!(
        (
            last.who.as_str(),
            last.user_id,
            last.why.as_deref(),
            last.new.as_deref()
        ),
        ("wang", Some(wang_id), Some("核实无误"), Some("99"))
    );
    let local = store.history(1, None).unwrap();
    assert!(local.iter().any(|h| h.who == "本机" && h.user_id.is_none()));
    // A form that displayed revision 0 (empty) after someone stored a value: a conflict.
    let stale = Value {
        expected_revision: Some(0),
        ..value(plausible, 2023)
    };
    assert!(matches!(
        entry::set_value(&store, &wang, None, &stale),
        Err(Error::Store(guihua_store::StoreError::Conflict(_)))
    ));
    assert_eq!(
        entry::delete_value(
            &store,
            &wang,
            None,
            Subject {
                plan: "1",
                subject: "森林覆盖率"
            },
            2023,
            None
        )
        .unwrap()
        .outcome,
        Outcome::Deleted
    );
}

/// Committing needs the person's consent for what the check found: bad rows skipped,
/// implausible values confirmed. Without it nothing is written.
#[test]
fn commit_writes_only_what_the_person_agreed_to() {
    use guihua_app::import::Consent;
    let (_d, store) = library();
    let file = csv(&[
        &["编号", "年份", "实际值"],
        &["i19", "2022", "12.8"],
        &["i19", "2023", "1,2"],
    ]);
    let checked = import::check(&store, Kind::Observations, "a.csv", &file, &plan("1")).unwrap();
    assert_eq!(checked.bad.len(), 1);
    let commit = |c: Consent| import::commit(&store, &checked, c, None, &mut |_| {});
    assert!(matches!(
        commit(Consent::default()),
        Err(Error::Rejected(_))
    ));
    assert!(store.observations(Some(1)).unwrap().is_empty());
    let skip = Consent {
        skip_invalid: true,
        confirmed: false,
    };
    assert_eq!(commit(skip).unwrap().inserted, 1);

    let far = csv(&[&["编号", "年份", "实际值"], &["i19", "2024", "99"]]);
    let checked = import::check(&store, Kind::Observations, "b.csv", &far, &plan("1")).unwrap();
    assert_eq!(checked.outliers.len(), 1, "{:?}", checked.outliers);
    let commit = |c: Consent| import::commit(&store, &checked, c, None, &mut |_| {});
    assert!(matches!(
        commit(Consent::default()),
        Err(Error::Unconfirmed(_))
    ));
    assert_eq!(store.observations(Some(1)).unwrap().len(), 1);
    let confirmed = Consent {
        skip_invalid: false,
        confirmed: true,
    };
    assert_eq!(commit(confirmed).unwrap().inserted, 1);
}

/// Managing the library is authorised inside the application layer, whatever the front
/// end: (role → which of link, remove, department, backup, add user, restore it may do).
#[test]
fn management_is_authorised_by_the_policy_for_every_role() {
    use guihua_app::admin;
    use guihua_app::policy::Principal;
    use guihua_store::UserRole;
    let (dir, store) = library();
    let me = Principal::LocalAdmin("本机".into());
    for (name, role, dept) in [
        ("li", UserRole::Planner, None),
        ("wang", UserRole::Editor, Some("林草局")),
        ("ren", UserRole::Reviewer, None),
        ("an", UserRole::Admin, None),
    ] {
        admin::add_user(&store, &me, None, name, None, None, Some((role, dept))).unwrap();
    }
    let user = |name: &str| {
        Principal::User(
            store
                .users()
                .unwrap()
                .into_iter()
                .find(|u| u.name == name)
                .unwrap(),
        )
    };
    let snap = dir.path().join("snap.sqlite");
    store.backup(&snap).unwrap();
    // Each action, tried in an order that leaves the library usable for the next role.
    for (who, allowed) in [
        ("ren", [false, false, false, false, false]),
        ("wang", [false, false, false, false, false]),
        ("li", [true, true, true, false, false]),
        ("an", [true, true, true, true, true]),
    ] {
        let p = user(who);
        let backup_to = dir.path().join(format!("b-{who}.sqlite"));
        // Allowed means it worked; refused means Forbidden — any other error fails the test.
        let verdict = |r: Result<(), Error>| match r {
            Ok(()) => true,
            Err(Error::Forbidden(_)) => false,
            Err(e) => panic!("{who}: {e}"),
        };
        let seed_plan = {
            let read = guihua_read::read_path(&seed("002")).unwrap();
            let plan = guihua_parse::parse_document(&read.document);
            let source = Source {
                file: "seed.txt".into(),
                format: "txt".into(),
                encoding: "utf-8".into(),
                sha256: format!("{who:0>64}"),
            };
            (plan, source)
        };
        let got = [
            verdict(admin::link(&store, &p, None, "2", "i1", Some("gdp_growth")).map(|_| ())),
            verdict(admin::add_department(&store, &p, None, &format!("{who}局")).map(|_| ())),
            verdict(admin::backup(&store, &p, &backup_to)),
            verdict(
                admin::add_user(&store, &p, None, &format!("{who}2"), None, None, None).map(|_| ()),
            ),
            verdict(admin::restore(&store, &p, None, &snap).map(|_| ())),
            verdict(
                guihua_app::plans::add(&store, &p, None, &seed_plan.0, &seed_plan.1, None)
                    .map(|_| ()),
            ),
        ];
        let mut want = allowed.to_vec();
        want.push(allowed[0]);
        assert_eq!(got.to_vec(), want, "{who}");
    }
    // Removing a plan: planners and admins.
    assert!(matches!(
        admin::remove_plan(&store, &user("wang"), None, "2"),
        Err(Error::Forbidden(_))
    ));
    assert_eq!(
        admin::remove_plan(&store, &user("li"), None, "2")
            .unwrap()
            .id,
        2
    );
    // A first role of the wrong shape leaves no user behind.
    assert!(matches!(
        admin::add_user(
            &store,
            &me,
            None,
            "half",
            None,
            None,
            Some((UserRole::Editor, None))
        ),
        Err(Error::Invalid(_))
    ));
    assert!(store.users().unwrap().iter().all(|u| u.name != "half"));
    // User names people can read.
    for bad in ["", "two words", "esc\u{1b}[31m", &"x".repeat(65)] {
        assert!(
            matches!(
                admin::add_user(&store, &me, None, bad, None, None, None),
                Err(Error::Invalid(_))
            ),
            "{bad:?}"
        );
    }
}

/// Each kind of report only for the years it can be written for, with the reason.
#[test]
fn report_kinds_are_checked_against_the_plan_period() {
    use guihua_app::report::check_kind_year;
    use guihua_report::Kind::{Annual, Final, Midterm};
    for (kind, year, ok) in [
        (Annual, 2021, true),
        (Annual, 2025, true),
        (Annual, 2020, false),
        (Annual, 2030, false),
        (Midterm, 2023, true),
        (Midterm, 2021, true),
        (Midterm, 2025, false),
        (Midterm, 2030, false),
        (Final, 2025, true),
        (Final, 2023, false),
        (Final, 2026, false),
    ] {
        let got = check_kind_year(kind, (2021, 2025), year);
        assert_eq!(got.is_ok(), ok, "{kind:?} {year}: {got:?}");
        if let Err(e) = got {
            assert!(e.to_string().contains(&year.to_string()), "{e}");
        }
    }
    let (_d, store) = library();
    let final_2023 = guihua_app::report::Request {
        plan: "1",
        year: 2023,
        kind: Final,
        lang: guihua_report::Lang::Zh,
        method: Default::default(),
        generated_on: "2026-12-01".into(),
        narrative: None,
        style: Default::default(),
    };
    let err = guihua_app::report::assemble(&store, &final_2023)
        .err()
        .unwrap();
    assert!(err.to_string().contains("last year 2025"), "{err}");
}

/// Prose targets that restate a table indicator are judged with its data: 塔城's
/// "地区森林覆盖率达到12.68%" and "城镇登记失业率控制在4%以内" beside the table's rows.
#[test]
fn prose_targets_restating_an_indicator_use_its_data() {
    use guihua_app::evaluation::{load_plan, observation_set, restated};
    use guihua_store::SubjectKind;
    let (_d, store) = library();
    let me = guihua_store::Actor::local("测试", None);
    let (row, plan) = load_plan(&store, "1").unwrap();
    let map = restated(&store, row.id, &plan).unwrap();
    let id_of = |name: &str| {
        plan.indicators
            .iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| panic!("{name}"))
            .id
            .clone()
    };
    let forest = id_of("森林覆盖率");
    let unemployment = id_of("城镇登记失业率");
    let target_of = |subject: &str| {
        plan.targets
            .iter()
            .find(|t| t.subject == subject)
            .unwrap_or_else(|| panic!("{subject}"))
            .id
            .clone()
    };
    assert_eq!(
        map.get(&target_of("地区森林覆盖率")),
        Some(&forest),
        "{map:?}"
    );
    assert_eq!(
        map.get(&target_of("城镇登记失业率")),
        Some(&unemployment),
        "{map:?}"
    );
    // Not every target is a restatement.
    assert!(!map.contains_key(&target_of("粮食种植面积")));
    let obs = |id: &str, v: f64| Change::Observe {
        plan_id: 1,
        kind: SubjectKind::Indicator,
        subject_id: id.into(),
        year: 2022,
        value: v,
        source: None,
        note: None,
        expected_revision: None,
    };
    store
        .apply(&[obs(&forest, 12.8), obs(&unemployment, 3.6)], &me)
        .unwrap();
    let set = observation_set(&store, row.id, &plan).unwrap();
    let t = target_of("城镇登记失业率");
    assert_eq!(set.get(&t).len(), 1);
    let results = guihua_eval::evaluate_plan(&plan, 2022, &set, &guihua_eval::Params::default());
    let (_, e) = results.iter().find(|(s, _)| s.id == t).unwrap();
    assert_ne!(
        e.status,
        guihua_eval::Status::NotAssessable,
        "{}",
        e.reason_zh
    );
    // In the report the target says whose data it uses.
    let (_, input) = guihua_app::report::assemble(
        &store,
        &guihua_app::report::Request {
            plan: "1",
            year: 2022,
            kind: guihua_report::Kind::Annual,
            lang: guihua_report::Lang::Zh,
            method: Default::default(),
            generated_on: "2026-12-01".into(),
            narrative: None,
            style: Default::default(),
        },
    )
    .unwrap();
    // "城镇登记失业率控制在4%以内" and "地区森林覆盖率达到12.68%" state their rows' own targets:
    // shown once, as the rows.
    for subject in ["城镇登记失业率", "地区森林覆盖率"] {
        let id = target_of(subject);
        assert!(
            input.subjects.iter().all(|s| s.subject.id != id),
            "{subject} shown twice"
        );
    }
    // "年均城镇新增就业2万人" is a yearly amount; the row is a five-year total 〔10.5〕: not
    // the same target, so it keeps its own (empty) data rather than the row's.
    assert!(!map.contains_key(&target_of("城镇新增就业")), "{map:?}");
}

/// An English report names indicators as the catalogue does in English, translates units,
/// and marks what has no translation.
#[test]
fn english_reports_use_the_catalogue_names() {
    let (_d, store) = library();
    let (_, input) = guihua_app::report::assemble(
        &store,
        &guihua_app::report::Request {
            plan: "2",
            year: 2023,
            kind: guihua_report::Kind::Midterm,
            lang: guihua_report::Lang::En,
            method: Default::default(),
            generated_on: "2026-12-01".into(),
            narrative: None,
            style: Default::default(),
        },
    )
    .unwrap();
    let names: Vec<&str> = input.subjects.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"Forest coverage"), "{names:?}");
    assert!(names.contains(&"Life expectancy"), "{names:?}");
    let life = input
        .subjects
        .iter()
        .find(|s| s.name == "Life expectancy")
        .unwrap();
    assert_eq!(life.unit.as_deref(), Some("years"));
    // The region and the plan's title have no English form here: kept, marked.
    assert_eq!(input.plan.region, "乌鲁木齐市 (zh)");
    assert!(input.plan.title.ends_with(" (zh)"));
    // Prose targets have no catalogue name: Chinese, marked.
    assert!(
        input
            .subjects
            .iter()
            .filter(|s| s.subject.kind == guihua_eval::SubjectKind::Target)
            .all(|s| s.name.ends_with(" (zh)")),
        "{names:?}"
    );
}

/// The planned path a report draws and tabulates follows the path shape the verdict was
/// judged by (`[paths]` in a parameters file).
#[test]
fn the_report_path_follows_the_method_shape() {
    let (_d, store) = library();
    let (_, plan) = guihua_app::evaluation::load_plan(&store, "1").unwrap();
    // A level row with a base and a target that differ (Tacheng's 城镇化率 50 → 55).
    let row = plan
        .indicators
        .iter()
        .find(|i| i.name == "常住人口城镇化率")
        .unwrap();
    // The path is drawn in the measure of the data: one level entered.
    store
        .apply(
            &[Change::Observe {
                plan_id: 1,
                kind: guihua_store::SubjectKind::Indicator,
                subject_id: row.id.clone(),
                year: 2022,
                value: 52.1,
                source: None,
                note: None,
                expected_revision: None,
            }],
            &guihua_store::Actor::local("测试", None),
        )
        .unwrap();
    let path_of = |file: Option<&str>| {
        let text = file.map(|f| f.to_string());
        let (_, input) = guihua_app::report::assemble(
            &store,
            &guihua_app::report::Request {
                plan: "1",
                year: 2023,
                kind: guihua_report::Kind::Midterm,
                lang: guihua_report::Lang::Zh,
                method: guihua_app::method::Method {
                    file: text.as_deref().map(|t| ("m.toml", t)),
                    ..Default::default()
                },
                generated_on: "2026-12-01".into(),
                narrative: None,
                style: Default::default(),
            },
        )
        .unwrap();
        input
            .subjects
            .iter()
            .find(|s| s.subject.id == row.id)
            .unwrap()
            .expected_path
            .clone()
    };
    let linear = path_of(None);
    let geometric = path_of(Some("[paths]\n\"常住人口城镇化率\" = \"geometric\"\n"));
    assert_eq!(linear.len(), geometric.len());
    let mid = |p: &[(i32, f64)]| p.iter().find(|(y, _)| *y == 2023).unwrap().1;
    assert!((mid(&linear) - 53.0).abs() < 1e-9, "{linear:?}");
    assert!(mid(&geometric) < mid(&linear), "{geometric:?}");
}

/// Entry and management refuse what is wrong, each with its kind of error: nothing
/// written.
#[test]
fn entry_and_management_refuse_bad_requests() {
    use guihua_app::policy::Principal;
    use guihua_app::{admin, entry};
    let (_d, store) = library();
    let me = Principal::LocalAdmin("本机".into());
    let at = |subject| entry::Subject { plan: "1", subject };
    let history = store.history(1, None).unwrap().len();
    assert!(matches!(
        entry::assign(
            &store,
            &me,
            None,
            at("i1"),
            "  ",
            Some(guihua_store::Role::Lead)
        ),
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        admin::link(&store, &me, None, "1", "i1", Some("no_such_entry")),
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        admin::link(&store, &me, None, "1", "不存在的指标", None),
        Err(Error::NotFound(_))
    ));
    let j = store.projects(1).unwrap()[0].id.clone();
    let progress = |status, planned| entry::Progress {
        at: entry::Subject {
            plan: "1",
            subject: &j,
        },
        year: 2023,
        status,
        planned,
        completed: None,
        milestone: None,
        expected_revision: None,
    };
    for (p, why) in [
        (progress("完成了", None), "status 完成了"),
        (progress("在建", Some(-1.0)), "investment -1"),
        (progress("在建", Some(f64::NAN)), "investment NaN"),
    ] {
        match entry::project_status(&store, &me, None, &p) {
            Err(Error::Invalid(m)) => assert!(m.contains(why), "{m}"),
            other => panic!("{why}: {other:?}"),
        }
    }
    let late = entry::Progress {
        year: 2031,
        ..progress("在建", None)
    };
    assert!(matches!(
        entry::project_status(&store, &me, None, &late),
        Err(Error::Invalid(_))
    ));
    assert_eq!(
        store.history(1, None).unwrap().len(),
        history,
        "nothing written"
    );
}
