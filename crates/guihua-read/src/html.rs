//! Saved government web pages (`.html`, `.htm`, `.shtml`).
//!
//! Why a hand-rolled tag scanner instead of quick-xml or html5ever: real pages are not XML
//! (unclosed `<p>`, `<br>`, unquoted attributes, `<` inside scripts, stray `&`), and quick-xml
//! turns these into errors it cannot resume from; html5ever would be a heavy dependency for
//! what we need. We need only: tag names, three attributes (`colspan`, `rowspan`,
//! `charset`/`content`), text, and the raw-text rule for `<script>`/`<style>`. The scanner
//! below never fails: anything that is not a tag is text.
//!
//! Extraction: block elements start new paragraphs; `<h1>`…`<h6>` give a heading level;
//! `<table>` becomes a [`Table`] with `colspan` → `col_span` and `rowspan` → cells marked
//! `merged_from_above` (with the text copied) in the rows it covers. Navigation, forms,
//! scripts and the like are dropped, as are a few whole-paragraph residue lines typical of
//! Chinese government sites ("扫一扫在手机打开当前页", "打印本页"…) — matched exactly or by a
//! clear prefix with a length limit, so plan text is never dropped. Whitespace collapses as
//! in a browser, except that a line break between two CJK characters disappears (Chinese
//! text wrapped in the source has no space there).
//!
//! Preformatted text — inside `<pre>`, or an element whose inline style says `white-space:
//! pre`, `pre-wrap`, `pre-line` or `break-spaces` (a later `white-space: normal` turns it
//! off again) — is not collapsed: each source line becomes one paragraph, leading TABs and
//! empty lines included, because the parser reads text-layout tables from exactly these. A
//! newline right after `<pre>` is dropped and a final empty segment is not a line, as in a
//! browser; trailing spaces of a line are dropped. Inside a table, cells stay one line each
//! and preformatting does not apply; the paragraphs of a cell (`<p>` inside `<td>`) are
//! kept apart by `\n` in the cell's text. A footnote number in `<sup>` is dropped: it is a
//! reference to a note, not a number of the plan.

use guihua_model::{Block, Cell, Document, Paragraph, Row, Table};

use crate::limits::MAX_COL_SPAN;
use crate::{encoding, entities, number_lines, push_joined, ReadError};

/// Decode an HTML page and extract its document. Returns the encoding name too.
pub(crate) fn read_html(bytes: &[u8]) -> Result<(Document, String), ReadError> {
    let declared = declared_charset(bytes);
    let (text, enc) = encoding::decode_text(bytes, declared)?;
    let document = extract(&text);
    let no_text = document
        .blocks
        .iter()
        .all(|b| matches!(b, Block::Paragraph(p) if p.text.trim().is_empty()));
    if no_text {
        return Err(ReadError::HtmlNoText);
    }
    Ok((document, enc))
}

/// The charset a page declares in `<meta charset=…>` or `<meta http-equiv content="…;
/// charset=…">`, looked for in the first 4 KiB.
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"charset") {
        let mut j = from + i + 7;
        while j < lower.len() && matches!(lower[j], b' ' | b'\t' | b'\r' | b'\n') {
            j += 1;
        }
        if lower.get(j) == Some(&b'=') {
            j += 1;
            while j < lower.len() && matches!(lower[j], b' ' | b'"' | b'\'') {
                j += 1;
            }
            let end = lower[j..]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')))
                .map_or(lower.len(), |p| j + p);
            if let Some(enc) = encoding_rs::Encoding::for_label(&lower[j..end]) {
                return Some(enc);
            }
        }
        from = from + i + 7;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Text(&'a str),
    /// Lower-case name and the raw attribute text.
    Start(String, &'a str),
    End(String),
}

/// Split HTML into text and tags. Comments, doctypes and processing instructions vanish;
/// `<script>` and `<style>` contents are skipped up to their end tag.
fn tokenize(src: &str) -> Vec<Token<'_>> {
    let bytes = src.as_bytes();
    // Lower-cased once (same byte offsets) so finding `</script` stays linear.
    let lower = src.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        let is_tag = next.is_ascii_alphabetic()
            || next == b'!'
            || next == b'?'
            || (next == b'/' && bytes.get(i + 2).is_some_and(|b| b.is_ascii_alphabetic()));
        if !is_tag {
            i += 1;
            continue;
        }
        if text_start < i {
            out.push(Token::Text(&src[text_start..i]));
        }
        if src[i..].starts_with("<!--") {
            i = src[i + 4..]
                .find("-->")
                .map_or(bytes.len(), |p| i + 4 + p + 3);
            text_start = i;
            continue;
        }
        if next == b'!' || next == b'?' {
            i = src[i..].find('>').map_or(bytes.len(), |p| i + p + 1);
            text_start = i;
            continue;
        }
        let closing = next == b'/';
        let name_start = if closing { i + 2 } else { i + 1 };
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
            .map_or(bytes.len(), |p| name_start + p);
        let name = src[name_start..name_end].to_ascii_lowercase();
        // Find the tag's '>' outside quotes.
        let mut j = name_end;
        let mut quote = 0u8;
        while j < bytes.len() {
            let b = bytes[j];
            if quote != 0 {
                if b == quote {
                    quote = 0;
                }
            } else if b == b'"' || b == b'\'' {
                // Only a quote right after '=' opens a value; a stray quote does not.
                let prev = bytes[name_end..j]
                    .iter()
                    .rev()
                    .find(|c| !c.is_ascii_whitespace());
                if prev == Some(&b'=') {
                    quote = b;
                }
            } else if b == b'>' {
                break;
            }
            j += 1;
        }
        let attrs = &src[name_end..j.min(bytes.len())];
        i = (j + 1).min(bytes.len());
        text_start = i;
        if closing {
            out.push(Token::End(name));
            continue;
        }
        let raw = matches!(name.as_str(), "script" | "style");
        out.push(Token::Start(name.clone(), attrs));
        if raw {
            let close = format!("</{name}");
            match lower[i..].find(&close) {
                Some(p) => {
                    i += p;
                    text_start = i;
                }
                None => {
                    i = bytes.len();
                    text_start = i;
                }
            }
        }
    }
    if text_start < bytes.len() {
        out.push(Token::Text(&src[text_start..]));
    }
    out
}

/// Attribute value by (lower-case) name from raw attribute text; tolerant of missing
/// quotes and valueless attributes.
fn attribute(raw: &str, want: &str) -> Option<String> {
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let ns = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'/') {
            i += 1;
        }
        let name = raw[ns..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = None;
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                let ve = b[vs..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len(), |p| vs + p);
                value = Some(&raw[vs..ve]);
                i = (ve + 1).min(b.len());
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = Some(&raw[vs..i]);
            }
        }
        if name.is_empty() && value.is_none() {
            i += 1;
            continue;
        }
        if name == want {
            return Some(entities::decode(value.unwrap_or(""), true));
        }
    }
    None
}

/// Elements whose whole content is dropped.
const SKIPPED: &[&str] = &[
    "head", "nav", "header", "footer", "iframe", "form", "select", "button", "noscript", "script",
    "style", "template", "svg", "object", "textarea",
];

/// Elements that start and end paragraphs.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "main",
    "aside",
    "blockquote",
    "pre",
    "center",
    "hr",
    "address",
    "figure",
    "figcaption",
    "body",
    "html",
    "title",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "tbody",
    "thead",
    "tfoot",
];

#[derive(Default)]
struct TableB {
    rows: Vec<Vec<Cell>>,
    row: Option<Vec<Cell>>,
    /// Per grid column: rows still covered by a rowspan, the text and span of that cell.
    pending: Vec<Option<(u32, String, u16)>>,
    col: usize,
    cell: Option<(String, u16, u32)>,
}

impl TableB {
    /// Fill covered positions from rowspans starting at the current column.
    fn fill_covered(&mut self) {
        while let Some(Some((left, text, span))) = self.pending.get_mut(self.col) {
            let cell = Cell {
                text: text.clone(),
                col_span: *span,
                merged_from_above: true,
            };
            let span = *span;
            *left -= 1;
            if *left == 0 {
                self.pending[self.col] = None;
            }
            if let Some(row) = self.row.as_mut() {
                row.push(cell);
            }
            self.col += usize::from(span);
        }
    }

    fn start_row(&mut self) {
        self.end_row();
        self.row = Some(Vec::new());
        self.col = 0;
    }

    fn end_row(&mut self) {
        self.end_cell();
        if self.row.is_some() {
            // Trailing positions still covered by rowspans from above.
            let width = self.pending.len();
            while self.col < width {
                if self.pending[self.col].is_some() {
                    self.fill_covered();
                } else {
                    self.col += 1;
                }
            }
        }
        if let Some(row) = self.row.take() {
            if !row.is_empty() {
                self.rows.push(row);
            }
        }
    }

    fn start_cell(&mut self, colspan: u16, rowspan: u32) {
        self.end_cell();
        if self.row.is_none() {
            self.row = Some(Vec::new());
            self.col = 0;
        }
        self.fill_covered();
        self.cell = Some((String::new(), colspan, rowspan));
    }

    fn end_cell(&mut self) {
        let Some((text, span, rowspan)) = self.cell.take() else {
            return;
        };
        if rowspan > 1 {
            if self.pending.len() <= self.col {
                self.pending.resize(self.col + 1, None);
            }
            self.pending[self.col] = Some((rowspan - 1, text.clone(), span));
        }
        if let Some(row) = self.row.as_mut() {
            row.push(Cell {
                text,
                col_span: span,
                merged_from_above: false,
            });
        }
        self.col += usize::from(span);
    }
}

/// Elements that never have content (a start tag is the whole element).
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose start tag implicitly ends an open element of the same name.
const SELF_ENDING: &[&str] = &["p", "li", "dt", "dd", "tr", "td", "th", "option"];

/// What an element's inline style says about `white-space`: `Some(true)` preserves
/// whitespace and line breaks, `Some(false)` collapses them, `None` says nothing.
fn style_white_space(attrs: &str) -> Option<bool> {
    let style = attribute(attrs, "style")?.to_ascii_lowercase();
    let mut out = None;
    for decl in style.split(';') {
        let Some((prop, value)) = decl.split_once(':') else {
            continue;
        };
        if prop.trim() != "white-space" {
            continue;
        }
        let value = value.replace("!important", "");
        match value.trim() {
            "pre" | "pre-wrap" | "pre-line" | "break-spaces" => out = Some(true),
            "normal" | "nowrap" => out = Some(false),
            _ => {}
        }
    }
    out
}

/// An open element that set the whitespace mode, and how many elements of the same name
/// are open inside it (so the right end tag closes it).
struct WsScope {
    name: String,
    open: usize,
    pre: bool,
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    para: String,
    pending_space: bool,
    pending_newline: bool,
    level: Option<u8>,
    tables: Vec<TableB>,
    /// Elements that set `white-space`, innermost last.
    ws: Vec<WsScope>,
    /// The previous token was `<pre>`: a newline right after it is dropped.
    after_pre_tag: bool,
    /// Depth of open `<sup>` elements: a footnote number there is not text ("名片<sup>14
    /// </sup>等" would read "名片14等", a number the plan never states).
    sup: usize,
}

impl Builder {
    fn buf(&mut self) -> &mut String {
        match self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            Some(c) => &mut c.0,
            None => &mut self.para,
        }
    }

    /// Whitespace is preserved here: inside a preformatting element and outside tables.
    fn preformatted(&self) -> bool {
        self.tables.is_empty() && self.ws.last().is_some_and(|w| w.pre)
    }

    /// Track elements that change the whitespace mode. Called after the block flush.
    fn open_element(&mut self, name: &str, attrs: &str) {
        if VOID.contains(&name) || attrs.trim_end().ends_with('/') {
            return;
        }
        if SELF_ENDING.contains(&name) {
            if let Some(top) = self.ws.last() {
                if top.name == name && top.open == 1 {
                    self.ws.pop();
                }
            }
        }
        let pre = match style_white_space(attrs) {
            Some(pre) => Some(pre),
            None if name == "pre" => Some(true),
            None => None,
        };
        match pre {
            Some(pre) => self.ws.push(WsScope {
                name: name.to_string(),
                open: 1,
                pre,
            }),
            None => {
                if let Some(w) = self.ws.iter_mut().rev().find(|w| w.name == name) {
                    w.open += 1;
                }
            }
        }
        self.after_pre_tag = name == "pre";
    }

    /// Called after the block flush, so the element's last line is still preformatted.
    fn close_element(&mut self, name: &str) {
        if let Some(i) = self.ws.iter().rposition(|w| w.name == name) {
            self.ws[i].open -= 1;
            if self.ws[i].open == 0 {
                self.ws.truncate(i);
            }
        }
    }

    /// Preformatted text: kept as is, each newline ends a line (an empty one too).
    fn pre_text(&mut self, text: &str, after_pre_tag: bool) {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let mut text = text.as_str();
        if after_pre_tag {
            text = text.strip_prefix('\n').unwrap_or(text);
        }
        if std::mem::take(&mut self.pending_space) && !self.para.is_empty() && !text.is_empty() {
            self.para.push(' ');
        }
        self.pending_newline = false;
        let mut lines = text.split('\n');
        if let Some(first) = lines.next() {
            self.para.push_str(first);
        }
        for line in lines {
            self.push_pre_line();
            self.para.push_str(line);
        }
    }

    /// End one line of preformatted text, even an empty one.
    fn push_pre_line(&mut self) {
        let mut text = std::mem::take(&mut self.para);
        text.truncate(text.trim_end_matches(' ').len());
        self.blocks.push(Block::Paragraph(Paragraph {
            text,
            line: 0,
            heading_level: self.level,
        }));
    }

    fn text(&mut self, raw: &str) {
        // Text inside a table but outside any cell (a caption, or stray text in broken
        // markup) goes to an ordinary paragraph before the table rather than being lost.
        let decoded = entities::decode(raw, true);
        // An exponent ("m<sup>2</sup>", "μg/m<sup>3</sup>") stays; a note number goes.
        let exponent = matches!(decoded.trim(), "2" | "3")
            && self.buf().ends_with(|c: char| c.is_ascii_alphabetic());
        if self.sup > 0 && is_note_mark(&decoded) && !exponent {
            return;
        }
        let after_pre_tag = std::mem::take(&mut self.after_pre_tag);
        if self.preformatted() {
            self.pre_text(&decoded, after_pre_tag);
            return;
        }
        for c in decoded.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                self.pending_space = true;
                self.pending_newline |= c == '\n' || c == '\r';
                continue;
            }
            let (space, newline) = (self.pending_space, self.pending_newline);
            self.pending_space = false;
            self.pending_newline = false;
            let buf = self.buf();
            if space {
                if let Some(last) = buf.chars().next_back() {
                    if !(newline && is_cjk(last) && is_cjk(c)) {
                        buf.push(' ');
                    }
                }
            }
            buf.push(c);
        }
    }

    /// End the current paragraph (or, inside a cell, the current line of cell text).
    fn flush(&mut self) {
        self.pending_space = false;
        self.pending_newline = false;
        if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            // Block boundaries inside a cell: the cell stays one line; the next text
            // is joined by push_joined's rule when it arrives.
            if !cell.0.is_empty() && !cell.0.ends_with('\u{1}') {
                cell.0.push('\u{1}');
            }
            return;
        }
        if self.preformatted() {
            // The last line of a preformatted block; an empty final segment is no line
            // (`a\n</pre>` is one line), nor is indentation before the end tag.
            if !self.para.trim_end_matches(' ').is_empty() {
                self.push_pre_line();
            }
            self.para.clear();
            return;
        }
        let text = std::mem::take(&mut self.para);
        let text = text.trim();
        if text.is_empty() || is_residue(text) {
            return;
        }
        self.blocks.push(Block::Paragraph(Paragraph {
            text: text.to_string(),
            line: 0,
            heading_level: self.level,
        }));
    }

    fn end_table(&mut self) {
        let Some(mut t) = self.tables.pop() else {
            return;
        };
        t.end_row();
        let rows: Vec<Vec<Cell>> = t
            .rows
            .into_iter()
            .map(|cells| cells.into_iter().map(clean_cell).collect())
            .collect();
        if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            for cell in rows.iter().flatten().filter(|c| !c.merged_from_above) {
                push_joined(&mut c.0, &cell.text);
            }
            return;
        }
        if !rows.is_empty() {
            self.blocks.push(Block::Table(Table {
                rows: rows
                    .into_iter()
                    .map(|cells| Row { cells, line: 0 })
                    .collect(),
                line: 0,
            }));
        }
    }
}

/// Cell text pieces were separated by U+0001 at block boundaries: each block (a `<p>`
/// inside the cell) becomes one line of the cell's text, separated by `\n`.
fn clean_cell(mut c: Cell) -> Cell {
    if c.text.contains('\u{1}') || c.text.starts_with(' ') || c.text.ends_with(' ') {
        let pieces: Vec<&str> = c
            .text
            .split('\u{1}')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        c.text = pieces.join("\n");
    }
    c
}

/// A footnote or note-reference mark: digits, or digits in brackets ("14", "[3]", "①").
fn is_note_mark(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty()
        && t.chars().count() <= 6
        && t.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    '[' | ']' | '（' | '）' | '(' | ')' | '*' | ',' | '，' | '-'
                )
                || ('\u{2460}'..='\u{2473}').contains(&c)
        })
        && t.chars()
            .any(|c| c.is_ascii_digit() || ('\u{2460}'..='\u{2473}').contains(&c))
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{2e80}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}')
}

/// Whole-paragraph residue of Chinese government web pages.
pub(crate) fn is_residue(t: &str) -> bool {
    const EXACT: &[&str] = &[
        "扫一扫在手机打开当前页",
        "相关链接",
        "打印本页",
        "【打印本页】",
        "关闭窗口",
        "【关闭窗口】",
        "[打印本页]",
        "[关闭窗口]",
        "打印",
        "关闭",
        "分享到",
        "分享到：",
        "分享到:",
        "返回顶部",
        "【字体：大 中 小】",
        "字体：大 中 小",
        "【字体：大中小】",
    ];
    if EXACT.contains(&t) {
        return true;
    }
    let short = t.chars().count() <= 80;
    short
        && (t.starts_with("【字体")
            || t.starts_with("字体：")
            || (t.starts_with("分享到") && t.chars().count() <= 30)
            || ((t.starts_with("来源") || t.starts_with("发布时间") || t.starts_with("发布日期"))
                && (t.contains("发布时间") || t.contains("发布日期") || t.contains("浏览")))
            || (t.starts_with("浏览次数") || t.starts_with("访问量")))
}

fn heading(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

fn extract(src: &str) -> Document {
    let lower = src.to_ascii_lowercase();
    let tokens = tokenize(src);
    let mut b = Builder::default();
    // Open skipped element and its nesting depth.
    let mut skipping: Option<(String, usize)> = None;
    // Last occurrence of each closing tag looked for, so the check stays linear.
    let mut last_seen: std::collections::HashMap<String, Option<usize>> = Default::default();
    for tok in &tokens {
        if let Some((name, depth)) = skipping.as_mut() {
            match tok {
                Token::Start(n, a) if n == name && !a.trim_end().ends_with('/') => *depth += 1,
                Token::Start(n, _) if name == "head" && n == "body" => skipping = None,
                Token::End(n) if n == name => {
                    *depth -= 1;
                    if *depth == 0 {
                        skipping = None;
                    }
                }
                _ => {}
            }
            if skipping.is_some() {
                continue;
            }
            if let Token::Start(n, _) = tok {
                if n != "body" {
                    continue;
                }
            } else {
                continue;
            }
        }
        match tok {
            Token::Text(t) => b.text(t),
            Token::Start(name, attrs) => {
                b.after_pre_tag = false;
                if SKIPPED.contains(&name.as_str()) && !attrs.trim_end().ends_with('/') {
                    // Skip only if the element is closed later: an unclosed <nav> must
                    // not swallow the plan.
                    let here = offset_in(src, attrs) + attrs.len();
                    let mut closed_after = |needle: String| {
                        *last_seen
                            .entry(needle.clone())
                            .or_insert_with(|| lower.rfind(&needle))
                    };
                    let closed = closed_after(format!("</{name}")).is_some_and(|p| p >= here)
                        || (name == "head"
                            && closed_after("<body".to_string()).is_some_and(|p| p >= here));
                    if closed {
                        skipping = Some((name.clone(), 1));
                        continue;
                    }
                    if matches!(name.as_str(), "script" | "style") {
                        continue;
                    }
                }
                if BLOCKS.contains(&name.as_str()) {
                    b.flush();
                }
                b.open_element(name, attrs);
                if let Some(l) = heading(name) {
                    b.level = Some(l);
                }
                match name.as_str() {
                    "sup" => b.sup += 1,
                    "table" => b.tables.push(TableB::default()),
                    "tr" => {
                        if let Some(t) = b.tables.last_mut() {
                            t.start_row();
                        }
                    }
                    "td" | "th" => {
                        if let Some(t) = b.tables.last_mut() {
                            let colspan = attribute(attrs, "colspan")
                                .and_then(|v| v.trim().parse::<u16>().ok())
                                .unwrap_or(1)
                                .clamp(1, MAX_COL_SPAN);
                            let rowspan = attribute(attrs, "rowspan")
                                .and_then(|v| v.trim().parse::<u32>().ok())
                                .unwrap_or(1)
                                .clamp(1, 10_000);
                            t.start_cell(colspan, rowspan);
                        }
                    }
                    _ => {}
                }
            }
            Token::End(name) => {
                b.after_pre_tag = false;
                if BLOCKS.contains(&name.as_str()) {
                    b.flush();
                }
                b.close_element(name);
                if heading(name).is_some() {
                    b.level = None;
                }
                match name.as_str() {
                    "sup" => b.sup = b.sup.saturating_sub(1),
                    "table" => b.end_table(),
                    "tr" => {
                        if let Some(t) = b.tables.last_mut() {
                            t.end_row();
                        }
                    }
                    "td" | "th" => {
                        if let Some(t) = b.tables.last_mut() {
                            t.end_cell();
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    while !b.tables.is_empty() {
        b.end_table();
    }
    b.flush();
    let mut blocks = b.blocks;
    number_lines(&mut blocks);
    Document { blocks }
}

/// Byte offset of a subslice within its source string.
fn offset_in(src: &str, sub: &str) -> usize {
    (sub.as_ptr() as usize).saturating_sub(src.as_ptr() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(doc: &Document) -> Vec<(String, Option<u8>)> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some((p.text.clone(), p.heading_level)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn tokenizer_is_tolerant() {
        let t = tokenize("<P class=x>a < b &amp; c<br>d<script>if (a<b) {}</script></p>");
        assert_eq!(t[0], Token::Start("p".into(), " class=x"));
        assert_eq!(t[1], Token::Text("a < b &amp; c"));
        assert_eq!(t[2], Token::Start("br".into(), ""));
        assert!(t.iter().all(|x| *x != Token::Text("if (a<b) {}")));
    }

    #[test]
    fn attributes() {
        assert_eq!(
            attribute(" colspan=2 rowspan='3'", "rowspan").as_deref(),
            Some("3")
        );
        assert_eq!(
            attribute(" nowrap colspan = \"4\"", "colspan").as_deref(),
            Some("4")
        );
        assert_eq!(attribute(" a=b", "colspan"), None);
    }

    #[test]
    fn paragraphs_headings_and_residue() {
        let html = "<html><head><title>T</title><meta charset=utf-8></head><body>\
            <nav>首页 | 政务公开</nav><H1>某市国民经济和社会发展\n第十四个五年规划纲要</h1>\
            <p>第一章　总体要求<p>到2025年，生产总值&nbsp;达到510亿元。<br>第二行\
            <div>扫一扫在手机打开当前页</div><p>来源：市发改委 发布时间：2021-02-01</p>\
            <script>var x = '<p>no</p>';</script><footer>版权所有</footer></body></html>";
        let doc = extract(html);
        assert_eq!(
            paras(&doc),
            vec![
                (
                    "某市国民经济和社会发展第十四个五年规划纲要".to_string(),
                    Some(1)
                ),
                ("第一章　总体要求".to_string(), None),
                ("到2025年，生产总值 达到510亿元。".to_string(), None),
                ("第二行".to_string(), None),
            ]
        );
        assert_eq!(doc.blocks[3].line(), 4);
    }

    #[test]
    fn unclosed_nav_does_not_swallow_text() {
        let doc = extract("<nav>菜单<p>规划正文。");
        assert_eq!(paras(&doc).len(), 2);
    }

    #[test]
    fn table_with_spans() {
        let html = "<table><tr><th>类别<th colspan=2>指标<th>属性</tr>\
            <tr><td rowspan=2>经济发展<td>1<td>生产总值<td>预期性\
            <tr><td>2<td>增长<td>约束性</table><p>after";
        let doc = extract(html);
        let Block::Table(t) = &doc.blocks[0] else {
            panic!("{doc:?}")
        };
        let cells: Vec<Vec<(&str, u16, bool)>> = t
            .rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| (c.text.as_str(), c.col_span, c.merged_from_above))
                    .collect()
            })
            .collect();
        assert_eq!(
            cells,
            vec![
                vec![("类别", 1, false), ("指标", 2, false), ("属性", 1, false)],
                vec![
                    ("经济发展", 1, false),
                    ("1", 1, false),
                    ("生产总值", 1, false),
                    ("预期性", 1, false)
                ],
                vec![
                    ("经济发展", 1, true),
                    ("2", 1, false),
                    ("增长", 1, false),
                    ("约束性", 1, false)
                ],
            ]
        );
        assert_eq!((t.line, t.rows[2].line), (1, 3));
        assert_eq!(doc.blocks[1].line(), 4);
    }

    #[test]
    fn charset_declarations() {
        assert_eq!(
            declared_charset(b"<meta http-equiv=Content-Type content='text/html; charset=GB2312'>"),
            Some(encoding_rs::GBK)
        );
        assert_eq!(
            declared_charset(b"<meta charset=\"utf-8\">"),
            Some(encoding_rs::UTF_8)
        );
        assert_eq!(declared_charset(b"<p>no</p>"), None);
    }

    #[test]
    fn gbk_page() {
        let (bytes, _, _) = encoding_rs::GBK.encode(
            "<html><head><meta charset=gbk></head><body><p>第一章 发展基础</p></body></html>",
        );
        let (doc, enc) = read_html(&bytes).unwrap();
        assert_eq!(enc, "gb18030");
        assert_eq!(paras(&doc)[0].0, "第一章 发展基础");
    }

    #[test]
    fn footnote_numbers_and_cell_paragraphs() {
        let doc = extract(
            "<p>统筹用好“一城二都三中心”<sup>14</sup>等城市名片，5G-A<sup><span>82</span></sup>网络，m<sup>2</sup>。</p>\
             <table><tr><td><p>01</p></td><td><p><strong>汽车</strong></p><p>重点发展整车。</p></td></tr></table>",
        );
        let Block::Paragraph(p) = &doc.blocks[0] else {
            panic!("{doc:?}")
        };
        assert_eq!(p.text, "统筹用好“一城二都三中心”等城市名片，5G-A网络，m2。");
        let Block::Table(t) = &doc.blocks[1] else {
            panic!("{doc:?}")
        };
        assert_eq!(t.rows[0].cells[1].text, "汽车\n重点发展整车。");
    }

    #[test]
    fn mislabelled_utf8_page_and_caption() {
        let page =
            "<meta charset=gb2312><table><caption>专栏1 主要指标</caption><tr><td>指标</table>";
        let (doc, enc) = read_html(page.as_bytes()).unwrap();
        assert_eq!(enc, "utf-8");
        assert_eq!(paras(&doc), vec![("专栏1 主要指标".to_string(), None)]);
        assert!(matches!(doc.blocks[1], Block::Table(_)));
    }

    fn texts(doc: &Document) -> Vec<(&str, u32)> {
        doc.blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => (p.text.as_str(), p.line),
                Block::Table(t) => ("<table>", t.line),
            })
            .collect()
    }

    #[test]
    fn pre_keeps_tabs_and_empty_lines() {
        let doc = extract(
            "<p>专栏1  主要指标</p><pre>\n\t类别\n\t\n\n\t指标 &#9;名称  \r\n\t<b>2020</b>年\n</pre>\
             <p>after \t x</p>",
        );
        assert_eq!(
            texts(&doc),
            vec![
                ("专栏1 主要指标", 1),
                ("\t类别", 2),
                ("\t", 3),
                ("", 4),
                ("\t指标 \t名称", 5),
                ("\t2020年", 6),
                ("after x", 7),
            ]
        );
    }

    #[test]
    fn pre_edges() {
        // Only the first newline after <pre> is dropped; a last line without newline counts,
        // indentation before </pre> does not.
        let doc = extract("<pre>\n\nx\n  </pre><pre>y</pre><pre>a<br>\nb</pre>");
        assert_eq!(
            texts(&doc),
            vec![("", 1), ("x", 2), ("y", 3), ("a", 4), ("", 5), ("b", 6)]
        );
        // Inside a table, cells stay one line.
        let doc = extract("<pre>\n<table>\n<tr><td>a\n\tb</td></tr>\n</table>\n\tc\n</pre>");
        let Block::Table(t) = &doc.blocks[0] else {
            panic!("{doc:?}")
        };
        assert_eq!(t.rows[0].cells[0].text, "a b");
        assert_eq!(texts(&doc)[1..], [("", 2), ("\tc", 3)]);
        assert!(matches!(
            read_html(b"<pre>\n\n\n</pre>"),
            Err(ReadError::HtmlNoText)
        ));
    }

    #[test]
    fn white_space_styles() {
        let doc = extract(
            "<div style=\"color: red; white-space: pre-wrap\">\ta\n\n<div>\tb</div>\
             <span style='white-space:normal'>c \n d</span>\n\te</div>\
             <p style=\"WHITE-SPACE:PRE-LINE\">\tf\n<p>g \t h<p style=\"white-space: pre;white-space: normal\">\ti\nj",
        );
        assert_eq!(
            texts(&doc),
            vec![
                ("\ta", 1),
                ("", 2),
                ("\tb", 3),
                ("c d", 4),
                ("\te", 5),
                ("\tf", 6),
                ("g h", 7),
                ("i j", 8),
            ]
        );
        assert_eq!(
            style_white_space(" style='white-space: nowrap'"),
            Some(false)
        );
        assert_eq!(style_white_space(" style=\"font-size:12px\""), None);
        assert_eq!(style_white_space(" class=pre"), None);
    }

    #[test]
    fn no_text() {
        assert!(matches!(
            read_html(b"<html><script>x</script><nav>menu</nav></html>"),
            Err(ReadError::HtmlNoText)
        ));
    }
}
