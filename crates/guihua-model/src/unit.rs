//! Whether two units name the same measure, as plans write them: "%" and "％", "（个）" and
//! "个", "岁" and "年" (a life expectancy is written either way). One rule for every place
//! that joins or compares numbers of two sources (alignment, annual targets, review
//! tables, series across plans), so they cannot disagree.

/// A unit reduced to what distinguishes it: full-width forms made half-width, brackets and
/// spaces dropped, 岁 read as 年.
pub fn unit_key(u: &str) -> String {
    u.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '岁' => '年',
            c => c,
        })
        .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '（' | '）'))
        .collect()
}

/// Do two units agree? A missing or empty unit agrees with any (the number is taken in the
/// other's unit, as the plan's row states it).
pub fn same_unit(a: Option<&str>, b: Option<&str>) -> bool {
    match (a.map(unit_key), b.map(unit_key)) {
        (Some(x), Some(y)) => x.is_empty() || y.is_empty() || x == y,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_as_plans_write_them() {
        assert!(same_unit(Some("%"), Some("％")));
        assert!(same_unit(Some("（个）"), Some("个")));
        assert!(same_unit(Some("岁"), Some("年")));
        assert!(same_unit(None, Some("万吨")));
        assert!(same_unit(Some(""), Some("万吨")));
        assert!(!same_unit(Some("万吨"), Some("亿斤")));
        assert!(!same_unit(Some("%"), Some("吨/万元")));
    }
}
