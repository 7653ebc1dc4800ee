//! Hostile user text — control characters from PDFs, XML non-characters, HTML, spreadsheet
//! formulas, a note far longer than a spreadsheet cell — must give files that Word, Excel
//! and a Markdown or HTML viewer open, showing the text as text.

mod common;

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use guihua_eval::Status;
use guihua_report::*;
use quick_xml::events::Event;

const SCRIPT: &str = "<script>alert(1)</script>";
const FORMULA: &str = "=HYPERLINK(\"http://x\",\"点我\")";
const LONG_CHAR: char = '长';
const LONG_LEN: usize = 40_000;
const MARKER: &str = "…（已截断）";
/// Excel's limit of characters per cell.
const CELL_MAX: usize = 32_767;

/// A report on a reference plan with hostile text in every field a user fills.
fn hostile(lang: Lang) -> ReportInput {
    let mut i = common::input(common::SEEDS[1], Kind::Midterm, 2023, lang);
    i.plan.title = format!("规划\u{0C}纲要{SCRIPT}\u{FFFE}");
    i.plan.region = "某<b>市</b>\u{1}".into();
    i.generated_on = "2024-01-02\u{0B}".into();
    assert!(i.subjects.len() > 5);
    i.subjects[0].name = FORMULA.into();
    i.subjects[1].name = format!("指标\u{0C}一\u{FFFE}\u{FFFF}\u{0}\u{1B}{SCRIPT}");
    i.subjects[2].name = "[点我](javascript:alert(1)) a|b".into();
    i.subjects[2].base_text = "@SUM(A1:A9)".into();
    i.subjects[2].target_text = "+1+2".into();
    i.subjects[3].base_text = "-1+2".into();
    i.subjects[3].unit = Some("_x中文_x000C_".into());
    i.subjects[4].expected_label = Some("参照\u{0C}<i>x</i>".into());
    // A 40,000-character note on a binding, lagging subject: it lands in the lagging
    // analysis and in the "说明" column of the binding table.
    let b = i
        .subjects
        .iter()
        .position(|s| s.is_binding())
        .expect("a binding indicator in seed 001");
    i.subjects[b].evaluation.status = Status::SeverelyLagging;
    i.subjects[b].evaluation.reason_zh = LONG_CHAR.to_string().repeat(LONG_LEN);
    i.subjects[b].evaluation.reason_en = LONG_CHAR.to_string().repeat(LONG_LEN);
    assert!(!i.projects.is_empty());
    i.projects[0].name = format!("项目\u{0C}{SCRIPT}");
    i.projects[0].unit = "亿元\u{FFFF}".into();
    assert!(!i.responsibilities.is_empty());
    i.responsibilities[0].lead = "\t=1+1".into();
    i.responsibilities[0].co = vec!["财政局</td><img src=x onerror=alert(1)>".into()];
    i
}

/// XML 1.0 `Char`: TAB, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Parse `xml` to the end; panic on malformed XML or a character XML 1.0 forbids, raw
/// or as a character reference.
fn assert_xml(name: &str, xml: &str) {
    if let Some(c) = xml.chars().find(|c| !xml_char(*c)) {
        panic!("{name}: forbidden character U+{:04X}", c as u32);
    }
    let mut r = quick_xml::Reader::from_str(xml);
    loop {
        match r.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Text(t)) => {
                let s = t
                    .unescape()
                    .unwrap_or_else(|e| panic!("{name}: bad text: {e}"));
                if let Some(c) = s.chars().find(|c| !xml_char(*c)) {
                    panic!("{name}: forbidden character U+{:04X}", c as u32);
                }
            }
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                for a in e.attributes() {
                    let a = a.unwrap_or_else(|e| panic!("{name}: bad attribute: {e}"));
                    let v = std::str::from_utf8(&a.value).expect("utf-8 attribute");
                    quick_xml::escape::unescape(v)
                        .unwrap_or_else(|e| panic!("{name}: bad attribute value: {e}"));
                }
            }
            Ok(_) => {}
            Err(e) => panic!("{name}: not well-formed at {}: {e}", r.buffer_position()),
        }
    }
}

/// Every XML part of an OOXML package, by name.
fn xml_parts(bytes: &[u8]) -> HashMap<String, String> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("a valid zip");
    let mut parts = HashMap::new();
    for k in 0..z.len() {
        let mut f = z.by_index(k).unwrap();
        let name = f.name().to_string();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let mut s = String::new();
            f.read_to_string(&mut s)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            parts.insert(name, s);
        }
    }
    parts
}

fn long_run() -> String {
    LONG_CHAR.to_string().repeat(CELL_MAX + 1)
}

#[test]
fn markdown_escapes_html_and_links() {
    for lang in [Lang::Zh, Lang::En] {
        let md = String::from_utf8(render(&hostile(lang), Format::Md).unwrap()).unwrap();
        assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!md.contains("<script"), "raw HTML passed into Markdown");
        assert!(!md.contains("<b>") && !md.contains("<i>") && !md.contains("<img"));
        assert!(!md.contains("</td>"));
        // A Markdown link in user text stays text; a pipe does not split the cell.
        assert!(
            md.contains("\\[点我\\](javascript:alert(1)) a\\|b"),
            "{lang:?}"
        );
        assert!(!md.contains("[点我]("));
        // The only raw HTML is the charts' own SVG ("<svg", its elements, "</svg>"); the
        // text inside the SVG is Markdown too, and is escaped as well.
        let tags: usize = md.matches('<').count();
        let svg: usize = md
            .split("<svg")
            .skip(1)
            .map(|s| s.split("</svg>").next().unwrap().matches('<').count() + 2)
            .sum();
        assert_eq!(tags, svg, "a '<' outside the charts");
        assert!(md.contains("&#91;点我&#93;(javascript:alert(1)) a|b"));
        assert!(!md.contains(&long_run()), "over-long paragraph kept");
        assert!(md.contains(MARKER));
    }
}

#[test]
fn html_escapes_everything() {
    let html = String::from_utf8(render(&hostile(Lang::Zh), Format::Html).unwrap()).unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("<b>") && !html.contains("<i>") && !html.contains("<img"));
    assert!(html.contains("财政局&lt;/td&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!html.contains(&long_run()));
    assert!(html.contains(MARKER));
    // Control characters and non-characters are gone from HTML too.
    assert!(!html.contains(['\u{0}', '\u{1}', '\u{B}', '\u{C}', '\u{1B}', '\u{FFFE}', '\u{FFFF}']));
}

#[test]
fn docx_is_well_formed_xml() {
    for lang in [Lang::Zh, Lang::En] {
        let docx = render(&hostile(lang), Format::Docx).unwrap();
        let parts = xml_parts(&docx);
        for (name, xml) in &parts {
            assert_xml(name, xml);
        }
        let doc = &parts["word/document.xml"];
        assert!(doc.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!doc.contains("<script"));
        // The form feed became a space, the other forbidden characters are gone.
        assert!(doc.contains("指标 一&lt;script&gt;"), "{lang:?}");
        assert!(doc.contains("规划 纲要"));
        assert!(!doc.contains(&long_run()), "over-long paragraph kept");
        assert!(doc.contains(MARKER));
    }
}

/// An attribute's value, unescaped (`unescape_value` is not available when another crate
/// of the workspace turns on quick-xml's `encoding` feature).
fn attr_value(a: &quick_xml::events::attributes::Attribute) -> String {
    let v = std::str::from_utf8(&a.value).expect("utf-8 attribute");
    quick_xml::escape::unescape(v)
        .expect("valid escapes")
        .into_owned()
}

/// A cell of a worksheet as stored: its type attribute, style index, whether it holds a
/// formula, and its value.
#[derive(Debug, Default, Clone)]
struct Cell {
    t: Option<String>,
    s: usize,
    formula: bool,
    v: String,
}

fn cells(xml: &str) -> HashMap<String, Cell> {
    fn start(e: &quick_xml::events::BytesStart) -> (String, Cell) {
        let attr = |k: &str| e.try_get_attribute(k).unwrap().map(|a| attr_value(&a));
        let cell = Cell {
            t: attr("t"),
            s: attr("s").map(|s| s.parse().unwrap()).unwrap_or(0),
            ..Cell::default()
        };
        (attr("r").expect("cell reference"), cell)
    }
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out = HashMap::new();
    let mut cur: Option<(String, Cell)> = None;
    let mut in_v = false;
    loop {
        match r.read_event().unwrap() {
            Event::Eof => break,
            Event::Empty(e) if e.name().as_ref() == b"c" => {
                let (r, c) = start(&e);
                out.insert(r, c);
            }
            Event::Start(e) if e.name().as_ref() == b"c" => cur = Some(start(&e)),
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"f" => {
                if let Some(c) = cur.as_mut() {
                    c.1.formula = true;
                }
            }
            Event::Start(e) if e.name().as_ref() == b"v" => in_v = true,
            Event::End(e) if e.name().as_ref() == b"v" => in_v = false,
            Event::Text(t) if in_v => {
                if let Some(c) = cur.as_mut() {
                    c.1.v.push_str(&t.unescape().unwrap());
                }
            }
            Event::End(e) if e.name().as_ref() == b"c" => {
                if let Some((r, c)) = cur.take() {
                    out.insert(r, c);
                }
            }
            _ => {}
        }
    }
    out
}

/// The shared strings, in order (rich strings concatenated).
fn shared_strings(xml: &str) -> Vec<String> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut in_t = false;
    loop {
        match r.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == b"si" => out.push(String::new()),
            Event::Start(e) if e.name().as_ref() == b"t" => in_t = true,
            Event::End(e) if e.name().as_ref() == b"t" => in_t = false,
            Event::Text(t) if in_t => out.last_mut().unwrap().push_str(&t.unescape().unwrap()),
            _ => {}
        }
    }
    out
}

/// Whether cell style `s` (an index into `cellXfs`) has the quote prefix, which keeps
/// Excel from reading the text as a formula even when the user edits the cell.
fn quote_prefixed(styles: &str, s: usize) -> bool {
    let mut r = quick_xml::Reader::from_str(styles);
    let mut in_cell_xfs = false;
    let mut n = 0;
    loop {
        match r.read_event().unwrap() {
            Event::Eof => return false,
            Event::Start(e) if e.name().as_ref() == b"cellXfs" => in_cell_xfs = true,
            Event::End(e) if e.name().as_ref() == b"cellXfs" => in_cell_xfs = false,
            Event::Start(e) | Event::Empty(e) if in_cell_xfs && e.name().as_ref() == b"xf" => {
                if n == s {
                    return e
                        .try_get_attribute("quotePrefix")
                        .unwrap()
                        .is_some_and(|a| a.value.as_ref() == b"1");
                }
                n += 1;
            }
            _ => {}
        }
    }
}

#[test]
fn xlsx_is_well_formed_and_text_stays_text() {
    let input = hostile(Lang::Zh);
    let xlsx = render(&input, Format::Xlsx).expect("hostile text must not break the export");
    let parts = xml_parts(&xlsx);
    for (name, xml) in &parts {
        assert_xml(name, xml);
        // rust_xlsxwriter writes C0 controls as Excel's _xHHHH_ escapes; none may remain
        // (a literal "_x000C_" in user text is written as "_x005F_x000C_").
        assert!(
            !xml.replace("_x005F_x", "").contains("_x000C_"),
            "{name}: a control character"
        );
    }
    let strings = shared_strings(&parts["xl/sharedStrings.xml"]);
    let styles = &parts["xl/styles.xml"];
    assert!(strings
        .iter()
        .all(|s| !s.contains(['\u{0}', '\u{B}', '\u{C}', '\u{1B}'])));
    // Text that merely looks like Excel's escapes survives as written (rust_xlsxwriter
    // escapes the "_x000C_"); the first "_x", which would panic rust_xlsxwriter 0.79, gets
    // an invisible word joiner.
    assert!(
        strings.iter().any(|s| s == "_\u{2060}x中文_x005F_x000C_"),
        "literal _x text changed: {:?}",
        strings
            .iter()
            .filter(|s| s.contains("中文"))
            .collect::<Vec<_>>()
    );
    // Formula-looking text is stored as a (shared) string, never as a formula, and
    // carries the quote prefix.
    let sheets: Vec<&String> = parts
        .iter()
        .filter(|(n, _)| n.starts_with("xl/worksheets/sheet"))
        .map(|(_, x)| x)
        .collect();
    assert!(!sheets.is_empty());
    let mut found = HashMap::new();
    for xml in &sheets {
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "a formula cell"
        );
        for c in cells(xml).values() {
            assert!(!c.formula);
            if c.t.as_deref() == Some("s") {
                let text = &strings[c.v.parse::<usize>().unwrap()];
                for start in [FORMULA, "@SUM(A1:A9)", "+1+2", "-1+2", "\t=1+1"] {
                    if text.starts_with(start) {
                        assert!(quote_prefixed(styles, c.s), "{text:?} without quote prefix");
                        found.insert(start, ());
                    }
                }
            }
        }
    }
    assert_eq!(found.len(), 5, "string cells found: {:?}", found.keys());

    // What Excel-compatible readers see: the texts as strings, numbers as numbers, the
    // long note cut to Excel's limit with the marker.
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(xlsx)).expect("xlsx opens");
    let main = wb.worksheet_range("指标完成情况").unwrap();
    assert_eq!(main.height(), input.subjects.len() + 1);
    assert_eq!(main.get((1, 0)), Some(&Data::Float(1.0)), "No. is a number");
    assert!(matches!(main.get((1, 1)), Some(Data::String(s)) if s.starts_with(FORMULA)));
    assert!(
        matches!(main.get((3, 3)), Some(Data::String(s)) if s == "@SUM(A1:A9)"),
        "{:?}",
        main.get((3, 3))
    );
    let numeric_base = input
        .subjects
        .iter()
        .position(|s| s.base_text.trim().parse::<f64>().is_ok())
        .expect("a numeric base");
    assert!(
        matches!(main.get((numeric_base + 1, 3)), Some(Data::Float(_))),
        "numbers stay numbers: {:?}",
        main.get((numeric_base + 1, 3))
    );
    let mut truncated = 0;
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for c in range.used_cells() {
            if let Data::String(s) = c.2 {
                assert!(
                    s.encode_utf16().count() <= CELL_MAX,
                    "{name}: {} chars",
                    s.len()
                );
                if s.contains(LONG_CHAR.to_string().repeat(100).as_str()) {
                    assert!(s.ends_with(MARKER), "{name}: long text without marker");
                    truncated += 1;
                }
            }
        }
    }
    assert!(
        truncated >= 2,
        "the long note in the text and the binding table"
    );
}

#[test]
fn comparison_with_hostile_names() {
    let rows = vec![ComparisonRow {
        plan: format!("规划\u{0C}{SCRIPT}"),
        region: FORMULA.into(),
        base: Some(1.0),
        target: Some(2.0),
        latest_actual: Some(1.5),
        latest_year: Some(2023),
        status: Status::OnTrack,
    }];
    let indicator = format!("指标\u{FFFE}{SCRIPT}");
    let md = String::from_utf8(render_comparison(&rows, &indicator, Lang::Zh, Format::Md).unwrap())
        .unwrap();
    assert!(md.contains("&lt;script&gt;") && !md.contains("<script"));
    let docx = render_comparison(&rows, &indicator, Lang::Zh, Format::Docx).unwrap();
    for (name, xml) in xml_parts(&docx) {
        assert_xml(&name, &xml);
    }
    let xlsx = render_comparison(&rows, &indicator, Lang::Zh, Format::Xlsx).unwrap();
    for (name, xml) in xml_parts(&xlsx) {
        assert_xml(&name, &xml);
        assert!(!xml.contains("<f>"));
    }
}
