//! Every reference plan, re-encoded and re-wrapped, reads back to the same paragraphs.

mod common;

use common::*;
use encoding_rs::GB18030;
use guihua_model::Block;
use guihua_read::{read_bytes, Format};

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

fn utf16(text: &str, le: bool) -> Vec<u8> {
    let mut out = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn seeds_in_every_text_encoding() {
    for (name, text) in seeds() {
        let expected = lines(&text);
        let (gb, _, had_errors) = GB18030.encode(&text);
        assert!(!had_errors);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        let variants: Vec<(&str, Vec<u8>, &str)> = vec![
            ("utf-8", text.as_bytes().to_vec(), "utf-8"),
            ("utf-8 bom", bom, "utf-8"),
            ("crlf", text.replace('\n', "\r\n").into_bytes(), "utf-8"),
            ("gb18030", gb.into_owned(), "gb18030"),
            ("utf-16le", utf16(&text, true), "utf-16le"),
            ("utf-16be", utf16(&text, false), "utf-16be"),
        ];
        for (label, bytes, enc) in variants {
            let r = read_bytes(&name, &bytes).unwrap_or_else(|e| panic!("{name} as {label}: {e}"));
            assert_eq!(r.format, Format::Txt, "{name} {label}");
            assert_eq!(r.encoding, enc, "{name} {label}");
            assert_eq!(paragraph_texts(&r.document), expected, "{name} as {label}");
            let numbers: Vec<u32> = r.document.blocks.iter().map(|b| b.line()).collect();
            assert_eq!(numbers, (1..=expected.len() as u32).collect::<Vec<_>>());
        }
    }
}

/// Every seed line, empty and TAB-indented ones included, is one paragraph with the same
/// text (trailing spaces may be dropped) on the same line.
#[test]
fn seeds_as_docx() {
    for (name, text) in seeds() {
        let expected: Vec<(String, u32)> = text
            .lines()
            .zip(1u32..)
            .map(|(l, n)| (l.trim_end_matches([' ', '\r']).to_string(), n))
            .collect();
        let bodies = [
            ("w:t per line", paragraphs_xml(text.lines())),
            ("Word-like", word_paragraphs_xml(text.lines())),
        ];
        for (label, body) in bodies {
            let bytes = docx(&document_xml(&body));
            let r = read_bytes(&name.replace(".txt", ".docx"), &bytes)
                .unwrap_or_else(|e| panic!("{name} as docx ({label}): {e}"));
            assert_eq!(r.format, Format::Docx);
            let got: Vec<(String, u32)> = r
                .document
                .blocks
                .iter()
                .map(|b| match b {
                    Block::Paragraph(p) => {
                        (p.text.trim_end_matches([' ', '\r']).to_string(), p.line)
                    }
                    Block::Table(t) => panic!("{name} ({label}): unexpected table at {}", t.line),
                })
                .collect();
            if name.starts_with("003_") {
                // The indicator table: TAB-indented cells, rows separated by blank lines.
                let tabbed = got.iter().filter(|(t, _)| t.starts_with('\t')).count();
                let blank = got.iter().filter(|(t, _)| t.is_empty()).count();
                assert!(
                    tabbed >= 140 && blank >= 100,
                    "{name}: {tabbed} tabbed, {blank} blank"
                );
            }
            assert_eq!(got.len(), expected.len(), "{name} as docx ({label})");
            for (g, e) in got.iter().zip(&expected) {
                assert_eq!(g, e, "{name} as docx ({label})");
            }
        }
    }
}

/// Browser whitespace: ASCII whitespace runs collapse to one space; paragraphs are trimmed.
fn html_normalise(line: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in line.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// A line that goes into a `<pre>` run: empty, or starting with a TAB.
fn is_layout_line(line: &str) -> bool {
    line.is_empty() || line.starts_with('\t')
}

fn html_page(text: &str, charset: &str) -> String {
    let mut page = format!(
        "<!DOCTYPE html>\n<HTML>\n<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\">\
         <title>规划纲要</title><script>var a = 1 < 2; document.write('<p>no</p>');</script>\
         <style>p {{ margin: 0 }}</style></head>\n<body>\n\
         <nav><a href=/>首页</a> | <a href=/zwgk>政务公开</a></nav>\n\
         <div class=top>【字体：大 中 小】</div>\n<div id=content>\n"
    );
    // Runs of empty or TAB-indented lines (the text-layout tables) are preformatted, as a
    // converter keeping the layout would write them; every other line is a paragraph.
    let mut in_pre = false;
    for line in text.lines() {
        let layout = is_layout_line(line);
        if layout != in_pre {
            page.push_str(if layout { "<pre>\n" } else { "</pre>\n" });
            in_pre = layout;
        }
        if layout {
            page.push_str(&xml_escape(line));
            page.push('\n');
        } else {
            page.push_str("<p>");
            page.push_str(&xml_escape(line));
            page.push_str("</p>\n");
        }
    }
    if in_pre {
        page.push_str("</pre>\n");
    }
    page.push_str(
        "</div>\n<div>打印本页</div><div>关闭窗口</div>\n\
         <p>来源：市发展和改革委员会　发布时间：2021-03-01</p>\n\
         <footer>主办单位：某市人民政府办公室</footer>\n</body></html>\n",
    );
    page
}

#[test]
fn seeds_as_html() {
    for (name, text) in seeds() {
        let expected: Vec<String> = text
            .lines()
            .filter_map(|l| {
                if is_layout_line(l) {
                    // Preformatted: kept as is, but for trailing spaces.
                    return Some(l.trim_end_matches(' ').to_string());
                }
                Some(html_normalise(l)).filter(|l| !l.is_empty())
            })
            // The Ürümqi plan was copied from a web page and still has its residue.
            .filter(|l| l != "扫一扫在手机打开当前页" && l != "相关链接")
            .collect();
        let tabbed: Vec<String> = text
            .lines()
            .filter(|l| l.starts_with('\t'))
            .map(|l| l.trim_end_matches(' ').to_string())
            .collect();
        if name.starts_with("003_") {
            assert!(
                tabbed.len() >= 140,
                "{name}: the indicator table is TAB-indented"
            );
        }
        let page = html_page(&text, "utf-8");
        let r = read_bytes(&name.replace(".txt", ".html"), page.as_bytes())
            .unwrap_or_else(|e| panic!("{name} as html: {e}"));
        assert_eq!(r.format, Format::Html);
        assert_eq!(r.encoding, "utf-8");
        let got = paragraph_texts(&r.document);
        assert_eq!(got, expected, "{name} as html");
        let got_tabbed: Vec<String> = got.into_iter().filter(|l| l.starts_with('\t')).collect();
        assert_eq!(got_tabbed, tabbed, "{name} as html: TAB-indented lines");
        let numbers: Vec<u32> = r.document.blocks.iter().map(|b| b.line()).collect();
        assert_eq!(numbers, (1..=expected.len() as u32).collect::<Vec<_>>());

        // GBK-encoded page (characters GBK lacks become numeric references, as browsers do).
        let gbk_page = html_page(&text, "gb2312");
        let (gbk, _, _) = encoding_rs::GBK.encode(&gbk_page);
        let r = read_bytes("page.htm", &gbk).unwrap_or_else(|e| panic!("{name} as GBK html: {e}"));
        assert_eq!(r.encoding, "gb18030");
        assert_eq!(paragraph_texts(&r.document), expected, "{name} as GBK html");
    }
}
