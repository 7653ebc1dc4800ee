//! Never silent: what the document announces that was not read.
//!
//! A plan says how much it contains — a caption "表1 …主要指标", rows numbered up to 24,
//! categories "创新驱动（5项）", a table of contents listing chapters — and when fewer were
//! read, the reader must be told where, rather than getting a shorter plan and no word.
//! Each check compares what the text announces with what the passes before extracted and
//! turns a shortfall into a warning with the line it concerns:
//!
//! * `table-unread` — a caption or header announces an indicator table and no row of it
//!   was read;
//! * `table-rows-missing` — a table's numbering or its category counts announce more rows
//!   than were read;
//! * `no-indicator-table` — the plan has no indicator table at all (info: some plans state
//!   their goals in prose only), with the line that mentions 主要指标 when there is one;
//! * `document-truncated` — the text stops mid-sentence, or the table of contents lists
//!   headings after the last one the body has.

use std::collections::BTreeSet;

use guihua_model::{Diagnostic, Indicator, Plan};

use crate::outline::{label, Outline};
use crate::table::TableFind;
use crate::text::char_len;
use crate::Line;

/// Rows a table announces (its numbering, its category counts) against the rows read.
pub(crate) fn table_rows(find: &TableFind, line: u32) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let rows: Vec<&Indicator> = find
        .indicators
        .iter()
        .chain(find.review.iter().map(|r| &r.indicator))
        .collect();
    let seqs: BTreeSet<u32> = rows
        .iter()
        .filter_map(|i| i.seq.as_deref().and_then(|s| s.trim().parse().ok()))
        .collect();
    // The last row's number announces the count (a misprinted number in between — "29."
    // for 19 — does not); fewer distinct numbers means rows were lost.
    let last = rows
        .iter()
        .rev()
        .find_map(|i| i.seq.as_deref().and_then(|s| s.trim().parse::<u32>().ok()));
    if let Some(last) = last {
        if (seqs.len() as u32) < last && last <= 200 {
            let missing: Vec<String> = (1..=last)
                .filter(|n| !seqs.contains(n))
                .map(|n| n.to_string())
                .collect();
            out.push(Diagnostic::warning(
                "table-rows-missing",
                Some(line),
                format!(
                    "indicator table: rows are numbered up to {last} but {} of them were not read (numbers {})",
                    last as usize - seqs.len(),
                    missing.join(", ")
                ),
            ));
        }
    }
    for (category, announced, at) in &find.announced {
        // Rows of the category, a group of sub-rows counted once.
        let read: BTreeSet<(Option<&str>, &str)> = rows
            .iter()
            .filter(|i| i.category.as_deref() == Some(category.as_str()))
            .map(|i| {
                (
                    i.seq.as_deref(),
                    i.parent.as_deref().unwrap_or(i.name.as_str()),
                )
            })
            .collect();
        if (read.len() as u32) < *announced {
            out.push(Diagnostic::warning(
                "table-rows-missing",
                Some(*at),
                format!(
                    "indicator table: category {category} announces {announced} indicators but {} were read",
                    read.len()
                ),
            ));
        }
    }
    out
}

/// Captions that announce an indicator table none of whose rows was read. `read_at` are
/// the line indices of the tables that were read (their titles and first lines).
pub(crate) fn unread_captions(
    lines: &[Line],
    read_at: &[usize],
    skip: &crate::LineSet,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if skip.contains(&i) || !crate::table::is_caption(&l.text) {
            continue;
        }
        // A table read right after (or at) the caption answers it.
        if read_at.iter().any(|&r| r >= i && r <= i + 12) {
            continue;
        }
        out.push(Diagnostic::warning(
            "table-unread",
            Some(l.line),
            format!(
                "'{}' announces an indicator table, but no row of it was found: the table may be missing from this copy, or laid out in a way not read; check the source or enter its values by hand",
                l.text.chars().take(40).collect::<String>()
            ),
        ));
    }
    out
}

/// A plan without any indicator table.
pub(crate) fn no_table(plan: &Plan, lines: &[Line]) -> Option<Diagnostic> {
    if !plan.indicators.is_empty() {
        return None;
    }
    let mention = lines
        .iter()
        .find(|l| l.text.contains("主要指标") && char_len(&l.text) <= 400);
    Some(Diagnostic::info(
        "no-indicator-table",
        mention.map(|l| l.line),
        match mention {
            Some(l) => format!(
                "no main indicator table was found; line {} mentions 主要指标 — its goals may be stated in prose only (see targets)",
                l.line
            ),
            None => "no main indicator table was found; the plan's goals are read from its prose only (see targets)".to_string(),
        },
    ))
}

/// The text stops mid-sentence, or the table of contents goes on after the body ends.
pub(crate) fn truncation(lines: &[Line], outline: &Outline) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(last) = lines.iter().rev().find(|l| !l.text.is_empty()) {
        let t = last.text.trim_end();
        let ended = t.ends_with([
            '。', '！', '？', '”', '》', '）', ')', '|', '.', '!', '?', '；', '…', '：', '"',
        ]) || char_len(t) < 20;
        // A sentence cut off: long prose with clause commas and no end.
        if !ended && t.contains(['，', '、']) {
            out.push(Diagnostic::warning(
                "document-truncated",
                Some(last.line),
                format!(
                    "the text stops mid-sentence at line {} (…{}): the document may be incomplete",
                    last.line,
                    t.chars()
                        .rev()
                        .take(12)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect::<String>()
                ),
            ));
        }
    }
    if let Some((first_missing, count)) = &outline.toc_tail_missing {
        out.push(Diagnostic::warning(
            "document-truncated",
            Some(first_missing.2),
            format!(
                "the table of contents lists {count} heading(s) from {} {} on that the body does not have: the document may be incomplete",
                label(first_missing.0, first_missing.1),
                first_missing.3
            ),
        ));
    }
    out
}
