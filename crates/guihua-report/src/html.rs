//! HTML: one self-contained UTF-8 file — inline CSS, inline SVG charts, no scripts, no
//! external resources — that prints cleanly (A4, tables do not split rows).

use crate::chart;
use crate::ir::{status_colors, Block, Table};

/// Text for HTML element content and quoted attribute values: every string the report
/// writes goes through here. Quotes are escaped too, so the result is safe inside an
/// attribute, whichever quote delimits it.
pub fn esc(s: &str) -> String {
    escape(s, false)
}

/// [`esc`], and with `markdown` also the characters of Markdown's inline syntax (links,
/// emphasis, code) as character references: for markup that also goes into a Markdown
/// file (the SVG charts), where a renderer would parse them between the tags.
pub(crate) fn escape(s: &str, markdown: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' if markdown => {
                out.push_str(&format!("&#{};", c as u32));
            }
            _ => out.push(c),
        }
    }
    out
}

const CSS: &str = "body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC','SimSun',sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222;line-height:1.6}
h1{text-align:center;font-size:1.6em}
.sub{text-align:center;color:#666}
h2{border-bottom:2px solid #444;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.8em 0;font-size:.9em}
th,td{border:1px solid #999;padding:.25em .4em;vertical-align:top}
th{background:#eef1f5}
tr{page-break-inside:avoid}
figure{margin:1em 0;page-break-inside:avoid}
figcaption{font-weight:bold;margin-bottom:.3em}
svg{max-width:100%;height:auto}
@page{size:A4;margin:18mm}";

fn table(t: &Table, out: &mut String) {
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    out.push_str("<table><colgroup>");
    for w in &t.widths {
        out.push_str(&format!(
            "<col style=\"width:{:.1}%\">",
            *w as f64 * 100.0 / total as f64
        ));
    }
    out.push_str("</colgroup><thead><tr>");
    for h in &t.headers {
        out.push_str(&format!("<th>{}</th>", esc(h)));
    }
    out.push_str("</tr></thead><tbody>\n");
    for r in &t.rows {
        out.push_str("<tr>");
        for (i, c) in r.cells.iter().enumerate() {
            match (t.status_col, r.status) {
                (Some(k), Some(s)) if k == i => {
                    let (fg, bg) = status_colors(s);
                    out.push_str(&format!(
                        "<td class=\"status status-{}\" style=\"background:#{bg};color:#{fg};font-weight:bold\">{}</td>",
                        s.code(),
                        esc(c)
                    ));
                }
                _ => out.push_str(&format!("<td>{}</td>", esc(c))),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

pub(crate) fn render(blocks: &[Block], lang_attr: &str) -> Vec<u8> {
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Title(s) => Some(s.as_str()),
            _ => None,
        })
        .unwrap_or("");
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang_attr}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n",
        esc(title)
    );
    let mut in_list = false;
    for b in blocks {
        if in_list && !matches!(b, Block::Bullet(_)) {
            out.push_str("</ol>\n");
            in_list = false;
        }
        match b {
            Block::Title(s) => out.push_str(&format!("<h1>{}</h1>\n", esc(s))),
            Block::Subtitle(s) => out.push_str(&format!("<p class=\"sub\">{}</p>\n", esc(s))),
            Block::Heading(s) => out.push_str(&format!("<h2>{}</h2>\n", esc(s))),
            Block::SubHeading(s) => out.push_str(&format!("<h3>{}</h3>\n", esc(s))),
            Block::Para(s) => out.push_str(&format!("<p>{}</p>\n", esc(s))),
            Block::Bullet(s) => {
                if !in_list {
                    out.push_str("<ol>\n");
                    in_list = true;
                }
                out.push_str(&format!("<li>{}</li>\n", esc(s)));
            }
            Block::Table(t) => table(t, &mut out),
            Block::Chart(c) => out.push_str(&format!(
                "<figure><figcaption>{}</figcaption>\n{}\n</figure>\n",
                esc(&c.title),
                chart::svg(c)
            )),
        }
    }
    if in_list {
        out.push_str("</ol>\n");
    }
    out.push_str("</body>\n</html>\n");
    out.into_bytes()
}
