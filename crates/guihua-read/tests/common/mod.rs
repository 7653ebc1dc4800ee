//! Helpers shared by the integration tests: building Word documents and HTML pages in
//! memory, and locating the reference plans.
#![allow(dead_code)]

use std::io::{Cursor, Write};
use std::path::PathBuf;

use guihua_model::{Block, Document};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The reference plans. Tests must fail, not skip, when they are missing.
pub fn seeds() -> Vec<(String, String)> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seeds"
    ));
    let mut out = Vec::new();
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("seed directory {} is missing: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("readable seed directory").path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = std::fs::read_to_string(&path).expect("seed is UTF-8");
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, text));
        }
    }
    out.sort();
    assert!(
        out.len() >= 5,
        "expected the five reference plans in {}",
        dir.display()
    );
    out
}

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A `word/document.xml` whose body is `body` (already XML).
pub fn document_xml(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"{W_NS}\"><w:body>{body}<w:sectPr/></w:body></w:document>"
    )
}

/// One `w:p` per line, text XML-escaped and space-preserving.
pub fn paragraphs_xml<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut body = String::new();
    for l in lines {
        body.push_str("<w:p><w:r><w:t xml:space=\"preserve\">");
        body.push_str(&xml_escape(l));
        body.push_str("</w:t></w:r></w:p>");
    }
    body
}

/// One `w:p` per line as Word writes it: an empty line is `<w:p/>`, a tab is `<w:tab/>`
/// between text runs.
pub fn word_paragraphs_xml<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut body = String::new();
    for l in lines {
        if l.is_empty() {
            body.push_str("<w:p/>");
            continue;
        }
        body.push_str("<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr>");
        for (i, piece) in l.split('\t').enumerate() {
            if i > 0 {
                body.push_str("<w:r><w:tab/></w:r>");
            }
            if !piece.is_empty() {
                body.push_str("<w:r><w:t xml:space=\"preserve\">");
                body.push_str(&xml_escape(piece));
                body.push_str("</w:t></w:r>");
            }
        }
        body.push_str("</w:p>");
    }
    body
}

/// A minimal valid .docx with the given parts (name, content).
pub fn docx_with(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    w.start_file("[Content_Types].xml", opts).unwrap();
    w.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
          <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
          <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>",
    )
    .unwrap();
    for (name, content) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(content).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub fn docx(document_xml: &str) -> Vec<u8> {
    docx_with(&[("word/document.xml", document_xml.as_bytes())])
}

pub fn paragraph_texts(doc: &Document) -> Vec<String> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.text.clone()),
            Block::Table(_) => None,
        })
        .collect()
}
