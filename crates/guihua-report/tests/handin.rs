//! What a hand-in file must carry beyond its content: Word pages numbered in the footer
//! with live fields.

mod common;

use std::io::{Cursor, Read};

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
