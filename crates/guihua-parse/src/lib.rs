//! The guihua parser: a [`Document`] in, a [`Plan`] with its diagnostics out.
//!
//! Like rust-analyzer's parser, this never fails: any text yields a plan (possibly empty)
//! and a list of diagnostics saying what could not be read and where. Deciding whether a
//! file is a document at all is the reader's job (`guihua-read`); from here on everything
//! is pure — no I/O, no mutable global state (the only statics are compiled patterns).
//!
//! The pipeline, in order:
//! 1. [`text`]: clean each line (Word bookmarks, PDF spacing);
//! 2. [`table`]: find main indicator tables (text layouts and real tables) so their cells
//!    are never mistaken for headings or prose;
//! 3. [`outline`]: headings, table of contents, the tree and its numbering;
//! 4. [`meta`]: title, region, period, adoption;
//! 5. [`targets`] and [`projects`]: prose targets and 专栏 project items;
//! 6. [`crosscheck`]: the same indicator with different targets in table and prose.

use std::borrow::Cow;

use guihua_model::{Block, Document, Level, Plan, Table};

pub(crate) mod coverage;
pub mod crosscheck;
pub mod meta;
pub mod outline;
pub mod projects;
pub mod quantity;
pub(crate) mod repair;
pub mod table;
pub mod targets;
pub mod text;

/// A set of line indices. A bitmap rather than a hash set: every pass asks "is line i in
/// it?" of every line, and hashing was a twentieth of parse time.
#[derive(Debug, Clone, Default)]
pub(crate) struct LineSet {
    bits: Vec<bool>,
}

impl LineSet {
    pub fn contains(&self, i: &usize) -> bool {
        self.bits.get(*i).copied().unwrap_or(false)
    }

    pub fn insert(&mut self, i: usize) {
        if i >= self.bits.len() {
            self.bits.resize(i + 1, false);
        }
        self.bits[i] = true;
    }

    /// The indices in the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits
            .iter()
            .enumerate()
            .filter(|(_, b)| **b)
            .map(|(i, _)| i)
    }
}

impl Extend<usize> for LineSet {
    fn extend<T: IntoIterator<Item = usize>>(&mut self, iter: T) {
        for i in iter {
            self.insert(i);
        }
    }
}

impl FromIterator<usize> for LineSet {
    fn from_iter<T: IntoIterator<Item = usize>>(iter: T) -> Self {
        let mut s = LineSet::default();
        s.extend(iter);
        s
    }
}

/// One paragraph of the document, cleaned for recognition.
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    /// As read (bookmarks and all), after [`repair`] joined wrapped lines.
    pub raw: Cow<'a, str>,
    /// Cleaned: bookmarks removed, whitespace collapsed; PDF spacing removed when the
    /// document is PDF-spaced.
    pub text: String,
    /// Cleaned but keeping single spaces (headings are recognised on this).
    pub heading_text: String,
    /// 1-based line in the text rendering.
    pub line: u32,
}

impl<'a> Line<'a> {
    /// A line from (repaired) paragraph text; `pdf` when the document is PDF-spaced.
    pub fn new(raw: Cow<'a, str>, line: u32, pdf: bool) -> Line<'a> {
        let heading_text = text::clean_line(&raw, false);
        let text = if pdf {
            text::clean_line(&raw, true)
        } else {
            heading_text.clone()
        };
        Line {
            raw,
            text,
            heading_text,
            line,
        }
    }

    /// The raw line with bookmarks removed, leading TABs kept (table layouts need them).
    pub fn raw_clean(&self) -> String {
        let s = text::strip_bookmarks(&self.raw);
        let s = s.trim_end_matches(['\r', ' ']);
        // Keep a leading TAB; drop spaces before it (" \t专栏 …").
        let lead_trimmed = s.trim_start_matches(' ');
        lead_trimmed.to_string()
    }
}

/// Parse plain text (one paragraph per line).
pub fn parse_text(text: &str) -> Plan {
    parse_document(&Document::from_text(text))
}

/// Parse a document.
pub fn parse_document(doc: &Document) -> Plan {
    parse_document_with_tables(doc).0
}

/// What was read from one indicator or review table: for reports that compare what a
/// document announces with what was read (the corpus report, a reviewer's check).
#[derive(Debug, Clone, PartialEq)]
pub struct TableSummary {
    /// 1-based line of the caption, else of the first row read.
    pub line: u32,
    /// The caption line, when the table has one.
    pub caption: Option<String>,
    /// Indicator rows read (the new plan's table).
    pub indicators: usize,
    /// Review rows read (the previous plan against its actuals).
    pub review: usize,
    /// Rows the table announces by its category counts ("创新驱动（5项）"), summed over the
    /// categories that state one; `None` when none does.
    pub announced: Option<u32>,
}

/// Parse a document, and summarise each table read.
pub fn parse_document_with_tables(doc: &Document) -> (Plan, Vec<TableSummary>) {
    // Repair what printing did (page furniture, wrapped lines) before recognising anything.
    let pieces: Vec<repair::Piece<&Table>> = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(p) => repair::Piece::Para(repair::Para {
                text: Cow::Borrowed(p.text.as_str()),
                line: p.line,
            }),
            Block::Table(t) => repair::Piece::Table(t),
        })
        .collect();
    let pieces = repair::repair(pieces);
    let pdf = text::looks_pdf_spaced(pieces.iter().filter_map(|p| match p {
        repair::Piece::Para(p) => Some(p.text.as_ref()),
        repair::Piece::Table(_) => None,
    }));
    let cfg = table::Cfg {
        period_end: meta::period_hint(pieces.iter().filter_map(|p| match p {
            repair::Piece::Para(p) => Some(p.text.as_ref()),
            repair::Piece::Table(_) => None,
        }))
        .map(|p| p.end),
    };
    let make_line = |raw, line| Line::new(raw, line, pdf);
    let mut lines: Vec<Line> = Vec::with_capacity(pieces.len());
    // Real indicator tables, read where they stand (index of the line they precede).
    let mut real_finds: Vec<(usize, table::TableFind)> = Vec::new();
    for piece in pieces {
        match piece {
            repair::Piece::Para(p) => lines.push(make_line(p.text, p.line)),
            repair::Piece::Table(t) => {
                // A caption inside the table ("专栏1 …" spanning the first row) is a line of
                // the outline; any other table is read as the lines it holds (a 专栏 box laid
                // out as a table: its caption, items and prose).
                let caption = table::caption_row(t);
                if let Some((text, line)) = &caption {
                    lines.push(make_line(Cow::Owned(text.clone()), *line));
                }
                match table::read_real_table(t, cfg) {
                    Some(mut f) => {
                        f.title_index = lines.len().checked_sub(1);
                        real_finds.push((lines.len(), f));
                    }
                    None => {
                        let skip_first = usize::from(caption.is_some());
                        for (text, line) in table::table_lines(t, skip_first) {
                            lines.push(make_line(Cow::Owned(text), line));
                        }
                    }
                }
            }
        }
    }

    let mut plan = Plan::default();

    // Indicator tables first: their cells are not headings or prose.
    let mut finds = table::find_text_tables(&lines, cfg);
    // Notes printed right after a real table are the table's.
    for (at, f) in &mut real_finds {
        if lines.get(*at).is_some_and(|l| table::starts_note(&l.text)) {
            let (notes, last) = table::read_notes(&lines, *at);
            f.notes.extend(notes);
            f.consumed.extend(*at..=last);
        }
    }
    // Where each table was read (title, first line), for the captions it answers.
    let mut read_at: Vec<usize> = Vec::new();
    for f in &finds {
        read_at.extend(f.title_index);
        read_at.extend(f.consumed.first().copied());
    }
    for (at, f) in &real_finds {
        read_at.push(*at);
        read_at.extend(f.title_index);
    }
    finds.extend(real_finds.into_iter().map(|(_, f)| f));
    let mut skip = LineSet::default();
    for f in &finds {
        skip.extend(f.consumed.iter().copied());
    }
    // Never silent: rows a table announces but that were not read.
    for f in &finds {
        let line = f
            .title_index
            .and_then(|i| lines.get(i))
            .map(|l| l.line)
            .or_else(|| f.indicators.first().map(|i| i.line))
            .or_else(|| f.review.first().map(|r| r.indicator.line))
            .unwrap_or(0);
        plan.diagnostics.extend(coverage::table_rows(f, line));
    }
    plan.diagnostics
        .extend(coverage::unread_captions(&lines, &read_at, &skip));

    let outline = outline::build(&lines, &skip, pdf);

    let summaries: Vec<TableSummary> = finds
        .iter()
        .map(|f| {
            let caption = f.title_index.and_then(|i| lines.get(i));
            TableSummary {
                line: caption
                    .map(|l| l.line)
                    .or_else(|| f.indicators.first().map(|i| i.line))
                    .or_else(|| f.review.first().map(|r| r.indicator.line))
                    .unwrap_or(0),
                caption: caption.map(|l| l.text.clone()),
                indicators: f.indicators.len(),
                review: f.review.len(),
                announced: (!f.announced.is_empty())
                    .then(|| f.announced.iter().map(|(_, n, _)| n).sum()),
            }
        })
        .collect();
    let mut n = 0;
    for f in finds {
        let box_id = f.title_index.and_then(|ti| {
            outline
                .enclosing(ti, |l| l == Level::Box)
                .filter(|b| {
                    // the box must still be open: no non-box heading between
                    outline
                        .enclosing(ti, |_| true)
                        .is_some_and(|inner| inner.id == b.id)
                })
                .map(|b| b.id.clone())
        });
        let review_only = f.indicators.is_empty() && !f.review.is_empty();
        for mut ind in f.indicators {
            n += 1;
            ind.id = format!("i{n}");
            ind.box_id = box_id.clone();
            plan.indicators.push(ind);
        }
        if review_only {
            plan.review_notes.extend(f.notes);
        } else {
            plan.indicator_notes.extend(f.notes);
        }
        for mut r in f.review {
            r.indicator.id = format!("r{}", plan.review.len() + 1);
            r.indicator.box_id = box_id.clone();
            plan.review.push(r);
        }
        plan.diagnostics.extend(f.diagnostics);
    }

    table::apply_star_note(&mut plan);
    meta::extract(&lines, &outline, &mut plan);
    plan.diagnostics.extend(coverage::no_table(&plan, &lines));
    plan.diagnostics
        .extend(coverage::truncation(&lines, &outline));

    let mut excluded = skip;
    excluded.extend(outline.toc.iter());
    excluded.extend(outline.heading_lines.iter());
    // The appendix (附录, 名词解释) defines terms; its numbers are not the plan's.
    if let Some(a) = outline.appendix {
        excluded.extend(a..lines.len());
    }

    let ctx = Context {
        lines: &lines,
        outline: &outline,
        excluded: &excluded,
    };
    let (targets, facts) = targets::extract(&ctx, plan.period);
    plan.targets = targets;
    plan.facts = facts;
    let (projects, pdiags) = projects::extract(&ctx);
    plan.projects = projects;
    plan.diagnostics.extend(pdiags);
    plan.diagnostics.extend(outline.diagnostics.iter().cloned());
    plan.outline = outline.tree();
    plan.diagnostics.extend(crosscheck::check(&plan));
    plan.diagnostics.sort_by_key(|d| d.line.unwrap_or(0));
    let mut summaries = summaries;
    summaries.sort_by_key(|t| t.line);
    (plan, summaries)
}

/// What the extraction passes share.
pub(crate) struct Context<'a, 'b> {
    pub lines: &'b [Line<'a>],
    pub outline: &'b outline::Outline,
    pub excluded: &'b LineSet,
}
