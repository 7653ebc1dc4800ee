//! Text leaving the application for places that interpret it: CSV cells (spreadsheets run
//! formulas), terminals (escape sequences), file names (paths).
//!
//! Plan titles, notes, sources and user names are typed by people and copied from PDFs and
//! web pages; any of them may hold `=HYPERLINK(…)`, an ANSI escape or "../". Front ends pass
//! such text through these functions at the edge where it would be interpreted.

/// A CSV cell that a spreadsheet will not run as a formula. A cell starting with `=`, `+`,
/// `-`, `@`, TAB or CR is prefixed with `'` (the usual neutralisation, which Excel and
/// LibreOffice show as text) — unless the whole cell is a plain number such as "-3.2",
/// which must stay a number.
pub fn csv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && crate::input::number(s).is_err() {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Text safe to print on a terminal: control characters (C0 but TAB and LF, DEL, C1 —
/// which start escape sequences that recolour, retitle or rewrite the screen) are shown as
/// `�`; the rest is kept, Chinese included.
pub fn terminal(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if s.chars().any(bad) {
        std::borrow::Cow::Owned(
            s.chars()
                .map(|c| if bad(c) { '\u{FFFD}' } else { c })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A file name made from a title or region ("新疆/阿拉尔市 2025" → "新疆_阿拉尔市_2025"):
/// no path separators, no `..`, no characters Windows refuses, no leading dot, at most 80
/// characters; never empty.
pub fn file_stem(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = if c.is_control()
            || matches!(
                c,
                '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | ' ' | '\u{3000}'
            ) {
            '_'
        } else {
            c
        };
        if c == '_' && out.ends_with('_') {
            continue;
        }
        out.push(c);
    }
    let trimmed: String = out
        .trim_matches(|c: char| c == '_' || c == '.')
        .chars()
        .take(80)
        .collect();
    let trimmed = trimmed.replace("..", "_");
    if trimmed.is_empty() {
        "plan".to_string()
    } else {
        trimmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(csv_cell("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\t=1"), "'\t=1");
        assert_eq!(csv_cell("-3.2"), "-3.2");
        assert_eq!(csv_cell("+4"), "+4");
        assert_eq!(csv_cell("-"), "'-");
        assert_eq!(csv_cell("森林覆盖率"), "森林覆盖率");
        assert_eq!(csv_cell(""), "");
    }

    #[test]
    fn terminal_text() {
        assert_eq!(terminal("审核员\u{1b}[2J"), "审核员\u{FFFD}[2J");
        assert_eq!(terminal("a\u{7}b\u{9b}c"), "a\u{FFFD}b\u{FFFD}c");
        assert_eq!(terminal("名称\u{202E}txt"), "名称\u{FFFD}txt");
        assert_eq!(terminal("两行\n\t缩进"), "两行\n\t缩进");
    }

    #[test]
    fn file_stems() {
        assert_eq!(file_stem("../../etc/passwd"), "etc_passwd");
        assert_eq!(file_stem("新疆/阿拉尔市 2025"), "新疆_阿拉尔市_2025");
        assert_eq!(file_stem("..."), "plan");
        assert_eq!(file_stem(""), "plan");
        assert_eq!(file_stem("a..b"), "a_b");
        assert_eq!(file_stem("C:\\x\u{0}y"), "C_x_y");
        assert_eq!(file_stem(&"长".repeat(200)).chars().count(), 80);
    }
}

/// The civil date ("2026-12-01") of a day counted from 1970-01-01 (H. Hinnant's
/// days-from-civil inverse: exact for every day of the proleptic Gregorian calendar).
/// Hand-written because it is twelve lines and the only date arithmetic guihua needs; a
/// date crate would bring time zones and formatting it never uses.
pub fn civil_date(days_since_epoch: i64) -> String {
    let z = days_since_epoch + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod date_tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_date(0), "1970-01-01");
        assert_eq!(super::civil_date(-1), "1969-12-31");
        assert_eq!(super::civil_date(11_016), "2000-02-29");
        assert_eq!(super::civil_date(20_788), "2026-12-01");
    }
}
