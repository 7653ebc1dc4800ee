//! Input a person typed or a spreadsheet holds, read strictly.
//!
//! Every number that reaches the library comes through [`number`] or [`year`]. They accept
//! what planning staff actually write — full-width digits (１２．５), a percent sign
//! (12.5%), thousands separators (1,234.5) — and refuse, with the reason, anything that
//! could be read two ways: "1,2" (a decimal comma, or a typo for 12?), "1.234,5" (European
//! grouping), "1 234", "1e5", "inf", or a magnitude no plan quantity has. A wrong number
//! stored quietly is worse than a row error a person fixes in a minute.

pub mod table;
mod xlsx_styles;

/// The largest magnitude accepted as a monitoring value. The largest quantities plans state
/// (GDP in 元 of the largest province) are below 10^14; a larger number is a typing or
/// unit error.
pub const MAX_MAGNITUDE: f64 = 1e15;

/// The longest text accepted in a free-text cell (数据来源, 备注, 里程碑): a note is a
/// sentence or a paragraph, not a document; a longer cell is a paste gone wrong.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// A free-text cell, or why it is refused.
pub fn text(t: &str) -> Result<Option<String>, String> {
    let t = t.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let n = t.chars().take(MAX_TEXT_CHARS + 1).count();
    if n > MAX_TEXT_CHARS {
        return Err(format!(
            "text too long (more than {MAX_TEXT_CHARS} characters): keep notes short, attach documents elsewhere"
        ));
    }
    Ok(Some(t.to_string()))
}

/// Why a text is not a number, in words for the row error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotANumber(pub String);

impl std::fmt::Display for NotANumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Read a number as a person wrote it. The percent sign is dropped: a cell showing
/// "31.8%" is the value 31.8 (plans state rates in percent), as is a percent-formatted
/// spreadsheet cell (the reader writes its text as shown).
pub fn number(text: &str) -> Result<f64, NotANumber> {
    let t = text.trim();
    let bad = |why: &str| Err(NotANumber(format!("'{t}' is not a number{why}")));
    if t.is_empty() {
        return bad("");
    }
    // Full-width forms as half-width; the typographic minus as a hyphen.
    let mut s: String = t
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '．' => '.',
            '，' => ',',
            '－' | '−' | '–' => '-',
            '＋' => '+',
            '％' => '%',
            _ => c,
        })
        .collect();
    if let Some(rest) = s.strip_suffix('%') {
        s = rest.trim_end().to_string();
    }
    let (sign, body) = match s.strip_prefix(['-', '+']) {
        Some(rest) => (&s[..1], rest),
        None => ("", s.as_str()),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if let Some(f) = frac {
        if f.contains(',') {
            return bad(": a comma after the decimal point (write 1234.5 or 1,234.5)");
        }
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return bad("");
        }
    }
    // Thousands separators: groups of exactly three digits after the first group.
    let digits: String = if int.contains(',') {
        let mut groups = int.split(',');
        let first = groups.next().unwrap_or("");
        let first_ok = (1..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_digit());
        let rest_ok = groups
            .clone()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        if !first_ok || !rest_ok {
            return bad(
                ": a comma may only separate thousands (1,234.5); for a decimal write a point (1.2)",
            );
        }
        std::iter::once(first).chain(groups).collect()
    } else {
        int.to_string()
    };
    if (digits.is_empty() && frac.is_none()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return bad("");
    }
    let plain = match frac {
        Some(f) => format!(
            "{sign}{}.{f}",
            if digits.is_empty() { "0" } else { &digits }
        ),
        None => format!("{sign}{digits}"),
    };
    let v: f64 = plain
        .parse()
        .map_err(|_| NotANumber(format!("'{t}' is not a number")))?;
    if !v.is_finite() || v.abs() > MAX_MAGNITUDE {
        return Err(NotANumber(format!(
            "'{t}' is too large to be a monitoring value (more than 10^15: check the unit)"
        )));
    }
    Ok(v)
}

/// Read a calendar year (1900–2100) as a person wrote it ("2025", "２０２５", "2025年").
pub fn year(text: &str) -> Result<i32, NotANumber> {
    let t = text.trim();
    let t = t.strip_suffix('年').unwrap_or(t).trim_end();
    let bad = || NotANumber(format!("'{}' is not a year", text.trim()));
    if t.contains([',', '，', '%', '％', '.', '．']) {
        return Err(bad());
    }
    let v = number(t).map_err(|_| bad())?;
    if v.fract() != 0.0 || !(1900.0..=2100.0).contains(&v) {
        return Err(bad());
    }
    Ok(v as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_people_write() {
        for (t, v) in [
            ("12.5", 12.5),
            ("１２．５", 12.5),
            ("12.5%", 12.5),
            ("12.5 %", 12.5),
            ("-3.2", -3.2),
            ("－3.2", -3.2),
            ("+4", 4.0),
            ("1,234.5", 1234.5),
            ("12,345,678", 12_345_678.0),
            ("１，２３４", 1234.0),
            ("0.412", 0.412),
            (".5", 0.5),
            ("  7  ", 7.0),
        ] {
            assert_eq!(number(t), Ok(v), "{t}");
        }
    }

    #[test]
    fn numbers_that_could_be_read_two_ways_are_errors() {
        for (t, why) in [
            ("1,2", "a comma may only separate thousands"),
            ("12,34", "a comma may only separate thousands"),
            ("1.234,5", "a comma after the decimal point"),
            ("1,2345", "a comma may only separate thousands"),
            (",123", "a comma may only separate thousands"),
            ("1e5", "is not a number"),
            ("1e308", "is not a number"),
            ("inf", "is not a number"),
            ("NaN", "is not a number"),
            ("1 234", "is not a number"),
            ("12.", "is not a number"),
            ("五十一", "is not a number"),
            ("n/a", "is not a number"),
            ("", "is not a number"),
            ("99999999999999999999", "too large"),
        ] {
            let e = number(t).expect_err(t);
            assert!(e.0.contains(why), "{t}: {e}");
        }
    }

    #[test]
    fn years() {
        assert_eq!(year("2025"), Ok(2025));
        assert_eq!(year("２０２５"), Ok(2025));
        assert_eq!(year("2025年"), Ok(2025));
        for t in ["2,025", "2025.5", "二〇二五", "20251", "25", ""] {
            assert!(year(t).is_err(), "{t}");
        }
    }

    proptest::proptest! {
        /// Whatever the text, reading it never panics, and an accepted number is finite
        /// and bounded.
        #[test]
        fn never_panics_and_bounds_hold(t in "\\PC{0,24}") {
            if let Ok(v) = number(&t) {
                proptest::prop_assert!(v.is_finite() && v.abs() <= MAX_MAGNITUDE);
            }
        }

        /// A number printed with or without thousands separators reads back as itself.
        #[test]
        fn grouped_numbers_read_back(n in 0u64..1_000_000_000_000, frac in 0u32..1000) {
            let plain = format!("{n}.{frac:03}");
            let mut grouped = String::new();
            let digits = n.to_string();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            let grouped = format!("{grouped}.{frac:03}");
            proptest::prop_assert_eq!(number(&plain), number(&grouped));
            proptest::prop_assert_eq!(number(&plain).ok(), plain.parse::<f64>().ok());
        }
    }
}
