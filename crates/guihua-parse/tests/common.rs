//! Shared helpers for the seed tests: locating the reference plans, compact encodings of
//! extracted objects for exact comparison, and re-wrapping a plan as docx/html/other
//! encodings (generated here; copies of the seeds are never committed).

#![allow(dead_code)]

use std::io::Write;

use guihua_model::{Indicator, Plan, Quantity, QuantityKind, Target};

pub const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds");
pub const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

/// A development-corpus plan, read through the real reader (txt, html…). Panics (fails the
/// test) when the corpus is missing: CI must run these tests, never skip them.
pub fn corpus(name: &str) -> Plan {
    corpus_with_tables(name).0
}

/// A corpus plan with the summary of each table read.
#[allow(dead_code)]
pub fn corpus_with_tables(name: &str) -> (Plan, Vec<guihua_parse::TableSummary>) {
    let path = std::path::Path::new(CORPUS).join(name);
    let doc = guihua_read::read_path(&path)
        .unwrap_or_else(|e| panic!("corpus plan {} unreadable: {e}", path.display()));
    guihua_parse::parse_document_with_tables(&doc.document)
}

/// [`q`] with the flags a cell can carry: held each year, estimate, span, parts.
pub fn qx(x: &Quantity) -> String {
    let mut s = q(x);
    if x.held {
        s.push_str("[held]");
    }
    if x.estimate {
        s.push_str("[est]");
    }
    if let Some((a, b)) = x.span {
        s.push_str(&format!("[{a}-{b}]"));
    }
    if !x.parts.is_empty() {
        let parts: Vec<String> = x.parts.iter().map(|p| num(*p)).collect();
        s.push_str(&format!("[{}]", parts.join("/")));
    }
    s
}

/// "seq|category|name|unit|attribute|base|target|pace|parent" with the cell flags.
pub fn row_x(i: &Indicator) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}|{}|{}|{}",
        i.seq.as_deref().unwrap_or(""),
        i.category.as_deref().unwrap_or(""),
        i.name,
        i.unit.as_deref().unwrap_or(""),
        i.attribute.map(|a| a.zh()).unwrap_or(""),
        qx(&i.base),
        qx(&i.target),
        qx(&i.pace),
        i.parent.as_deref().unwrap_or("")
    )
}

pub fn rows_x(plan: &Plan) -> Vec<String> {
    plan.indicators.iter().map(row_x).collect()
}

/// Review rows: the indicator as the review states it, then "||" and the actual.
pub fn review_x(plan: &Plan) -> Vec<String> {
    plan.review
        .iter()
        .map(|r| format!("{}||{}", row_x(&r.indicator), qx(&r.actual)))
        .collect()
}

/// The text of a reference plan. Panics (fails the test) when the seeds are missing: CI
/// must run these tests, never skip them.
pub fn seed(prefix: &str) -> String {
    let dir = std::fs::read_dir(SEEDS)
        .unwrap_or_else(|e| panic!("reference plans missing at {SEEDS}: {e}"));
    for entry in dir.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(prefix) && name.ends_with(".txt") {
            return std::fs::read_to_string(entry.path()).expect("seed is UTF-8");
        }
    }
    panic!("reference plan {prefix}_*.txt missing in {SEEDS}");
}

fn num(v: f64) -> String {
    let s = format!("{v}");
    s
}

/// "kind:value[-max]:cmp:unit:ref" — the parts that are present.
pub fn q(x: &Quantity) -> String {
    let kind = match x.kind {
        QuantityKind::Level => "level",
        QuantityKind::Growth => "growth",
        QuantityKind::Cumulative => "cumulative",
        QuantityKind::Relative => "relative",
        QuantityKind::Delegated => "delegated",
        QuantityKind::Qualitative => "qualitative",
        QuantityKind::None => "none",
    };
    let mut s = kind.to_string();
    if let Some(v) = x.value {
        s.push(':');
        s.push_str(&num(v));
        if let Some(m) = x.value_max {
            s.push('-');
            s.push_str(&num(m));
        }
    }
    if let Some(c) = x.comparator {
        s.push(':');
        s.push_str(&format!("{c:?}").to_lowercase());
    }
    if let Some(r) = &x.reference {
        s.push('@');
        s.push_str(r);
    }
    s
}

/// "seq|category|name|unit|attribute|base|target|pace|parent"
pub fn row(i: &Indicator) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}|{}|{}|{}",
        i.seq.as_deref().unwrap_or(""),
        i.category.as_deref().unwrap_or(""),
        i.name,
        i.unit.as_deref().unwrap_or(""),
        i.attribute.map(|a| a.zh()).unwrap_or(""),
        q(&i.base),
        q(&i.target),
        q(&i.pace),
        i.parent.as_deref().unwrap_or("")
    )
}

/// "subject|quantity|unit|year"
pub fn target(t: &Target) -> String {
    format!(
        "{}|{}|{}|{}",
        t.subject,
        q(&t.quantity),
        t.quantity.unit.as_deref().unwrap_or(""),
        t.quantity.year.map(|y| y.to_string()).unwrap_or_default()
    )
}

pub fn rows(plan: &Plan) -> Vec<String> {
    plan.indicators.iter().map(row).collect()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A minimal Word document with one paragraph per line (TABs as `w:tab`).
pub fn docx(text: &str) -> Vec<u8> {
    let mut body = String::new();
    for line in text.split('\n') {
        if line.is_empty() {
            body.push_str("<w:p/>");
            continue;
        }
        body.push_str("<w:p><w:r>");
        for (k, part) in line.split('\t').enumerate() {
            if k > 0 {
                body.push_str("<w:tab/>");
            }
            if !part.is_empty() {
                body.push_str(&format!(
                    "<w:t xml:space=\"preserve\">{}</w:t>",
                    xml_escape(part)
                ));
            }
        }
        body.push_str("</w:r></w:p>");
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}</w:body></w:document>"
    );
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
        </Types>";
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("[Content_Types].xml", opts).expect("zip");
        z.write_all(content_types.as_bytes()).expect("zip");
        z.start_file("word/document.xml", opts).expect("zip");
        z.write_all(document.as_bytes()).expect("zip");
        z.finish().expect("zip");
    }
    buf.into_inner()
}

/// A government-style web page: navigation, scripts and web residue around the plan; one
/// `<p>` per line, with runs of empty or TAB-indented lines kept in `<pre>`.
pub fn html(text: &str) -> String {
    let mut s = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>规划</title>\
         <script>var x = '<p>not text</p>';</script><style>p{margin:0}</style></head><body>\
         <nav><a href=\"/\">首页</a> <a href=\"/zwgk\">政务公开</a></nav><div class=\"content\">\n",
    );
    let lines: Vec<&str> = text.split('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.is_empty() || l.starts_with('\t') {
            let mut j = i;
            while j < lines.len() && (lines[j].is_empty() || lines[j].starts_with('\t')) {
                j += 1;
            }
            s.push_str("<pre>\n");
            for k in &lines[i..j] {
                s.push_str(&xml_escape(k));
                s.push('\n');
            }
            s.push_str("</pre>\n");
            i = j;
        } else {
            s.push_str(&format!("<p>{}</p>\n", xml_escape(l)));
            i += 1;
        }
    }
    s.push_str("</div><div class=\"foot\"><p>扫一扫在手机打开当前页</p></div></body></html>");
    s
}
