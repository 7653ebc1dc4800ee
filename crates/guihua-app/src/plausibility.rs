//! Is a monitoring value plausible for its indicator? A value can be a valid number and
//! still be wrong: a life expectancy of 99 against a base of 76, a forest coverage of 180%,
//! a GDP typed in 万亿元 where the plan counts 亿元. Such values are not refused — reality
//! sometimes jumps — but they are not stored without a person confirming them
//! (`--accept-outliers`, or a confirmation field in a form).
//!
//! The checks, each explained in its warning:
//! * **Shares stay within 0–100.** A rate or share in percent (…率, 比重, 占比, 覆盖率,
//!   普及率, 比例; not a growth or decline rate, nor a gross ratio like 毛入学率) outside
//!   [0, 100].
//! * **Near the plan's own range.** With a base and a target level, the value must lie
//!   within the range they span, widened by the larger of twice their distance and a fifth
//!   of their size: 76 → 78 years allows 60.4–93.6.
//! * **No leap from the last stored year.** A change from the nearest earlier stored value
//!   larger than that value itself (and than twice the base–target distance).

/// What the plan says about the subject a value is for.
#[derive(Debug, Clone, Default)]
pub struct Expectation<'a> {
    pub name: &'a str,
    pub unit: Option<&'a str>,
    /// Base-year level, when the plan states one.
    pub base: Option<f64>,
    /// Target level (not a rate or cumulative change), when the plan states one.
    pub target: Option<f64>,
}

fn is_share(e: &Expectation) -> bool {
    let percent = e.unit.is_some_and(|u| u.trim() == "%");
    let share = ["率", "比重", "占比", "覆盖率", "普及率", "比例"]
        .iter()
        .any(|w| e.name.contains(w));
    let change = ["增长", "增速", "下降", "降低", "提高", "减少", "增加"]
        .iter()
        .any(|w| e.name.contains(w));
    // A gross ratio (毛入学率, 毛入园率) counts pupils of any age: above 100 is possible.
    let gross = e.name.contains('毛');
    percent && share && !change && !gross
}

/// A warning when `value` (for `year`) looks implausible; `last` is the nearest earlier
/// stored value (year, value).
pub fn check(e: &Expectation, year: i32, value: f64, last: Option<(i32, f64)>) -> Option<String> {
    let v = guihua_store::fmt_num(value);
    if is_share(e) && !(0.0..=100.0).contains(&value) {
        return Some(format!(
            "{} {year}: {v}% is outside 0–100 for a share",
            e.name
        ));
    }
    let spread = match (e.base, e.target) {
        (Some(b), Some(t)) => Some((b, t)),
        _ => None,
    };
    if let Some((b, t)) = spread {
        let w = (2.0 * (t - b).abs()).max(0.2 * b.abs().max(t.abs()));
        let (lo, hi) = (b.min(t) - w, b.max(t) + w);
        if w > 0.0 && !(lo..=hi).contains(&value) {
            return Some(format!(
                "{} {year}: {v} is far from the plan's base {} and target {} (plausible {}–{}): a typing or unit error?",
                e.name,
                guihua_store::fmt_num(b),
                guihua_store::fmt_num(t),
                guihua_store::fmt_num(round2(lo)),
                guihua_store::fmt_num(round2(hi))
            ));
        }
    }
    if let Some((ly, lv)) = last {
        let allowed = lv
            .abs()
            .max(spread.map_or(0.0, |(b, t)| 2.0 * (t - b).abs()));
        if allowed > 0.0 && (value - lv).abs() > allowed {
            return Some(format!(
                "{} {year}: {v} after {} in {ly} is a change larger than the value itself",
                e.name,
                guihua_store::fmt_num(lv)
            ));
        }
    }
    None
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn life() -> Expectation<'static> {
        Expectation {
            name: "人均预期寿命",
            unit: Some("岁"),
            base: Some(76.0),
            target: Some(78.0),
        }
    }

    #[test]
    fn values_far_from_the_plan_are_flagged() {
        assert_eq!(
            check(&life(), 2023, 99.0, None).as_deref(),
            Some("人均预期寿命 2023: 99 is far from the plan's base 76 and target 78 (plausible 60.4–93.6): a typing or unit error?")
        );
        assert_eq!(check(&life(), 2023, 77.1, Some((2022, 76.8))), None);
        let forest = Expectation {
            name: "森林覆盖率",
            unit: Some("%"),
            base: Some(12.6),
            target: Some(13.0),
        };
        assert_eq!(
            check(&forest, 2022, 1e15, None).as_deref(),
            Some("森林覆盖率 2022: 1000000000000000% is outside 0–100 for a share")
        );
        assert!(check(&forest, 2022, 12.7, None).is_none());
        // A growth rate in percent is not a share: -2 is possible, but it is a leap from 6.5.
        let growth = Expectation {
            name: "地区生产总值增长",
            unit: Some("%"),
            base: None,
            target: None,
        };
        assert!(check(&growth, 2022, 3.0, Some((2021, 6.5))).is_none());
        assert_eq!(
            check(&growth, 2022, -2.0, Some((2021, 6.5))).as_deref(),
            Some("地区生产总值增长 2022: -2 after 6.5 in 2021 is a change larger than the value itself")
        );
        // Nothing known: nothing to say.
        assert!(check(&Expectation::default(), 2022, 1e9, None).is_none());
    }
}
