//! Changes over the whole period (〔13.5〕) and amounts per year (年均新增就业2万人).

use std::collections::BTreeMap;

use guihua_model::Comparator;

use super::*;

/// A change over the whole period accrues with the years elapsed: compounded for rates
/// (1 − (1 − R)^f), linearly for sums of flows and increments.
pub(super) fn eval_cumulative(
    cx: &mut Cx,
    total: f64,
    cmp: Comparator,
    mode: CumMode,
    sense: f64,
) -> Evaluation {
    let s = cx.s;
    let (y0, yt) = (s.base_year, s.target_year);
    let big_n = (yt - y0).max(1);
    let u = if mode == CumMode::Compound {
        "%".to_string()
    } else {
        cx.u()
    };
    let dec = cx.dec;
    // Accrued change C (in the plan's sense) after k years, as of year ya.
    let accrued: Option<(f64, i32, i32)> =
        if let Some((&ya, &c)) = cx.ser.cum.range(y0 + 1..=cx.year).next_back() {
            Some((c, ya - y0, ya))
        } else {
            match mode {
                CumMode::Compound => {
                    // Compound the yearly rates of the contiguous run from the first year.
                    let mut fac = 1.0;
                    let mut k = 0;
                    let mut y = y0 + 1;
                    while y <= cx.year {
                        match cx.ser.rate.get(&y) {
                            Some(r) => fac *= 1.0 + sense * r / 100.0,
                            None => break,
                        }
                        k += 1;
                        y += 1;
                    }
                    let later: Vec<i32> = if y <= cx.year {
                        cx.ser.rate.range(y..=cx.year).map(|(y, _)| *y).collect()
                    } else {
                        vec![]
                    };
                    if k > 0 && !later.is_empty() {
                        cx.note(
                            format!("缺{y}年数据，累计至{}年", y - 1),
                            format!("no data for {y}; accrued up to {}", y - 1),
                        );
                    }
                    if k > 0 {
                        Some((sense * (fac - 1.0) * 100.0, k, y0 + k))
                    } else {
                        match (
                            cx.ser.level.get(&y0),
                            cx.ser.level.range(y0 + 1..=cx.year).next_back(),
                        ) {
                            (Some(&l0), Some((&ya, &l))) if l0 > 0.0 => {
                                Some((sense * (l / l0 - 1.0) * 100.0, ya - y0, ya))
                            }
                            _ => None,
                        }
                    }
                }
                CumMode::Sum => {
                    let flows: Vec<(i32, f64)> = cx
                        .ser
                        .level
                        .range(y0 + 1..=cx.year)
                        .chain(cx.ser.rate.range(y0 + 1..=cx.year))
                        .map(|(y, v)| (*y, *v))
                        .collect::<BTreeMap<_, _>>()
                        .into_iter()
                        .collect();
                    match flows.last() {
                        Some(&(ya, _)) => {
                            let missing: Vec<i32> = (y0 + 1..=ya)
                                .filter(|y| !flows.iter().any(|p| p.0 == *y))
                                .collect();
                            if !missing.is_empty() {
                                cx.note(
                                    format!(
                                        "缺{}年数据，按有数据的{}年比较",
                                        years_zh(&missing),
                                        flows.len()
                                    ),
                                    format!(
                                        "no data for {}; compared over the {} years with data",
                                        years_en(&missing),
                                        flows.len()
                                    ),
                                );
                            }
                            Some((flows.iter().map(|p| p.1).sum(), flows.len() as i32, ya))
                        }
                        None => None,
                    }
                }
                CumMode::Increment => match (
                    cx.ser.level.get(&y0),
                    cx.ser.level.range(y0 + 1..=cx.year).next_back(),
                ) {
                    (Some(&l0), Some((&ya, &l))) => Some((sense * (l - l0), ya - y0, ya)),
                    _ => None,
                },
            }
        };
    let Some((c, k, ya)) = accrued else {
        return Evaluation::not_assessable(
            format!("{}—{}年无可累计的实际数据", y0 + 1, cx.year),
            format!("no data to accrue for {}–{}", y0 + 1, cx.year),
        );
    };
    cx.note_latest(ya);
    let f = (k as f64 / big_n as f64).clamp(0.0, 1.0);
    let compound = mode == CumMode::Compound;
    let planned_fac = 1.0 + sense * total / 100.0;
    let expected = if compound {
        sense * (planned_fac.powf(f) - 1.0) * 100.0
    } else {
        total * f
    };
    let progress = if total.abs() > EPS {
        c / total
    } else {
        f64::NAN
    };
    let rem = big_n - k;
    let fac = 1.0 + sense * c / 100.0;
    let (req, planned) = if compound {
        (
            (rem > 0 && fac > 0.0 && planned_fac > 0.0)
                .then(|| sense * ((planned_fac / fac).powf(1.0 / rem as f64) - 1.0) * 100.0),
            sense * (planned_fac.powf(1.0 / big_n as f64) - 1.0) * 100.0,
        )
    } else {
        (
            (rem > 0).then(|| (total - c) / rem as f64),
            total / big_n as f64,
        )
    };
    let ceiling = matches!(cmp, Comparator::Le | Comparator::Lt);
    let status = if ceiling {
        if c <= expected * (1.0 + cx.p.tolerance) + EPS {
            Status::OnTrack
        } else if c > total {
            Status::SeverelyLagging
        } else {
            Status::Lagging
        }
    } else if c >= total - EPS {
        Status::Achieved
    } else {
        let on = if expected.abs() > EPS && rem > 0 {
            classify_ratio(c / expected, cx.p.tolerance)
        } else {
            None
        };
        on.unwrap_or(if rem <= 0 {
            if progress < 1.0 / cx.p.severe_factor {
                Status::SeverelyLagging
            } else {
                Status::Lagging
            }
        } else if req.is_some_and(|r| {
            let shown = match mode {
                CumMode::Compound => cx
                    .ser
                    .rate
                    .range(y0 + 1..=cx.year)
                    .map(|(_, r)| *r)
                    .fold(0.0, f64::max),
                CumMode::Sum => cx
                    .ser
                    .level
                    .range(y0 + 1..=cx.year)
                    .map(|(_, v)| *v)
                    .fold(0.0, f64::max),
                CumMode::Increment => 0.0,
            };
            let reference = planned.abs().max(shown);
            reference > EPS && r * planned.signum() > cx.p.severe_factor * reference
        }) {
            Status::SeverelyLagging
        } else {
            Status::Lagging
        })
    };
    let end = (k > 0).then(|| {
        if compound {
            sense * (fac.max(0.0).powf(big_n as f64 / k as f64) - 1.0) * 100.0
        } else {
            c / k as f64 * big_n as f64
        }
    });
    let verb_zh = match (compound, sense < 0.0) {
        (true, true) => "累计降低",
        (true, false) => "累计增长",
        (false, true) => "累计减少",
        (false, false) => "累计",
    };
    let verb_en = if sense < 0.0 { "reduction" } else { "increase" };
    let step_zh = if compound {
        if sense < 0.0 {
            "降低"
        } else {
            "增长"
        }
    } else if sense < 0.0 {
        "减少"
    } else {
        "完成"
    };
    let mut zh = format!(
        "{}{verb_zh}{}{u}，按序时进度应{verb_zh}{}{u}，完成进度{}%（序时进度{}%）",
        span_zh(y0 + 1, ya),
        num(c, dec),
        num(expected, dec),
        pct(progress * 100.0),
        pct(f * 100.0)
    );
    let mut en = format!(
        "cumulative {verb_en} {}: {}, expected {} on schedule; {}% of the planned {} done ({}% of the period elapsed)",
        span_en(y0 + 1, ya),
        with_unit_en(c, dec, &u),
        with_unit_en(expected, dec, &u),
        pct(progress * 100.0),
        with_unit_en(total, dec, &u),
        pct(f * 100.0)
    );
    if status == Status::Achieved {
        zh.push_str(&format!(
            "；已完成规划期{verb_zh}{}{u}的目标",
            num(total, dec)
        ));
        en.push_str("; the whole-period target is reached");
    } else if let Some(r) = req {
        zh.push_str(&format!(
            "；后{}年需年均{step_zh}{}{u}（规划年均{}{u}）",
            cn(rem),
            num(r, dec + 1),
            num(planned, dec + 1)
        ));
        en.push_str(&format!(
            "; the remaining {rem} years need {} a year (planned {})",
            with_unit_en(r, dec + 1, &u),
            with_unit_en(planned, dec + 1, &u)
        ));
    }
    Evaluation {
        status,
        expected: Some(expected),
        actual: Some(c),
        actual_year: Some(ya),
        progress_pct: Some(progress * 100.0),
        schedule_pct: Some(f * 100.0),
        projection: Some(Projection {
            year: yt,
            end_value: end,
            reaches_target: end.map(|e| {
                if ceiling {
                    e <= total
                } else {
                    e >= total - EPS
                }
            }),
            remaining_years: rem.max(0),
            required_annual_rate: if compound { req } else { None },
            required_annual_change: if compound { None } else { req },
        }),
        reason_zh: zh,
        reason_en: en,
    }
}

/// An amount every year: the average of the years with data against the amount.
pub(super) fn eval_per_year(cx: &mut Cx, amount: f64, cmp: Comparator) -> Evaluation {
    let s = cx.s;
    let (y0, yt) = (s.base_year, s.target_year);
    let flows: Vec<(i32, f64)> = cx
        .ser
        .level
        .range(y0 + 1..=cx.year)
        .map(|(y, v)| (*y, *v))
        .collect();
    let Some(&(ya, _)) = flows.last() else {
        return Evaluation::not_assessable(
            format!("{}—{}年无实际数据", y0 + 1, cx.year),
            format!("no actual data for {}–{}", y0 + 1, cx.year),
        );
    };
    cx.note_latest(ya);
    let n = flows.len() as i32;
    let sum: f64 = flows.iter().map(|p| p.1).sum();
    let avg = sum / n as f64;
    let big_n = (yt - y0).max(1);
    let rem = big_n - (ya - y0);
    let b = if matches!(cmp, Comparator::Le | Comparator::Lt) {
        -1.0
    } else {
        1.0
    };
    let band = cx.p.rate_tolerance * amount.abs();
    let strict = cmp != Comparator::Eq && cmp != Comparator::Approx;
    let diff = b * (avg - amount);
    let req = (rem > 0).then(|| (amount * big_n as f64 - sum) / rem as f64);
    let status = if diff > band {
        Status::Ahead
    } else if diff >= if strict { -EPS } else { -band } {
        Status::OnTrack
    } else if req.is_some_and(|r| {
        let shown = flows.iter().map(|p| b * p.1).fold(b * amount, f64::max);
        b * r > cx.p.severe_factor * shown
    }) {
        Status::SeverelyLagging
    } else {
        Status::Lagging
    };
    let u = cx.u();
    let dec = cx.dec;
    let tgt_zh = goal_zh(cmp, amount, None, &u, dec);
    let tgt_en = goal_en(cmp, amount, None, &u, dec);
    Evaluation {
        status,
        expected: Some(amount),
        actual: Some(avg),
        actual_year: Some(ya),
        progress_pct: (amount.abs() > EPS).then(|| sum / (amount * big_n as f64) * 100.0),
        schedule_pct: Some((ya - y0) as f64 / big_n as f64 * 100.0),
        projection: Some(Projection {
            year: yt,
            end_value: Some(avg),
            reaches_target: Some(b * (avg - amount) >= -EPS),
            remaining_years: rem.max(0),
            required_annual_rate: None,
            required_annual_change: req,
        }),
        reason_zh: format!(
            "{}年均{}{u}，目标每年{tgt_zh}{}",
            span_zh(y0 + 1, ya),
            num(avg, dec),
            req.filter(|_| !status.is_satisfactory())
                .map(|r| format!("；后{}年需年均{}{u}", cn(rem), num(r, dec)))
                .unwrap_or_default()
        ),
        reason_en: format!(
            "average {} a year {}, the target {tgt_en} a year{}",
            with_unit_en(avg, dec, &u),
            span_en(y0 + 1, ya),
            req.filter(|_| !status.is_satisfactory())
                .map(|r| format!(
                    "; the remaining {rem} years need {} a year",
                    with_unit_en(r, dec, &u)
                ))
                .unwrap_or_default()
        ),
    }
}
