//! Snippets: a window of a hit's text around the first place a query term occurs, with
//! every occurrence of every term marked.
//!
//! Hand-written rather than tantivy's `SnippetGenerator`: a hit matches through either
//! analyzer (jieba words or single characters, see [`crate::tokenize`]), and the generator
//! highlights the terms of one field — with the character field it would mark every 能 of
//! a paragraph for the query 氢能. What a reader wants marked is the term as typed, where
//! it literally occurs; matching is by character (lower case, white space ignored), the
//! same rule as the character field, so every hit has its term in the snippet.

use serde::Serialize;

/// Characters shown before the first mark.
const BEFORE: usize = 40;
/// Characters in a snippet at most.
const LENGTH: usize = 160;

/// A piece of a hit's text with the query's terms marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges of `text` that are a query term, in order, not overlapping.
    pub marks: Vec<(usize, usize)>,
}

impl Snippet {
    /// The snippet with each mark wrapped in `open` … `close` (already escaped by `esc`).
    pub fn render(&self, esc: impl Fn(&str) -> String, open: &str, close: &str) -> String {
        let mut out = String::new();
        let mut at = 0;
        for &(from, to) in &self.marks {
            out.push_str(&esc(&self.text[at..from]));
            out.push_str(open);
            out.push_str(&esc(&self.text[from..to]));
            out.push_str(close);
            at = to;
        }
        out.push_str(&esc(&self.text[at..]));
        out
    }
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Where each term occurs in `body`: byte ranges, merged where they overlap.
pub fn occurrences(body: &str, terms: &[String]) -> Vec<(usize, usize)> {
    // The body's characters that count (not white space), with their byte ranges.
    let chars: Vec<(usize, usize, char)> = body
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .map(|(i, c)| (i, i + c.len_utf8(), fold(c)))
        .collect();
    let mut found = Vec::new();
    for term in terms {
        let t: Vec<char> = term
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(fold)
            .collect();
        if t.is_empty() || t.len() > chars.len() {
            continue;
        }
        for start in 0..=chars.len() - t.len() {
            if chars[start..start + t.len()]
                .iter()
                .zip(&t)
                .all(|(a, b)| a.2 == *b)
            {
                found.push((chars[start].0, chars[start + t.len() - 1].1));
            }
        }
    }
    found.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (from, to) in found {
        match merged.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    merged
}

/// The snippet of `body` for `terms`: from a little before the first occurrence, at most
/// [`LENGTH`] characters, "…" where the body was cut.
pub fn snippet(body: &str, terms: &[String]) -> Snippet {
    let marks = occurrences(body, terms);
    let starts: Vec<usize> = body.char_indices().map(|(i, _)| i).collect();
    let n = starts.len();
    let byte = |k: usize| starts.get(k).copied().unwrap_or(body.len());
    let first = marks
        .first()
        .map(|m| starts.partition_point(|&s| s < m.0))
        .unwrap_or(0);
    let mut from = first.saturating_sub(BEFORE);
    let to = (from + LENGTH).min(n);
    if to == n {
        from = n.saturating_sub(LENGTH).min(from);
    }
    let (lo, hi) = (byte(from), byte(to));
    let lead = if from > 0 { "…" } else { "" };
    let tail = if to < n { "…" } else { "" };
    let text = format!("{lead}{}{tail}", &body[lo..hi]);
    let shift = lead.len();
    let marks = marks
        .into_iter()
        .filter(|&(a, b)| a >= lo && b <= hi)
        .map(|(a, b)| (a - lo + shift, b - lo + shift))
        .collect();
    Snippet { text, marks }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn marks_every_occurrence_of_the_term_as_typed() {
        let s = snippet(
            "发展氢能产业，建设氢能示范城市，能源结构优化",
            &t(&["氢能"]),
        );
        assert_eq!(
            s.render(|x| x.to_string(), "[", "]"),
            "发展[氢能]产业，建设[氢能]示范城市，能源结构优化"
        );
    }

    #[test]
    fn ignores_case_and_white_space() {
        let s = snippet("加快5 G基站建设", &t(&["5g"]));
        assert_eq!(s.render(|x| x.to_string(), "[", "]"), "加快[5 G]基站建设");
    }

    #[test]
    fn long_text_is_cut_around_the_first_mark() {
        let body = format!("{}城市更新{}", "甲".repeat(300), "乙".repeat(300));
        let s = snippet(&body, &t(&["城市更新"]));
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        assert_eq!(s.text.chars().count(), LENGTH + 2);
        assert_eq!(&s.text[s.marks[0].0..s.marks[0].1], "城市更新");
    }

    #[test]
    fn overlapping_terms_merge() {
        assert_eq!(occurrences("城市更新", &t(&["城市", "市更"])), vec![(0, 9)]);
    }

    proptest! {
        #[test]
        fn marks_are_inside_the_text_on_char_boundaries(
            body in "[a-zA-Z 城市更新氢能，。]{0,300}",
            term in "[a-z城市更新氢能 ]{1,4}",
        ) {
            let s = snippet(&body, &[term]);
            let mut last = 0;
            for &(a, b) in &s.marks {
                prop_assert!(a >= last && a < b && b <= s.text.len());
                prop_assert!(s.text.is_char_boundary(a) && s.text.is_char_boundary(b));
                last = b;
            }
            prop_assert!(s.text.chars().count() <= LENGTH + 2);
        }
    }
}
