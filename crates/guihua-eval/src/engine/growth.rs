//! Average annual growth rates ("年均增长7%").

use guihua_model::Comparator;

use super::*;

/// Realised level factor F and years n from yearly rates (or levels), in (y0, year].
/// Returns (F, n, first year, last year).
fn realised_factor(cx: &mut Cx, sense: f64) -> Option<(f64, i32, i32, i32)> {
    let y0 = cx.s.base_year;
    let rates: Vec<(i32, f64)> = cx
        .ser
        .rate
        .range(y0 + 1..=cx.year)
        .map(|(y, v)| (*y, *v))
        .collect();
    if let (Some(first), Some(last)) = (rates.first(), rates.last()) {
        let f: f64 = rates.iter().map(|(_, r)| 1.0 + sense * r / 100.0).product();
        if f <= 0.0 {
            return None;
        }
        let missing: Vec<i32> = (first.0..=last.0)
            .filter(|y| !cx.ser.rate.contains_key(y))
            .collect();
        if !missing.is_empty() {
            cx.note(
                format!(
                    "缺{}年数据，按有数据的{}年计算",
                    years_zh(&missing),
                    rates.len()
                ),
                format!(
                    "no data for {}; computed over the {} years with data",
                    years_en(&missing),
                    rates.len()
                ),
            );
        }
        cx.note_latest(last.0);
        return Some((f, rates.len() as i32, first.0, last.0));
    }
    let lv: Vec<(i32, f64)> = cx
        .ser
        .level
        .range(y0..=cx.year)
        .map(|(y, v)| (*y, *v))
        .collect();
    // Start from the base-year observation, else the base cell when it is a level (not a
    // rate in %), else the earliest observation.
    let base_cell = (cx.s.base.kind == guihua_model::QuantityKind::Level && cx.s.unit_str() != "%")
        .then_some(cx.s.base.value)
        .flatten()
        .filter(|v| *v > 0.0)
        .map(|v| (y0, v));
    let start = lv
        .iter()
        .find(|p| p.0 == y0)
        .copied()
        .or(base_cell)
        .or(lv.first().copied())?;
    let end = *lv.last()?;
    if end.0 <= start.0 || start.1 <= 0.0 || end.1 <= 0.0 {
        return None;
    }
    if start.0 != y0 {
        cx.note(
            format!("无{y0}年基期值，自{}年起算", start.0),
            format!("no {y0} base value; measured from {}", start.0),
        );
    }
    cx.note_latest(end.0);
    Some((end.1 / start.1, end.0 - start.0, start.0 + 1, end.0))
}

/// An average annual rate: the realised average since the base year against the target rate,
/// and the rate still required over the remaining years.
pub(super) fn eval_growth(
    cx: &mut Cx,
    rate: f64,
    hi: Option<f64>,
    cmp: Comparator,
    sense: f64,
) -> Evaluation {
    let s = cx.s;
    let (y0, yt) = (s.base_year, s.target_year);
    let Some((fac, n, y1, ya)) = realised_factor(cx, sense) else {
        return Evaluation::not_assessable(
            format!("{}—{}年无增速或水平数据", y0 + 1, cx.year),
            format!("no growth or level data for {}–{}", y0 + 1, cx.year),
        );
    };
    let nf = n as f64;
    let g = sense * (fac.powf(1.0 / nf) - 1.0) * 100.0;
    let big_n = (yt - y0).max(1);
    let planned_fac = (1.0 + sense * rate / 100.0).powi(big_n);
    let rem = big_n - n;
    let req = (rem > 0 && fac > 0.0 && planned_fac > 0.0)
        .then(|| sense * ((planned_fac / fac).powf(1.0 / rem as f64) - 1.0) * 100.0);
    let b = match cmp {
        Comparator::Ge | Comparator::Gt => 1.0,
        Comparator::Le | Comparator::Lt => -1.0,
        _ if sense < 0.0 => 1.0,
        _ => s.direction.sign(),
    };
    let shown = cx
        .ser
        .rate
        .range(y0 + 1..=cx.year)
        .map(|(_, r)| b * r)
        .fold(0.0, f64::max);
    let band = (cx.p.rate_tolerance * rate.abs()).max(cx.p.min_rate_band_pp);
    let strict = matches!(
        cmp,
        Comparator::Ge | Comparator::Gt | Comparator::Le | Comparator::Lt
    );
    let on = if cmp == Comparator::Range {
        let h = hi.unwrap_or(rate);
        let (lo, up) = (rate.min(h), rate.max(h));
        if g >= lo - band && g <= up + band {
            Some(Status::OnTrack)
        } else if b * (g - if b > 0.0 { up } else { lo }) > band {
            Some(Status::Ahead)
        } else {
            None
        }
    } else {
        let diff = b * (g - rate);
        if diff > band {
            Some(Status::Ahead)
        } else if diff >= if strict { -EPS } else { -band } {
            Some(Status::OnTrack)
        } else {
            None
        }
    };
    let status = on.unwrap_or_else(|| {
        let severe = match req {
            Some(r) if b * rate > 0.0 => b * r > cx.p.severe_factor * (b * rate).max(shown),
            Some(r) => b * (r - rate) > cx.p.severe_gap_pp,
            None => false,
        };
        if severe {
            Status::SeverelyLagging
        } else {
            Status::Lagging
        }
    });
    let verb_zh = if sense < 0.0 {
        "降低"
    } else if g < 0.0 {
        "下降"
    } else {
        "增长"
    };
    let verb_en = if sense < 0.0 { "reduction" } else { "growth" };
    let gshow = if sense > 0.0 && g < 0.0 { -g } else { g };
    let progress =
        ((planned_fac - 1.0).abs() > EPS).then(|| (fac - 1.0) / (planned_fac - 1.0) * 100.0);
    let tgt_zh = goal_zh(cmp, rate, hi, "%", 2);
    let tgt_en = goal_en(cmp, rate, hi, "%", 2);
    let mut zh = format!(
        "{}实际年均{verb_zh}{}%，目标年均{}{tgt_zh}",
        span_zh(y1, ya),
        num(gshow, 1),
        if sense < 0.0 { "降低" } else { "增长" }
    );
    let mut en = format!(
        "average annual {verb_en} {}–{ya} was {}%, the target {tgt_en} a year",
        y1,
        num(g, 1)
    );
    if y1 == ya {
        en = format!(
            "{verb_en} in {ya} was {}%, the target {tgt_en} a year",
            num(g, 1)
        );
    }
    if let Some(p) = progress {
        let cum = sense * (fac - 1.0) * 100.0;
        let sched = nf / big_n as f64 * 100.0;
        zh.push_str(&format!(
            "；累计{}{}%，完成进度{}%（序时进度{}%）",
            if sense < 0.0 {
                "降低"
            } else if cum < 0.0 {
                "下降"
            } else {
                "增长"
            },
            num(if sense > 0.0 { cum.abs() } else { cum }, 1),
            pct(p),
            pct(sched)
        ));
        en.push_str(&format!(
            "; cumulative {verb_en} {}%, {}% of the planned cumulative {verb_en} ({}% of the period elapsed)",
            num(cum, 1),
            pct(p),
            pct(sched)
        ));
    }
    if let Some(r) = req.filter(|_| status != Status::Ahead) {
        zh.push_str(&format!(
            "；后{}年需年均{}{}%",
            cn(rem),
            if sense < 0.0 {
                "降低"
            } else if r < 0.0 {
                "下降"
            } else {
                "增长"
            },
            num(if sense > 0.0 && r < 0.0 { -r } else { r }, 1)
        ));
        en.push_str(&format!(
            "; the remaining {rem} years need {}% a year",
            num(r, 1)
        ));
    }
    Evaluation {
        status,
        expected: Some(rate),
        actual: Some(g),
        actual_year: Some(ya),
        progress_pct: progress,
        schedule_pct: Some(nf / big_n as f64 * 100.0),
        projection: Some(Projection {
            year: yt,
            end_value: Some(g),
            reaches_target: Some(on.is_some()),
            remaining_years: rem.max(0),
            required_annual_rate: req,
            required_annual_change: None,
        }),
        reason_zh: zh,
        reason_en: en,
    }
}
