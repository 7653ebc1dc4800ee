//! PDF: text comes from poppler's `pdftotext -layout`, then [`clean_layout_text`] turns the
//! page layout back into paragraphs.
//!
//! Why an external program: extracting text from PDF (fonts, CMaps, CJK encodings) is a
//! project of its own, and poppler does it well and is packaged everywhere. `-layout` keeps
//! the columns of tables aligned, which the parser uses to recognise tables in text.
//!
//! Why the cleaning is a separate pure function: the layout output has page furniture
//! (page numbers, running headers) and hard line breaks inside paragraphs; recognising
//! them is heuristic, and heuristics need unit tests on synthetic input, without poppler.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use guihua_model::Document;

use crate::{encoding, ReadError};

pub(crate) fn read_pdf(bytes: &[u8], path: Option<&Path>) -> Result<Document, ReadError> {
    let raw = match path {
        Some(p) => run_pdftotext(p)?,
        None => {
            let tmp = TempFile::write(bytes)?;
            run_pdftotext(&tmp.0)?
        }
    };
    let cleaned = clean_layout_text(&raw);
    if cleaned.trim().is_empty() {
        return Err(ReadError::PdfNoText);
    }
    Ok(encoding::text_document(&cleaned))
}

fn run_pdftotext(path: &Path) -> Result<String, ReadError> {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::PdftotextMissing,
            _ => ReadError::Pdftotext(e.to_string()),
        })?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message");
        return Err(ReadError::Pdftotext(format!(
            "{first} (exit status {}); is it a valid, unencrypted PDF?",
            out.status.code().unwrap_or(-1)
        )));
    }
    // pdftotext writes UTF-8 as asked; a stray invalid byte is poppler's, not the file's.
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A temporary copy of PDF bytes for pdftotext, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn write(bytes: &[u8]) -> Result<TempFile, ReadError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!(
            "guihua-read-{}-{n}-{nanos}.pdf",
            std::process::id()
        ));
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        let tmp = TempFile(path);
        f.write_all(bytes)?;
        Ok(tmp)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Marks a line removed as page furniture (distinct from a blank line, which separates
/// paragraphs).
const REMOVED: &str = "\u{0}removed";

/// Display width: CJK and full-width characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if matches!(c, '\u{1100}'..='\u{115f}' | '\u{2e80}'..='\u{a4cf}' | '\u{ac00}'..='\u{d7a3}'
                | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}' | '\u{ff00}'..='\u{ff60}' | '\u{ffe0}'..='\u{ffe6}')
            {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Leading indentation in columns (tab = 4, full-width space = 2).
fn indent(line: &str) -> usize {
    let mut n = 0;
    for c in line.chars() {
        match c {
            ' ' => n += 1,
            '\t' => n += 4,
            '\u{3000}' => n += 2,
            _ => break,
        }
    }
    n
}

fn trim_layout(line: &str) -> &str {
    line.trim_matches(|c: char| c == ' ' || c == '\t' || c == '\u{3000}')
}

/// A line that is only a page number: "12", "- 12 -", "—12—", "第12页", "第 12 页 共 300 页",
/// "12/300", "Page 12".
fn is_page_number(line: &str) -> bool {
    let t: String = trim_layout(line)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() || t.chars().count() > 20 {
        return false;
    }
    let t = t
        .trim_matches(|c: char| matches!(c, '-' | '—' | '–' | '－' | '·' | '•'))
        .to_string();
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if digits(&t) {
        return true;
    }
    if let Some((a, b)) = t.split_once('/') {
        return digits(a) && digits(b);
    }
    if let Some(rest) = t.strip_prefix('第') {
        if let Some((num, tail)) = rest.split_once('页') {
            let tail_ok = tail.is_empty()
                || tail
                    .strip_prefix('共')
                    .and_then(|x| x.strip_suffix('页'))
                    .is_some_and(digits);
            return digits(num) && tail_ok;
        }
    }
    let lower = t.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("page") {
        return digits(rest)
            || rest
                .split_once("of")
                .is_some_and(|(a, b)| digits(a) && digits(b));
    }
    false
}

/// Key for recognising running headers/footers: digits abstracted, spacing ignored.
fn furniture_key(line: &str) -> String {
    trim_layout(line)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

fn starts_heading(t: &str) -> bool {
    const NUMERALS: &str = "零〇一二三四五六七八九十百千两0123456789";
    let is_num = |c: char| NUMERALS.contains(c);
    if let Some(rest) = t.strip_prefix('第') {
        let after: String = rest.chars().skip_while(|&c| is_num(c)).take(2).collect();
        let numbered = rest.chars().next().is_some_and(is_num);
        return numbered
            && (after.starts_with(['篇', '章', '节', '条']) || after.starts_with("部分"));
    }
    if t.starts_with("专栏") {
        return true;
    }
    // 一、 （一） (一). Arabic-numbered items ("1." "（1）") are not used: a wrapped line
    // can start with "3." inside a run-in list ("1.… 2.… 3.…" in one paragraph).
    const CHINESE: &str = "零〇一二三四五六七八九十百";
    let is_cn = |c: char| CHINESE.contains(c);
    let mut chars = t.chars();
    match chars.next() {
        Some('（') | Some('(') => {
            let n = chars.clone().take_while(|&c| is_cn(c)).count();
            n > 0 && matches!(chars.nth(n), Some('）') | Some(')'))
        }
        Some(c) if is_cn(c) => {
            let n = t.chars().take_while(|&c| is_cn(c)).count();
            t.chars().nth(n) == Some('、')
        }
        _ => false,
    }
}

fn ends_sentence(t: &str) -> bool {
    t.ends_with([
        '。', '！', '？', '；', '：', '”', '’', '」', '』', '!', '?', ';', ':', '…',
    ])
}

/// A line laid out in columns (a table row): has a gap of three or more spaces inside.
fn is_columnar(t: &str) -> bool {
    t.contains("   ") || t.contains("\u{3000}\u{3000}\u{3000}")
}

/// The left margin of a page: the smallest indentation of its text lines.
fn page_base(page: &[&str]) -> usize {
    page.iter()
        .filter(|l| **l != REMOVED && !trim_layout(l).is_empty())
        .map(|l| indent(l))
        .min()
        .unwrap_or(0)
}

/// Turn `pdftotext -layout` output into one paragraph per line: drop page numbers and
/// running headers/footers, strip layout indentation, and rejoin lines the layout broke.
pub fn clean_layout_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut pages: Vec<Vec<&str>> = text.split('\x0c').map(|p| p.lines().collect()).collect();
    while pages
        .last()
        .is_some_and(|p| p.iter().all(|l| trim_layout(l).is_empty()))
    {
        pages.pop();
    }

    // 1. Page numbers among the first and last two non-blank lines of each page.
    for page in &mut pages {
        let nonblank: Vec<usize> = (0..page.len())
            .filter(|&i| !trim_layout(page[i]).is_empty())
            .collect();
        let edges = nonblank.iter().take(2).chain(nonblank.iter().rev().take(2));
        let hits: Vec<usize> = edges
            .copied()
            .filter(|&i| is_page_number(page[i]))
            .collect();
        for i in hits {
            page[i] = REMOVED;
        }
    }

    // 2. Running headers/footers: a short first/last line repeated on at least 3 pages.
    let edge = |page: &Vec<&str>, top: bool| -> Option<usize> {
        let mut it =
            (0..page.len()).filter(|&i| page[i] != REMOVED && !trim_layout(page[i]).is_empty());
        if top {
            it.next()
        } else {
            it.next_back()
        }
    };
    for top in [true, false] {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for page in &pages {
            if let Some(i) = edge(page, top) {
                *counts.entry(furniture_key(page[i])).or_default() += 1;
            }
        }
        if pages.len() < 3 {
            break;
        }
        for page in &mut pages {
            if let Some(i) = edge(page, top) {
                let key = furniture_key(page[i]);
                if key.chars().count() <= 40 && counts.get(&key).copied().unwrap_or(0) >= 3 {
                    page[i] = REMOVED;
                }
            }
        }
    }

    // 3. Typical full line width, to tell a paragraph's last (short) line.
    let mut widths: Vec<usize> = pages
        .iter()
        .flatten()
        .filter(|l| **l != REMOVED)
        .map(|l| trim_layout(l))
        .filter(|t| !t.is_empty() && !is_columnar(t))
        .map(width)
        .collect();
    widths.sort_unstable();
    let typical = widths
        .get(widths.len().saturating_mul(9) / 10)
        .copied()
        .unwrap_or(0);

    // 4. Does this document mark paragraphs by first-line indentation? Then a full-width
    // line ending in 。 or ； is just a line that happens to end a sentence, and only
    // indentation, headings, blank lines and short lines end paragraphs. Without
    // indentation, sentence-final punctuation at a line end is the best signal left.
    let (mut indented_lines, mut all_lines) = (0usize, 0usize);
    for page in &pages {
        let base = page_base(page);
        for l in page
            .iter()
            .filter(|l| **l != REMOVED && !trim_layout(l).is_empty())
        {
            all_lines += 1;
            if indent(l) >= base + 4 {
                indented_lines += 1;
            }
        }
    }
    let uses_indent = indented_lines * 20 >= all_lines && indented_lines > 0;

    // 5. Assemble paragraphs.
    let mut out: Vec<String> = Vec::new();
    let mut open = false; // the last paragraph may take a continuation
    for page in &pages {
        let content: Vec<&str> = page.iter().copied().filter(|l| *l != REMOVED).collect();
        let base = page_base(page);
        // Blank lines at the top and bottom of a page are margins, not paragraph breaks:
        // a paragraph may continue on the next page.
        let first = content.iter().position(|l| !trim_layout(l).is_empty());
        let last = content.iter().rposition(|l| !trim_layout(l).is_empty());
        let (Some(first), Some(last)) = (first, last) else {
            continue;
        };
        for line in &content[first..=last] {
            let t = trim_layout(line);
            if t.is_empty() {
                open = false;
                continue;
            }
            let indented = indent(line) >= base + 4;
            let columnar = is_columnar(t);
            let new_para = !open || indented || columnar || starts_heading(t);
            match (new_para, out.last_mut()) {
                (false, Some(prev)) => {
                    let a = prev.chars().next_back();
                    let b = t.chars().next();
                    if a.is_some_and(|c| c.is_ascii_alphanumeric())
                        && b.is_some_and(|c| c.is_ascii_alphanumeric())
                    {
                        prev.push(' ');
                    }
                    prev.push_str(t);
                }
                _ => out.push(t.to_string()),
            }
            let short = typical > 0 && width(t) * 10 < typical * 7;
            let sentence_end = ends_sentence(t) && !uses_indent;
            open = !(columnar || short || sentence_end);
        }
    }
    let mut s = out.join("\n");
    if !s.is_empty() {
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        for yes in [
            "12",
            " - 12 - ",
            "—12—",
            "第12页",
            "第 3 页 共 40 页",
            "12/300",
            "Page 7",
        ] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["2025", "第一章", "12%", "1.5", "第12条", "到2025年"] {
            if no == "2025" {
                continue; // a bare number is a page number by shape; position decides
            }
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn headings() {
        for yes in [
            "第一章 总体要求",
            "第十二节",
            "第三篇 创新",
            "专栏1 主要指标",
            "一、发展基础",
            "（一）产业",
            "(二)农业",
            "第3章",
        ] {
            assert!(starts_heading(yes), "{yes}");
        }
        for no in [
            "第一产业增加值",
            "1.5万人",
            "3.旅游",
            "（1）",
            "一是加快",
            "第一",
            "（2021—2025年）",
        ] {
            assert!(!starts_heading(no), "{no}");
        }
    }

    fn page(lines: &[&str]) -> String {
        lines.join("\n")
    }

    #[test]
    fn rejoins_paragraphs_and_drops_furniture() {
        let header = "某市国民经济和社会发展第十四个五年规划纲要";
        let p1 = page(&[
            header,
            "",
            "第一章 发展基础",
            "    “十三五”时期，全市经济持续健康发展，地区生产总值",
            "达到510亿元，年均增长7.5%。",
            "    第二段开始，这一段的内容比较长，所以会跨越",
            "- 1 -",
        ]);
        let p2 = page(&[
            header,
            "了页面边界，并以句号结束。",
            "    English words split across the page width here and",
            "lines are joined with a space。",
            "",
            "2",
        ]);
        let p3 = page(&[header, "第二章 总体要求", "    第三段。", "3"]);
        let text = format!("{p1}\x0c{p2}\x0c{p3}\x0c");
        let cleaned = clean_layout_text(&text);
        assert_eq!(
            cleaned,
            "第一章 发展基础\n\
             “十三五”时期，全市经济持续健康发展，地区生产总值达到510亿元，年均增长7.5%。\n\
             第二段开始，这一段的内容比较长，所以会跨越了页面边界，并以句号结束。\n\
             English words split across the page width here and lines are joined with a space。\n\
             第二章 总体要求\n\
             第三段。\n"
        );
    }

    #[test]
    fn columnar_lines_stay_apart() {
        let text = "指标        2020年      2025年\n生产总值    510         700\n";
        assert_eq!(
            clean_layout_text(text),
            "指标        2020年      2025年\n生产总值    510         700\n"
        );
    }

    #[test]
    fn empty_input() {
        assert_eq!(clean_layout_text(""), "");
        assert_eq!(clean_layout_text("\x0c\x0c"), "");
    }

    #[test]
    fn real_pdftotext_if_installed() {
        if Command::new("pdftotext").arg("-v").output().is_err() {
            println!("note: pdftotext not installed; skipping the real PDF test");
            return;
        }
        // A tiny hand-made PDF with one line of ASCII text.
        let pdf = minimal_pdf("Plan 2025 target 9 percent.");
        let doc = read_pdf(&pdf, None).expect("pdftotext reads a minimal PDF");
        let text: Vec<String> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                guihua_model::Block::Paragraph(p) => Some(p.text.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(text, vec!["Plan 2025 target 9 percent.".to_string()]);

        // Through read_path too: pdftotext then reads the file in place.
        let tmp = TempFile::write(&pdf).unwrap();
        let r = crate::read_path(&tmp.0).unwrap();
        assert_eq!(r.format, crate::Format::Pdf);
        assert_eq!(r.document.blocks.len(), 1);
        // Garbage after a PDF header: pdftotext fails, and we say so.
        let e = read_pdf(b"%PDF-1.4\ngarbage", None).unwrap_err();
        assert!(
            e.to_string().starts_with("pdftotext failed") || matches!(e, ReadError::PdfNoText),
            "{e}"
        );
    }

    /// Build a minimal single-page PDF showing `text` in Helvetica, with a correct xref.
    pub(crate) fn minimal_pdf(text: &str) -> Vec<u8> {
        let stream = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
            format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        ];
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }
}
