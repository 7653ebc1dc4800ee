//! Levels: a path from base to target, floors and ceilings that must hold.

use guihua_model::Comparator;

use super::*;

/// A level to reach along a linear or geometric path from the base (or, without a base, by
/// the observed trend), or a floor/ceiling to hold.
#[allow(clippy::too_many_arguments)]
pub(super) fn eval_level(
    cx: &mut Cx,
    base: Option<f64>,
    target: f64,
    hi: Option<f64>,
    cmp: Comparator,
    shape: PathShape,
    increment: Option<f64>,
) -> Evaluation {
    let s = cx.s;
    let (y0, yt) = (s.base_year, s.target_year);
    let mut base = base;
    let mut target = target;
    // A base-year observation is the (possibly revised) base; a target stated as an
    // increment moves with it.
    if let Some(v) = cx.ser.level.get(&y0).copied() {
        match base {
            None => cx.note(
                format!("基期值取{y0}年实际值{}", num(v, cx.dec)),
                format!("base taken from the {y0} actual {}", cx.val_en(v)),
            ),
            Some(b) if (b - v).abs() > EPS => cx.note(
                format!(
                    "基期值采用{y0}年实际值{}（规划表为{}）",
                    num(v, cx.dec),
                    num(b, cx.dec)
                ),
                format!(
                    "base revised to the {y0} actual {} (the plan states {})",
                    cx.val_en(v),
                    num(b, cx.dec)
                ),
            ),
            Some(_) => {}
        }
        base = Some(v);
        if let Some(inc) = increment {
            target = v + inc;
        }
    }
    let mut pts: Vec<(i32, f64)> = cx
        .ser
        .level
        .range(y0 + 1..=cx.year)
        .map(|(y, v)| (*y, *v))
        .collect();
    // Only yearly growth rates: rebuild the levels from the base (GDP in 亿元 reported as
    // growth rates), over the contiguous run of years from the first.
    if pts.is_empty() && s.unit_str() != "%" {
        if let Some(b) = base.filter(|b| *b > 0.0) {
            let mut level = b;
            let mut y = y0 + 1;
            while let Some(r) = cx.ser.rate.get(&y).filter(|_| y <= cx.year) {
                level *= 1.0 + r / 100.0;
                pts.push((y, level));
                y += 1;
            }
            if !pts.is_empty() {
                cx.note(
                    format!("{}年水平值由基期值按各年增速推算", span_zh(y0 + 1, y - 1)),
                    format!(
                        "levels {} rebuilt from the base and the yearly growth rates",
                        span_en(y0 + 1, y - 1)
                    ),
                );
            }
        }
    }
    let Some(&(ya, a)) = pts.last() else {
        return Evaluation::not_assessable(
            format!("{}—{}年无实际数据", y0 + 1, cx.year),
            format!("no actual data for {}–{}", y0 + 1, cx.year),
        );
    };
    cx.note_latest(ya);
    // Which way is progress: a bound says it; a path from base to target says it; else the
    // subject's direction. A target set below the base of a higher-is-better level (Ürümqi's
    // grain capacity 3.5 → 2.57, binding) is a floor, not a plan to fall: it is held.
    let natural = s.direction.sign();
    let against = matches!(cmp, Comparator::Eq | Comparator::Approx)
        && base.is_some_and(|b| (target - b).abs() > EPS && (target - b).signum() != natural);
    if against {
        let b = base.unwrap_or(target);
        cx.note(
            format!(
                "目标值{}{}基期值{}，按“{}目标值”评估",
                num(target, cx.dec),
                if natural > 0.0 { "低于" } else { "高于" },
                num(b, cx.dec),
                if natural > 0.0 {
                    "不低于"
                } else {
                    "不高于"
                }
            ),
            format!(
                "the target {} is {} the base {}; read as a {}",
                num(target, cx.dec),
                if natural > 0.0 { "below" } else { "above" },
                num(b, cx.dec),
                if natural > 0.0 { "floor" } else { "ceiling" }
            ),
        );
    }
    let d = if against {
        natural
    } else {
        match cmp {
            Comparator::Ge | Comparator::Gt => 1.0,
            Comparator::Le | Comparator::Lt => -1.0,
            _ => match base {
                Some(b) if (target - b).abs() > EPS && cmp != Comparator::Range => {
                    (target - b).signum()
                }
                _ => s.direction.sign(),
            },
        }
    };
    let goal = if cmp == Comparator::Range && d < 0.0 {
        hi.unwrap_or(target)
    } else {
        target
    };
    let band = if cmp == Comparator::Approx {
        cx.p.approx_band * goal.abs()
    } else {
        0.0
    };
    let meets = |v: f64| match cmp {
        Comparator::Gt => v > goal,
        Comparator::Lt => v < goal,
        _ => d * (v - goal) >= -band - EPS,
    };
    let hold = match base {
        Some(b) => meets(b) || (b - goal).abs() < EPS,
        None => {
            matches!(
                cmp,
                Comparator::Ge
                    | Comparator::Gt
                    | Comparator::Le
                    | Comparator::Lt
                    | Comparator::Approx
            ) && (meets(pts[0].1) || pts.len() == 1)
        }
    };
    let u = cx.u();
    let dec = cx.dec;
    // A level to keep ("12.68 → 12.68") reads as a floor or ceiling.
    let shown_cmp = match (cmp, base) {
        (Comparator::Eq, Some(b)) if (b - goal).abs() < EPS || against => {
            if d > 0.0 {
                Comparator::Ge
            } else {
                Comparator::Le
            }
        }
        _ => cmp,
    };
    let goal_txt_zh = goal_zh(shown_cmp, target, hi, &u, dec);
    let goal_txt_en = goal_en(shown_cmp, target, hi, &u, dec);
    let geo_ok = |b: f64| shape == PathShape::Geometric && b > 0.0 && goal > 0.0 && a > 0.0;
    let mut trend_pts = pts.clone();
    if let Some(b) = base {
        trend_pts.insert(0, (y0, b));
    }
    let trend = Trend::fit(&trend_pts, shape == PathShape::Geometric);
    let rem = yt - ya;
    let projection = |end: Option<f64>, rate: Option<f64>, change: Option<f64>| Projection {
        year: yt,
        end_value: end,
        reaches_target: end.map(meets),
        remaining_years: rem.max(0),
        required_annual_rate: rate,
        required_annual_change: change,
    };
    let req_change = (rem > 0).then(|| (goal - a) / rem as f64);
    let req_rate = (rem > 0 && a > 0.0 && goal > 0.0)
        .then(|| ((goal / a).powf(1.0 / rem as f64) - 1.0) * 100.0);
    // Shares cannot pass 100 %: cap the projection of a percentage whose target and data
    // are all at most 100.
    let share = u == "%" && goal <= 100.0 && trend_pts.iter().all(|p| p.1 <= 100.0);
    let cap = |v: f64| if share { v.min(100.0) } else { v };
    let end = trend.as_ref().map(|t| cap(t.at(yt)));

    if hold {
        return eval_hold(
            cx,
            &pts,
            goal,
            &goal_txt_zh,
            &goal_txt_en,
            &meets,
            projection(end, None, None),
        );
    }
    let up_zh = if d > 0.0 { "提高" } else { "降低" };
    let up_en = if d > 0.0 { "rise" } else { "fall" };
    let Some(b) = base else {
        // No base: reached or not; otherwise judge by the observed trend.
        if meets(a) {
            return Evaluation {
                status: Status::Achieved,
                expected: Some(goal),
                actual: Some(a),
                actual_year: Some(ya),
                progress_pct: None,
                schedule_pct: None,
                projection: Some(projection(end, None, None)),
                reason_zh: format!(
                    "{ya}年实际{}{u}，已达到{yt}年目标{goal_txt_zh}{}",
                    num(a, dec),
                    if ya < yt { "，提前实现" } else { "" }
                ),
                reason_en: format!(
                    "{ya} actual {}: the {yt} target {goal_txt_en} is reached",
                    cx.val_en(a)
                ),
            };
        }
        let Some(t) = Trend::fit(&pts, shape == PathShape::Geometric) else {
            return Evaluation {
                actual: Some(a),
                actual_year: Some(ya),
                expected: Some(goal),
                ..Evaluation::not_assessable(
                    format!("无基期值且仅有{ya}年一年数据（{}{u}），尚未达到目标{goal_txt_zh}，无法判断进度", num(a, dec)),
                    format!("no base and only one year of data ({ya}: {}); the target {goal_txt_en} is not reached and progress cannot be judged", cx.val_en(a)),
                )
            };
        };
        let end = cap(t.at(yt));
        let slope = d * t.annual_change(ya);
        let reaches = meets(end);
        let status = if reaches {
            Status::OnTrack
        } else if slope <= 0.0 || req_change.is_some_and(|r| (d * r) > cx.p.severe_factor * slope) {
            Status::SeverelyLagging
        } else {
            Status::Lagging
        };
        let (y1, _) = pts[0];
        return Evaluation {
            status,
            expected: None,
            actual: Some(a),
            actual_year: Some(ya),
            progress_pct: None,
            schedule_pct: None,
            projection: Some(projection(Some(end), req_rate, req_change)),
            reason_zh: format!(
                "{ya}年实际{}{u}，无基期值；按{}趋势{yt}年预计{}{u}，{}目标{goal_txt_zh}{}",
                num(a, dec),
                span_zh(y1, ya),
                num(end, dec),
                if reaches { "可达到" } else { "达不到" },
                req_change
                    .filter(|_| !reaches)
                    .map(|r| format!("；后{}年需年均{up_zh}{}{u}", cn(rem), num(r.abs(), dec + 1)))
                    .unwrap_or_default()
            ),
            reason_en: format!(
                "{ya} actual {}, no base; on the {} trend {yt} would be {}, which {} the target {goal_txt_en}{}",
                cx.val_en(a),
                span_en(y1, ya),
                cx.val_en(end),
                if reaches { "meets" } else { "misses" },
                req_change
                    .filter(|_| !reaches)
                    .map(|r| format!("; the remaining {rem} years need to {up_en} by {} a year", with_unit_en(r.abs(), dec + 1, &u)))
                    .unwrap_or_default()
            ),
        };
    };

    // Reach a level from a base along the expected path.
    let span = (yt - y0).max(1) as f64;
    let f = ((ya - y0) as f64 / span).clamp(0.0, 1.0);
    let geo = geo_ok(b);
    let expected = if geo {
        b * (goal / b).powf(f)
    } else {
        b + (goal - b) * f
    };
    let progress = if geo {
        (a / b).ln() / (goal / b).ln()
    } else {
        (a - b) / (goal - b)
    };
    let planned_change = (goal - b) / span;
    let planned_rate = geo.then(|| ((goal / b).powf(1.0 / span) - 1.0) * 100.0);
    // Severity: the pace still required against the faster of the planned pace and the
    // fastest pace observed so far.
    let shown = fastest_pace(&trend_pts, geo, d);
    let req_ratio = if geo {
        req_rate.zip(planned_rate).map(|(r, p)| {
            if d * r > 0.0 {
                r.abs() / p.abs().max(shown)
            } else {
                0.0
            }
        })
    } else {
        req_change.map(|r| {
            if d * r > 0.0 {
                r.abs() / planned_change.abs().max(shown)
            } else {
                0.0
            }
        })
    };
    let status = if meets(a) {
        Status::Achieved
    } else {
        let on = match cx.abs_tol() {
            Some(t) => {
                let diff = d * (a - expected);
                if diff > t {
                    Some(Status::Ahead)
                } else if diff >= -t {
                    Some(Status::OnTrack)
                } else {
                    None
                }
            }
            // Once the target year is reached only the target itself counts.
            None if f > 0.0 && rem > 0 => classify_ratio(progress / f, cx.p.tolerance),
            None => None,
        };
        on.unwrap_or(if rem <= 0 {
            if progress < 1.0 / cx.p.severe_factor {
                Status::SeverelyLagging
            } else {
                Status::Lagging
            }
        } else if req_ratio.is_some_and(|r| r > cx.p.severe_factor) {
            Status::SeverelyLagging
        } else {
            Status::Lagging
        })
    };
    // A slow-moving level (life expectancy, a share that moves by tenths) measured in only
    // one or two years since the base is not called ahead: its lead is within the noise of
    // the base figure and the first measurements (the national mid-term evaluation read
    // life expectancy 78.2 in 2021 against 77.3 → +1 by 2025 as 基本符合).
    let years_seen = pts.iter().filter(|p| p.0 > y0).count();
    let slow = b.abs() > EPS && ((goal - b) / b).abs() < cx.p.slow_change_rel;
    let status = if status == Status::Ahead
        && cx.abs_tol().is_none()
        && slow
        && years_seen < cx.p.slow_min_years
    {
        cx.notes_zh.push(format!(
            "变化缓慢的指标，仅有{}年数据，暂按符合预期",
            cn(years_seen as i32)
        ));
        cx.notes_en.push(format!(
            "a slow-moving level with only {years_seen} year{} of data: read as on track",
            if years_seen == 1 { "" } else { "s" }
        ));
        Status::OnTrack
    } else {
        status
    };
    let mut zh = format!(
        "{ya}年实际{}{u}，按序时进度应达{}{u}，完成进度{}%（序时进度{}%）",
        num(a, dec),
        num(expected, dec),
        pct(progress * 100.0),
        pct(f * 100.0)
    );
    let mut en = format!(
        "{ya} actual {}; on the {} path it should be {}; {}% of the planned change is done ({}% of the period elapsed)",
        cx.val_en(a),
        if geo { "geometric" } else { "linear" },
        cx.val_en(expected),
        pct(progress * 100.0),
        pct(f * 100.0)
    );
    if status == Status::Achieved {
        if ya < yt {
            zh.push_str(&format!("；已达到{yt}年目标{goal_txt_zh}，提前实现"));
            en.push_str(&format!(
                "; the {yt} target {goal_txt_en} is already reached"
            ));
        } else {
            zh.push_str(&format!("；已达到目标{goal_txt_zh}"));
            en.push_str(&format!("; the target {goal_txt_en} is reached"));
        }
    } else if rem > 0 {
        if geo {
            let r = req_rate.unwrap_or(f64::NAN);
            zh.push_str(&format!(
                "；后{}年需年均增长{}%（规划年均{}%）",
                cn(rem),
                num(r, 1),
                num(planned_rate.unwrap_or(f64::NAN), 1)
            ));
            en.push_str(&format!(
                "; the remaining {rem} years need {}% a year (planned {}%)",
                num(r, 1),
                num(planned_rate.unwrap_or(f64::NAN), 1)
            ));
        } else {
            let r = req_change.unwrap_or(f64::NAN);
            let unit_zh = if u == "%" {
                "个百分点".to_string()
            } else {
                u.clone()
            };
            let unit_en = if u == "%" {
                "percentage points".to_string()
            } else {
                u.clone()
            };
            zh.push_str(&format!(
                "；后{}年需年均{up_zh}{}{unit_zh}（规划年均{}{unit_zh}）",
                cn(rem),
                num((r * d).abs(), dec + 1),
                num(planned_change.abs(), dec + 1)
            ));
            en.push_str(&format!(
                "; the remaining {rem} years need to {up_en} by {} {unit_en} a year (planned {} {unit_en})",
                num((r * d).abs(), dec + 1),
                num(planned_change.abs(), dec + 1)
            ));
        }
        if let (Status::SeverelyLagging, Some(r)) = (status, req_ratio) {
            zh.push_str(&format!(
                "，为参照速度（规划速度与已实现最快速度之较大者）的{}倍，难以实现",
                num(r, 1)
            ));
            en.push_str(&format!(
                ", {}× the reference pace (the larger of the planned and the fastest achieved): implausible",
                num(r, 1)
            ));
        }
        if let Some(e) = end {
            zh.push_str(&format!("；按现有趋势{yt}年预计{}{u}", num(e, dec)));
            en.push_str(&format!(
                "; on the current trend {yt} would be {}",
                cx.val_en(e)
            ));
        }
    } else {
        zh.push_str(&format!("；规划期已结束，未达到目标{goal_txt_zh}"));
        en.push_str(&format!(
            "; the period is over and the target {goal_txt_en} is missed"
        ));
    }
    Evaluation {
        status,
        expected: Some(expected),
        actual: Some(a),
        actual_year: Some(ya),
        progress_pct: Some(progress * 100.0),
        schedule_pct: Some(f * 100.0),
        projection: Some(projection(
            end,
            geo.then_some(req_rate).flatten(),
            req_change,
        )),
        reason_zh: zh,
        reason_en: en,
    }
}

/// A floor or ceiling the base already satisfies: it must hold in each measured year.
fn eval_hold(
    cx: &mut Cx,
    pts: &[(i32, f64)],
    goal: f64,
    goal_txt_zh: &str,
    goal_txt_en: &str,
    meets: &dyn Fn(f64) -> bool,
    projection: Projection,
) -> Evaluation {
    let (ya, a) = *pts.last().expect("hold needs a point");
    let (y1, _) = pts[0];
    let u = cx.u();
    let dec = cx.dec;
    // A miss smaller than `bound_tolerance` of the bound counts as holding (基本符合).
    let slack = cx.p.bound_tolerance * goal.abs();
    let near_miss = |v: f64| !meets(v) && (v - goal).abs() <= slack + EPS;
    let fails: Vec<i32> = pts
        .iter()
        .filter(|p| !meets(p.1) && !near_miss(p.1))
        .map(|p| p.0)
        .collect();
    let near: Vec<i32> = pts.iter().filter(|p| near_miss(p.1)).map(|p| p.0).collect();
    let latest_ok = meets(a) || near_miss(a);
    let bad = match cx.p.hold_rule {
        HoldRule::EveryYear => !fails.is_empty(),
        HoldRule::LatestYear => !latest_ok,
    };
    let yt = cx.s.target_year;
    if !bad {
        let status = if ya >= yt {
            Status::Achieved
        } else {
            Status::OnTrack
        };
        let mut zh = format!(
            "{}实际值{}满足目标{goal_txt_zh}（{ya}年为{}{u}）",
            if y1 == ya {
                format!("{ya}年")
            } else {
                format!("{}各年", span_zh(y1, ya))
            },
            if near.is_empty() { "均" } else { "基本" },
            num(a, dec)
        );
        let mut en = format!(
            "the target {goal_txt_en} holds in {} ({ya}: {})",
            if y1 == ya {
                ya.to_string()
            } else {
                format!("every year {}", span_en(y1, ya))
            },
            cx.val_en(a)
        );
        if !fails.is_empty() {
            zh.push_str(&format!("，但{}年未满足", years_zh(&fails)));
            en.push_str(&format!(", though not in {}", years_en(&fails)));
        }
        if !near.is_empty() {
            zh.push_str(&format!("；{}年略有偏离，在容差以内", years_zh(&near)));
            en.push_str(&format!(
                "; {} missed it by less than the tolerance",
                years_en(&near)
            ));
        }
        return Evaluation {
            status,
            expected: Some(goal),
            actual: Some(a),
            actual_year: Some(ya),
            progress_pct: None,
            schedule_pct: None,
            projection: Some(projection),
            reason_zh: zh,
            reason_en: en,
        };
    }
    let gap = if latest_ok || goal.abs() < EPS {
        0.0
    } else {
        (a - goal).abs() / goal.abs()
    };
    let status = if gap > cx.p.severe_bound_rel {
        Status::SeverelyLagging
    } else {
        Status::Lagging
    };
    Evaluation {
        status,
        expected: Some(goal),
        actual: Some(a),
        actual_year: Some(ya),
        progress_pct: None,
        schedule_pct: None,
        projection: Some(projection),
        reason_zh: format!(
            "{}年未满足目标{goal_txt_zh}（{ya}年实际{}{u}）",
            years_zh(&fails),
            num(a, dec)
        ),
        reason_en: format!(
            "the target {goal_txt_en} is not met in {} ({ya} actual {})",
            years_en(&fails),
            cx.val_en(a)
        ),
    }
}
