//! What a hand-in file must carry beyond its content: Word pages numbered in the footer
//! with live fields, and Excel cells that are numbers formatted as the report shows them.

mod common;

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use guihua_report::*;
use quick_xml::events::{BytesStart, Event};

fn unzip(bytes: &[u8]) -> zip::ZipArchive<Cursor<&[u8]>> {
    zip::ZipArchive::new(Cursor::new(bytes)).expect("a valid zip")
}

fn zip_text(z: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> String {
    let mut s = String::new();
    z.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in zip"))
        .read_to_string(&mut s)
        .expect("utf-8");
    s
}

fn attr(e: &BytesStart, key: &str) -> Option<String> {
    e.try_get_attribute(key).unwrap().map(|a| {
        let v = std::str::from_utf8(&a.value).expect("utf-8 attribute");
        quick_xml::escape::unescape(v)
            .expect("valid escapes")
            .into_owned()
    })
}

// ---------------------------------------------------------------------------------------
// Word: footer with page numbers
// ---------------------------------------------------------------------------------------

/// The footer references of the section properties: (type, relationship id). Checks
/// that they come first in `w:sectPr`, where the schema (`CT_SectPr`) wants them.
fn footer_refs(document: &str) -> Vec<(String, String)> {
    let mut r = quick_xml::Reader::from_str(document);
    // Inside a w:sectPr: the names of its children so far, and the depth below it.
    let mut sect: Option<(Vec<String>, usize)> = None;
    let mut out = Vec::new();
    loop {
        let ev = r.read_event().unwrap();
        match &ev {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == b"w:sectPr" => sect = Some((Vec::new(), 0)),
            Event::End(e) if e.name().as_ref() == b"w:sectPr" => sect = None,
            Event::Start(e) | Event::Empty(e) if sect.as_ref().is_some_and(|s| s.1 == 0) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                let children = &mut sect.as_mut().unwrap().0;
                if name == "w:footerReference" {
                    assert!(
                        children
                            .iter()
                            .all(|c| c == "w:headerReference" || c == "w:footerReference"),
                        "footer reference after {children:?}"
                    );
                    out.push((
                        attr(e, "w:type").unwrap_or_default(),
                        attr(e, "r:id").expect("footer reference without r:id"),
                    ));
                }
                children.push(name);
                if matches!(ev, Event::Start(_)) {
                    sect.as_mut().unwrap().1 += 1;
                }
            }
            Event::Start(_) => {
                if let Some(s) = sect.as_mut() {
                    s.1 += 1;
                }
            }
            Event::End(_) => {
                if let Some(s) = sect.as_mut() {
                    s.1 = s.1.saturating_sub(1);
                }
            }
            _ => {}
        }
    }
    out
}

/// The target of relationship `id` in a `.rels` part.
fn rel_target(rels: &str, id: &str) -> Option<String> {
    let mut r = quick_xml::Reader::from_str(rels);
    loop {
        match r.read_event().unwrap() {
            Event::Eof => return None,
            Event::Start(e) | Event::Empty(e)
                if e.name().as_ref() == b"Relationship"
                    && attr(&e, "Id").as_deref() == Some(id) =>
            {
                return attr(&e, "Target");
            }
            _ => {}
        }
    }
}

/// A footer paragraph as a sequence: text runs as `T(text)`, fields as `F(instruction)`
/// (only complete begin–instr–separate–end fields count), and its alignment.
#[derive(Debug, PartialEq)]
enum Piece {
    T(String),
    F(String),
}

fn footer_pieces(xml: &str) -> (Vec<Piece>, Option<String>) {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out: Vec<Piece> = Vec::new();
    let mut jc = None;
    // Field state: None outside, Some((instruction, past separate)) inside.
    let mut field: Option<(String, bool)> = None;
    let (mut in_t, mut in_instr) = (false, false);
    loop {
        match r.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_t = true,
            Event::Start(e) if e.name().as_ref() == b"w:instrText" => in_instr = true,
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"w:jc" => jc = attr(&e, "w:val"),
                b"w:fldChar" => match attr(&e, "w:fldCharType").as_deref() {
                    Some("begin") => field = Some((String::new(), false)),
                    Some("separate") => {
                        if let Some(f) = field.as_mut() {
                            f.1 = true;
                        }
                    }
                    Some("end") => {
                        let (instr, sep) = field.take().expect("field end without begin");
                        assert!(sep, "field {instr:?} without a separate mark");
                        out.push(Piece::F(instr.trim().to_string()));
                    }
                    other => panic!("unexpected fldCharType {other:?}"),
                },
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                b"w:t" => in_t = false,
                b"w:instrText" => in_instr = false,
                _ => {}
            },
            Event::Text(t) => {
                let s = t.unescape().unwrap().into_owned();
                if in_instr {
                    field.as_mut().expect("instruction outside a field").0 += &s;
                } else if in_t && field.is_none() {
                    match out.last_mut() {
                        Some(Piece::T(prev)) => prev.push_str(&s),
                        _ => out.push(Piece::T(s)),
                    }
                }
                // Text inside a field is its cached result ("1"), which Word replaces.
            }
            _ => {}
        }
    }
    assert!(field.is_none(), "unterminated field");
    (out, jc)
}

fn check_footer(lang: Lang, want: &[Piece]) {
    let input = common::input(common::SEEDS[1], Kind::Midterm, 2023, lang);
    let docx = render(&input, Format::Docx).unwrap();
    let mut z = unzip(&docx);
    let doc = zip_text(&mut z, "word/document.xml");
    let refs = footer_refs(&doc);
    assert_eq!(refs.len(), 1, "one footer for the section: {refs:?}");
    assert_eq!(refs[0].0, "default", "the default footer is on every page");
    // A different first page (w:titlePg) would leave page 1 without the footer.
    assert!(!doc.contains("w:titlePg"), "first page has its own footer");
    let rels = zip_text(&mut z, "word/_rels/document.xml.rels");
    let target = rel_target(&rels, &refs[0].1).expect("footer relationship");
    let footer = zip_text(&mut z, &format!("word/{target}"));
    let (pieces, jc) = footer_pieces(&footer);
    assert_eq!(jc.as_deref(), Some("center"), "footer centred");
    assert_eq!(pieces, want, "{footer}");
    let types = zip_text(&mut z, "[Content_Types].xml");
    assert!(
        types.contains(&format!("/word/{target}")) && types.contains("footer+xml"),
        "footer part declared: {types}"
    );
}

#[test]
fn docx_footer_numbers_pages_zh() {
    use Piece::*;
    check_footer(
        Lang::Zh,
        &[
            T("第 ".into()),
            F("PAGE".into()),
            T(" 页 / 共 ".into()),
            F("NUMPAGES".into()),
            T(" 页".into()),
        ],
    );
}

#[test]
fn docx_footer_numbers_pages_en() {
    use Piece::*;
    check_footer(
        Lang::En,
        &[
            T("Page ".into()),
            F("PAGE".into()),
            T(" of ".into()),
            F("NUMPAGES".into()),
        ],
    );
}

#[test]
fn docx_footer_on_comparison_too() {
    let rows = vec![ComparisonRow {
        plan: "某市规划".into(),
        region: "某市".into(),
        base: Some(1.0),
        target: Some(2.0),
        latest_actual: Some(1.5),
        latest_year: Some(2023),
        status: guihua_eval::Status::OnTrack,
    }];
    let docx = render_comparison(&rows, "指标", Lang::Zh, Format::Docx).unwrap();
    let mut z = unzip(&docx);
    let refs = footer_refs(&zip_text(&mut z, "word/document.xml"));
    assert_eq!(refs.len(), 1);
}

// ---------------------------------------------------------------------------------------
// Excel: numbers with the number format of what the cell shows
// ---------------------------------------------------------------------------------------

/// Built-in number formats (ECMA-376 §18.8.30) that Excel writers refer to by id only.
fn builtin_format(id: u32) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        49 => "@",
        _ => return None,
    })
}

/// The number format code of each cell style (`cellXfs` index).
fn style_formats(styles: &str) -> Vec<String> {
    let mut r = quick_xml::Reader::from_str(styles);
    let mut custom: HashMap<u32, String> = HashMap::new();
    let mut ids = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match r.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"numFmt" => {
                custom.insert(
                    attr(&e, "numFmtId").unwrap().parse().unwrap(),
                    attr(&e, "formatCode").unwrap(),
                );
            }
            Event::Start(e) if e.name().as_ref() == b"cellXfs" => in_cell_xfs = true,
            Event::End(e) if e.name().as_ref() == b"cellXfs" => in_cell_xfs = false,
            Event::Start(e) | Event::Empty(e) if in_cell_xfs && e.name().as_ref() == b"xf" => {
                ids.push(
                    attr(&e, "numFmtId")
                        .map(|s| s.parse::<u32>().unwrap())
                        .unwrap_or(0),
                );
            }
            _ => {}
        }
    }
    ids.into_iter()
        .map(|id| {
            custom
                .get(&id)
                .cloned()
                .or_else(|| builtin_format(id).map(String::from))
                .unwrap_or_else(|| format!("numFmtId {id}"))
        })
        .collect()
}

/// Each cell of a worksheet: reference → (type attribute, style index).
fn cell_types(sheet: &str) -> HashMap<String, (Option<String>, usize)> {
    let mut r = quick_xml::Reader::from_str(sheet);
    let mut out = HashMap::new();
    loop {
        match r.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"c" => {
                out.insert(
                    attr(&e, "r").unwrap(),
                    (
                        attr(&e, "t"),
                        attr(&e, "s").map(|s| s.parse().unwrap()).unwrap_or(0),
                    ),
                );
            }
            _ => {}
        }
    }
    out
}

/// Base and target texts put into the main table, and what Excel must hold for them:
/// `Some((value, format))` for a number, `None` for text.
#[allow(clippy::approx_constant)] // 0.318 is 31.8 %, not 1/π
const CASES: [(&str, Option<(f64, &str)>); 14] = [
    ("3.90", Some((3.9, "0.00"))),
    ("15", Some((15.0, "0"))),
    ("31.8%", Some((0.318, "0.0%"))),
    ("32%", Some((0.32, "0%"))),
    ("-1.25%", Some((-0.0125, "0.00%"))),
    ("4678.7", Some((4678.7, "0.0"))),
    ("0.05", Some((0.05, "0.00"))),
    ("3.93（2023）", None),
    ("—", None),
    ("≥95%", None),
    ("1e5%", None),
    ("%", None),
    ("31.8 %", None),
    ("〔13.5〕", None),
];

#[test]
fn xlsx_numbers_keep_their_display() {
    let mut input = common::input(common::SEEDS[1], Kind::Midterm, 2023, Lang::Zh);
    assert!(input.subjects.len() >= CASES.len());
    // Base (column D) of subject i gets case i, target (column E) case i + 1, so every
    // case lands in both columns.
    for (i, s) in input.subjects.iter_mut().take(CASES.len()).enumerate() {
        s.base_text = CASES[i].0.into();
        s.target_text = CASES[(i + 1) % CASES.len()].0.into();
    }
    let xlsx = render(&input, Format::Xlsx).unwrap();

    let mut z = unzip(&xlsx);
    let sheet = cell_types(&zip_text(&mut z, "xl/worksheets/sheet1.xml"));
    let formats = style_formats(&zip_text(&mut z, "xl/styles.xml"));
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(xlsx.clone())).expect("xlsx opens");
    assert_eq!(wb.sheet_names()[0], "指标完成情况");
    let main = wb.worksheet_range("指标完成情况").unwrap();

    for i in 0..CASES.len() {
        for (col, letter, case) in [(3u32, 'D', i), (4, 'E', (i + 1) % CASES.len())] {
            let (text, want) = CASES[case];
            let row = i as u32 + 1;
            let r = format!("{letter}{}", row + 1);
            let (t, s) = sheet.get(&r).unwrap_or_else(|| panic!("no cell {r}"));
            let got = main.get((row as usize, col as usize));
            match want {
                Some((v, code)) => {
                    assert_eq!(t.as_deref(), None, "{text:?} in {r} is not a number cell");
                    assert_eq!(got, Some(&Data::Float(v)), "{text:?} in {r}");
                    assert_eq!(formats[*s], code, "{text:?} in {r}: number format");
                }
                None => {
                    assert_eq!(t.as_deref(), Some("s"), "{text:?} in {r} is not text");
                    assert_eq!(
                        got,
                        Some(&Data::String(text.into())),
                        "{text:?} in {r} changed"
                    );
                }
            }
        }
    }
    // The No. column is an integer-formatted number.
    let (t, s) = &sheet["A2"];
    assert_eq!((t.as_deref(), formats[*s].as_str()), (None, "0"));
}

/// `--style gongwen`: the layout of official documents (GB/T 9704) — 仿宋_GB2312 三号 body
/// on a fixed 28 pt line, 黑体 and 楷体_GB2312 headings, 方正小标宋简体 title, margins
/// 37/35/28/26 mm, page numbers "— X —"; the standard look keeps 宋体 and its footer.
#[test]
fn docx_gongwen_style() {
    use guihua_report::DocStyle;
    use Piece::*;
    let mut input = common::input(common::SEEDS[1], Kind::Midterm, 2023, Lang::Zh);
    input.style = DocStyle::Gongwen;
    let docx = render(&input, Format::Docx).unwrap();
    let mut z = unzip(&docx);
    let doc = zip_text(&mut z, "word/document.xml");
    let styles = zip_text(&mut z, "word/styles.xml");
    let all = format!("{doc}{styles}");
    for font in ["仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"] {
        assert!(all.contains(font), "{font} missing");
    }
    assert!(
        doc.contains(r#"w:top="2098""#) && doc.contains(r#"w:left="1588""#),
        "margins"
    );
    assert!(
        doc.contains(r#"w:lineRule="exact""#) && doc.contains(r#"w:line="560""#),
        "28 pt lines"
    );
    // 三号 (16 pt = 32 half-points) body text.
    assert!(styles.contains(r#"<w:sz w:val="32" />"#) || styles.contains(r#"<w:sz w:val="32"/>"#));
    let rels = zip_text(&mut z, "word/_rels/document.xml.rels");
    let refs = footer_refs(&doc);
    let target = rel_target(&rels, &refs[0].1).expect("footer relationship");
    let (pieces, _) = footer_pieces(&zip_text(&mut z, &format!("word/{target}")));
    assert_eq!(pieces, [T("— ".into()), F("PAGE".into()), T(" —".into())]);
    // The standard look is unchanged.
    input.style = DocStyle::Standard;
    let docx = render(&input, Format::Docx).unwrap();
    let mut z = unzip(&docx);
    let doc = zip_text(&mut z, "word/document.xml");
    assert!(!doc.contains("仿宋_GB2312") && doc.contains("SimSun"));
}
