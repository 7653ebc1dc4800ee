//! Cleaning the damage that conversion does to plan text, and small text helpers.
//!
//! Plans arrive as PDF dumps, Word exports and web pages. Before any recognition we remove
//! what the conversion added (Word `[bookmark: …]` markers, PDF spacing around digits and
//! quotes) without touching the words themselves. Everything here is pure and allocation-
//! light: it runs on every line of every document.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

static BOOKMARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[bookmark:[^\]]{0,200}\]").expect("valid regex"));

/// Is `c` a CJK ideograph or CJK/full-width punctuation?
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F   // CJK symbols and punctuation
        | 0x3400..=0x4DBF // ext A
        | 0x4E00..=0x9FFF // unified ideographs
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F // compatibility forms
        | 0xFE50..=0xFE6F // small form variants (﹝﹞)
        | 0xFF00..=0xFFEF // full-width forms
        | 0x2010..=0x2027 // dashes, quotes “”‘’, …
    )
}

/// Is `c` a CJK ideograph (a word character, not punctuation)?
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Remove Word bookmark markers ("[bookmark: _Toc123]").
pub fn strip_bookmarks(s: &str) -> Cow<'_, str> {
    if s.contains("[bookmark:") {
        BOOKMARK.replace_all(s, "")
    } else {
        Cow::Borrowed(s)
    }
}

/// Clean one line for recognition: bookmarks removed, surrounding whitespace trimmed,
/// runs of whitespace collapsed to one space, and — when `pdf_spacing` — spaces that touch
/// a CJK character removed ("“ 十四五 ” 时期( 2021—2025 年)" → "“十四五”时期(2021—2025年)").
pub fn clean_line(raw: &str, pdf_spacing: bool) -> String {
    let s = strip_bookmarks(raw);
    let s = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    // Markdown heading marks ("## 第二章 发展目标") are container syntax, not text.
    let s = match s.strip_prefix('#') {
        Some(rest) => rest.trim_start_matches('#').trim_start(),
        None => s,
    };
    // Fast path: nothing inside to collapse (most lines of most plans).
    if !has_whitespace(s) {
        return s.to_string();
    }
    if !pdf_spacing {
        // Only collapse runs of whitespace to one space.
        let mut out = String::with_capacity(s.len());
        let words = s
            .split(|c: char| c.is_whitespace() || c == '\u{3000}')
            .filter(|w| !w.is_empty());
        for (k, w) in words.enumerate() {
            if k > 0 {
                out.push(' ');
            }
            out.push_str(w);
        }
        return out;
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{3000}' {
            pending_space = true;
            continue;
        }
        if pending_space {
            let keep = match prev {
                Some(p) => !(pdf_spacing && (is_cjk(p) || is_cjk(c) || joins_number(p, c))),
                None => false,
            };
            if keep {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// Does `s` hold any Unicode whitespace? Decided on the bytes: ASCII controls and space, or
/// the UTF-8 forms of U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028/9, U+202F, U+205F and
/// U+3000 — without decoding characters (Chinese quotes share the E2 80 lead byte with the
/// spaces, so the third byte decides).
fn has_whitespace(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Most bytes lead a Chinese character (E4–E9): step over the whole character.
        if (0xE4..=0xE9).contains(&b[i]) {
            i += 3;
            continue;
        }
        match b[i] {
            0x09..=0x0D | b' ' => return true,
            0xC2 if matches!(b.get(i + 1), Some(0x85 | 0xA0)) => return true,
            0xE1 if b.get(i + 1) == Some(&0x9A) && b.get(i + 2) == Some(&0x80) => return true,
            0xE2 => match (b.get(i + 1), b.get(i + 2)) {
                (Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)) => return true,
                (Some(0x81), Some(0x9F)) => return true,
                _ => {}
            },
            0xE3 if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x80) => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// Bytes in the UTF-8 sequence that `lead` starts (1 for a stray continuation byte, so a
/// scan always moves on).
pub(crate) fn utf8_width(lead: u8) -> usize {
    match lead {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// In PDF-spaced text a space inside a number or between a number and its unit/sign is an
/// artefact ("5.4 %", "1. 4万").
fn joins_number(p: char, c: char) -> bool {
    matches!(p, '(' | '[' | '“')
        || matches!(c, ')' | ']' | ',' | ';' | ':' | '”')
        || (p.is_ascii_digit() && matches!(c, '%' | '.' | '‰'))
        || (p == '.' && c.is_ascii_digit())
        || (matches!(p, '+' | '-') && c.is_ascii_digit())
}

/// Remove every space between two CJK characters and around digits next to CJK text:
/// the normalisation used for matching ("经济 发展" → "经济发展", "到 2025 年" → "到2025年",
/// "1. 4万套" → "1.4万套").
pub fn squeeze(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == '\u{3000}' {
            let mut j = i;
            while j < chars.len() && (chars[j].is_whitespace() || chars[j] == '\u{3000}') {
                j += 1;
            }
            let p = out.chars().last();
            let n = chars.get(j).copied();
            let drop = match (p, n) {
                (Some(p), Some(n)) => {
                    is_cjk(p)
                        || is_cjk(n)
                        || matches!(
                            p,
                            ',' | ';' | ':' | '(' | '[' | '>' | '<' | '≥' | '≤' | '⩾' | '⩽' | '~'
                        )
                        || matches!(n, ',' | ';' | ':' | ')' | ']' | '%')
                        || (p == '.' && n.is_ascii_digit())
                        || (p.is_ascii_digit() && matches!(n, '%' | '‰' | '.'))
                }
                _ => true,
            };
            if !drop {
                out.push(' ');
            }
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Does this document look PDF-spaced: blanks around digits and quotes inside CJK text
/// ("“ 十四五 ” 时期( 2021—2025 年)")? Decided once per document from a sample of lines.
pub fn looks_pdf_spaced<'a>(lines: impl Iterator<Item = &'a str>) -> bool {
    let mut spaced = 0usize;
    let mut total = 0usize;
    for l in lines.take(200) {
        let mut it = l.chars();
        let (Some(mut a), Some(mut b)) = (it.next(), it.next()) else {
            continue;
        };
        for c in it {
            if b == ' ' {
                let cjk_digit =
                    (is_han(a) && c.is_ascii_digit()) || (a.is_ascii_digit() && is_han(c));
                let quote = matches!(a, '“' | '”') || matches!(c, '“' | '”');
                if cjk_digit || quote {
                    spaced += 1;
                }
            }
            if b.is_ascii_digit() && (is_han(a) || is_han(c)) {
                total += 1;
            }
            a = b;
            b = c;
        }
    }
    spaced >= 10 && spaced * 4 >= total.max(1)
}

/// Parse a Chinese or Arabic numeral ("十四", "二十一", "一百零二", "〇", "12") into a number.
pub fn parse_numeral(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok().filter(|&n: &u32| n < 100_000);
    }
    if s.chars().all(|c| ('０'..='９').contains(&c)) {
        let ascii: String = s
            .chars()
            .map(|c| char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or('0'))
            .collect();
        return ascii.parse().ok();
    }
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '零' | '〇' | '○' => 0,
            '一' | '壹' => 1,
            '二' | '两' | '贰' => 2,
            '三' | '叁' => 3,
            '四' | '肆' => 4,
            '五' | '伍' => 5,
            '六' | '陆' => 6,
            '七' | '柒' => 7,
            '八' | '捌' => 8,
            '九' | '玖' => 9,
            _ => return None,
        })
    };
    let mut total = 0u32;
    let mut current = 0u32;
    let mut seen = false;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            current = d;
            seen = true;
        } else {
            let unit = match c {
                '十' | '拾' => 10,
                '百' | '佰' => 100,
                '千' | '仟' => 1000,
                _ => return None,
            };
            // "十四": a bare 十 means one ten.
            let n = if seen { current } else { 1 };
            total += n * unit;
            current = 0;
            seen = false;
        }
    }
    Some(total + current)
}

/// Width of a string in terminal columns is not needed here; but the number of characters
/// is (lengths in rules are in characters, not bytes).
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Does the string end with sentence-final punctuation?
pub fn ends_sentence(s: &str) -> bool {
    s.trim_end()
        .ends_with(['。', '！', '？', '；', '.', '!', '?', ';'])
}

/// Remove spaces inside a short label ("经济 发展" → "经济发展"): used for table categories.
pub fn remove_spaces(s: &str) -> Cow<'_, str> {
    if has_whitespace(s) {
        Cow::Owned(s.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_by_bytes() {
        for s in [
            "a b",
            "a\tb",
            "“引号”中文",
            "全角　空格",
            "em\u{2003}space",
            "nbsp\u{a0}x",
            "x\u{200a}",
        ] {
            assert_eq!(
                has_whitespace(s),
                s.chars().any(char::is_whitespace),
                "{s:?}"
            );
        }
    }

    #[test]
    fn numerals() {
        assert_eq!(parse_numeral("一"), Some(1));
        assert_eq!(parse_numeral("十"), Some(10));
        assert_eq!(parse_numeral("十四"), Some(14));
        assert_eq!(parse_numeral("二十"), Some(20));
        assert_eq!(parse_numeral("二十一"), Some(21));
        assert_eq!(parse_numeral("一百零二"), Some(102));
        assert_eq!(parse_numeral("12"), Some(12));
        assert_eq!(parse_numeral("１２"), Some(12));
        assert_eq!(parse_numeral("甲"), None);
        assert_eq!(parse_numeral(""), None);
    }

    #[test]
    fn bookmarks_and_spacing() {
        assert_eq!(
            clean_line(" [bookmark: _Toc1][bookmark: _Toc2]第二篇  发展", false),
            "第二篇 发展"
        );
        assert_eq!(
            clean_line("“ 十四五 ” 时期( 2021—2025 年)", true),
            "“十四五”时期(2021—2025年)"
        );
        assert_eq!(clean_line("年均增长 5.4 % ,", true), "年均增长5.4%,");
        assert_eq!(squeeze("到 2025 年, 1. 4万套"), "到2025年,1.4万套");
        assert_eq!(squeeze("经济 发展"), "经济发展");
        assert_eq!(squeeze("R&D 经费"), "R&D经费");
    }
}
