//! `clean_layout_text` on the reference plans laid out the way `pdftotext -layout` prints
//! typeset pages: wrapped at a fixed width, first lines indented, a running header and a
//! page number on every page. Cleaning must give back the plan's paragraphs.

mod common;

use common::seeds;
use guihua_read::pdf::clean_layout_text;

fn width(c: char) -> usize {
    if c.is_ascii() {
        1
    } else {
        2
    }
}

/// Wrap one paragraph at `cols` display columns, never inside an ASCII word or number.
fn wrap(text: &str, cols: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut w = 4; // first-line indent
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        // Take an ASCII alphanumeric run as one unit.
        let mut j = i + 1;
        if chars[i].is_ascii_alphanumeric() {
            while j < chars.len() && chars[j].is_ascii_alphanumeric() {
                j += 1;
            }
        }
        let unit: String = chars[i..j].iter().collect();
        let uw: usize = unit.chars().map(width).sum();
        if w + uw > cols && !cur.trim().is_empty() {
            lines.push(std::mem::take(&mut cur));
            w = 0;
        }
        cur.push_str(&unit);
        w += uw;
        i = j;
    }
    if !cur.trim().is_empty() {
        lines.push(cur);
    }
    lines
}

fn layout(paragraphs: &[String]) -> String {
    let mut body: Vec<String> = Vec::new();
    for p in paragraphs {
        for (k, l) in wrap(p, 70).into_iter().enumerate() {
            body.push(if k == 0 { format!("    {l}") } else { l });
        }
    }
    let mut out = String::new();
    for (n, page) in body.chunks(40).enumerate() {
        out.push_str("                某市国民经济和社会发展第十四个五年规划纲要\n\n");
        for l in page {
            out.push_str(l);
            out.push('\n');
        }
        out.push_str(&format!(
            "\n                              - {} -\n\x0c",
            n + 1
        ));
    }
    out
}

#[test]
fn seeds_survive_layout_and_cleaning() {
    for (name, text) in seeds() {
        // Paragraphs as a PDF would show them: no layout-significant spacing of their own.
        let paragraphs: Vec<String> = text
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect();
        let cleaned = clean_layout_text(&layout(&paragraphs));
        // A space that falls on a line break is invisible in a PDF, so compare without
        // spaces (joining ASCII words with a space is unit-tested in pdf.rs).
        let got: Vec<String> = cleaned.lines().map(|l| l.replace(' ', "")).collect();
        let want: Vec<String> = paragraphs.iter().map(|l| l.replace(' ', "")).collect();
        let first_diff = got.iter().zip(&want).position(|(a, b)| a != b);
        assert!(
            got == want,
            "{name}: {} paragraphs vs {}; first difference at {first_diff:?}: {:?} vs {:?}",
            got.len(),
            want.len(),
            first_diff.map(|i| &got[i]),
            first_diff.map(|i| &want[i]),
        );
    }
}
