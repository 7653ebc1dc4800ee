//! Number formatting for reasons: as many decimals as the plan's own numbers use.

use guihua_model::Comparator;

/// Decimals needed to write `v` (at most 4).
pub(crate) fn decimals_of(v: f64) -> usize {
    let s = format!("{:.4}", v.abs());
    let frac = s.split('.').nth(1).unwrap_or("");
    frac.trim_end_matches('0').len()
}

/// `v` with at most `dec` decimals, trailing zeros dropped ("8.58" → "8.6" at 1).
pub(crate) fn num(v: f64, dec: usize) -> String {
    let s = format!("{:.*}", dec, v);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// A percentage rounded to a whole number ("54").
pub(crate) fn pct(v: f64) -> String {
    num(v, 0)
}

/// "≥95%", "5.5%左右", "4500—6000万吨".
pub(crate) fn goal_zh(cmp: Comparator, v: f64, hi: Option<f64>, unit: &str, dec: usize) -> String {
    let n = num(v, dec);
    match cmp {
        Comparator::Eq => format!("{n}{unit}"),
        Comparator::Approx => format!("{n}{unit}左右"),
        Comparator::Gt => format!(">{n}{unit}"),
        Comparator::Ge => format!("≥{n}{unit}"),
        Comparator::Lt => format!("<{n}{unit}"),
        Comparator::Le => format!("≤{n}{unit}"),
        Comparator::Range => format!("{n}—{}{unit}", num(hi.unwrap_or(v), dec)),
    }
}

pub(crate) fn goal_en(cmp: Comparator, v: f64, hi: Option<f64>, unit: &str, dec: usize) -> String {
    let n = num(v, dec);
    let u = if unit.is_empty() || unit == "%" {
        unit.to_string()
    } else {
        format!(" {unit}")
    };
    match cmp {
        Comparator::Eq => format!("{n}{u}"),
        Comparator::Approx => format!("about {n}{u}"),
        Comparator::Gt => format!("> {n}{u}"),
        Comparator::Ge => format!("≥ {n}{u}"),
        Comparator::Lt => format!("< {n}{u}"),
        Comparator::Le => format!("≤ {n}{u}"),
        Comparator::Range => format!("{n}–{}{u}", num(hi.unwrap_or(v), dec)),
    }
}

/// A value with its unit in English ("9.4 件", "15.75%").
pub(crate) fn with_unit_en(v: f64, dec: usize, unit: &str) -> String {
    if unit.is_empty() || unit == "%" {
        format!("{}{unit}", num(v, dec))
    } else {
        format!("{} {unit}", num(v, dec))
    }
}

/// A count of years in Chinese numerals up to ten ("后三年"), digits beyond.
pub(crate) fn cn(n: i32) -> String {
    const D: [&str; 11] = [
        "零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十",
    ];
    match n {
        0..=10 => D[n as usize].to_string(),
        _ => n.to_string(),
    }
}

/// "2021—2022年" or "2022年".
pub(crate) fn span_zh(a: i32, b: i32) -> String {
    if a >= b {
        format!("{b}年")
    } else {
        format!("{a}—{b}年")
    }
}

pub(crate) fn span_en(a: i32, b: i32) -> String {
    if a >= b {
        format!("{b}")
    } else {
        format!("{a}–{b}")
    }
}

/// Years as a list ("2021、2022").
pub(crate) fn years_zh(ys: &[i32]) -> String {
    ys.iter()
        .map(|y| y.to_string())
        .collect::<Vec<_>>()
        .join("、")
}

pub(crate) fn years_en(ys: &[i32]) -> String {
    ys.iter()
        .map(|y| y.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(num(8.58, 1), "8.6");
        assert_eq!(num(12.0, 1), "12");
        assert_eq!(num(-0.001, 1), "0");
        assert_eq!(decimals_of(15.69), 2);
        assert_eq!(decimals_of(12.0), 0);
        assert_eq!(pct(54.39), "54");
        assert_eq!(cn(3), "三");
        assert_eq!(cn(2), "两");
        assert_eq!(cn(12), "12");
        assert_eq!(goal_zh(Comparator::Le, 4.0, None, "%", 1), "≤4%");
    }
}
