//! The classification rules, one function per kind of goal.
//!
//! Every rule compares the latest observation ≤ the evaluation year with where the plan
//! should be by then (序时进度), and measures how much of the planned change is done
//! (完成进度). Missing years fall back to the latest available year (and say so); for the
//! same year the latest revision wins.

use std::collections::{BTreeMap, BTreeSet};

use guihua_model::Comparator;

use crate::subject::{goal_of, CumMode, Goal, Subject};
use crate::text::*;
use crate::types::*;

const EPS: f64 = 1e-9;

/// Observations resolved to one value per (measure, year), latest revision first.
#[derive(Debug, Default)]
pub(crate) struct Series {
    pub level: BTreeMap<i32, f64>,
    pub rate: BTreeMap<i32, f64>,
    pub cum: BTreeMap<i32, f64>,
    pub revised: BTreeSet<i32>,
}

impl Series {
    /// Keep observations up to `year`; for each (measure, year) the highest revision wins,
    /// a later entry winning a tie.
    pub(crate) fn resolve(obs: &[Observation], year: i32) -> Series {
        let mut best: BTreeMap<(Measure, i32), (u32, f64, bool)> = BTreeMap::new();
        for o in obs.iter().filter(|o| o.year <= year && o.value.is_finite()) {
            let key = (o.measure, o.year);
            match best.get_mut(&key) {
                Some(e) if o.revision >= e.0 => {
                    let revised = e.2 || o.revision > e.0 || e.1 != o.value;
                    *e = (o.revision, o.value, revised);
                }
                Some(_) => {}
                None => {
                    best.insert(key, (o.revision, o.value, false));
                }
            }
        }
        let mut s = Series::default();
        for ((m, y), (_, v, rev)) in best {
            if rev {
                s.revised.insert(y);
            }
            match m {
                Measure::Level => s.level.insert(y, v),
                Measure::AnnualRate => s.rate.insert(y, v),
                Measure::Cumulative => s.cum.insert(y, v),
            };
        }
        s
    }

    /// Yearly rates in (from, to]: stated rates, and rates derived from consecutive levels
    /// for the years without one.
    fn yearly_rates(&self, from: i32, to: i32) -> BTreeMap<i32, f64> {
        let mut out: BTreeMap<i32, f64> = self
            .rate
            .range(from + 1..=to)
            .map(|(y, v)| (*y, *v))
            .collect();
        for (y, v) in self.level.range(from + 1..=to) {
            if out.contains_key(y) {
                continue;
            }
            if let Some(prev) = self.level.get(&(y - 1)) {
                if *prev > 0.0 {
                    out.insert(*y, (v / prev - 1.0) * 100.0);
                }
            }
        }
        out
    }
}

/// Least-squares trend through points, linear or log-linear.
struct Trend {
    slope: f64,
    intercept: f64,
    log: bool,
}

impl Trend {
    fn fit(points: &[(i32, f64)], log: bool) -> Option<Trend> {
        let log = log && points.iter().all(|p| p.1 > 0.0);
        if points.len() < 2 {
            return None;
        }
        let n = points.len() as f64;
        let xs: Vec<f64> = points.iter().map(|p| p.0 as f64).collect();
        let ys: Vec<f64> = points
            .iter()
            .map(|p| if log { p.1.ln() } else { p.1 })
            .collect();
        let mx = xs.iter().sum::<f64>() / n;
        let my = ys.iter().sum::<f64>() / n;
        let sxx: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
        if sxx < EPS {
            return None;
        }
        let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
        let slope = sxy / sxx;
        Some(Trend {
            slope,
            intercept: my - slope * mx,
            log,
        })
    }
    fn at(&self, year: i32) -> f64 {
        let v = self.intercept + self.slope * year as f64;
        if self.log {
            v.exp()
        } else {
            v
        }
    }
    /// Annual change in value units (linear) near `year`.
    fn annual_change(&self, year: i32) -> f64 {
        self.at(year) - self.at(year - 1)
    }
}

/// The fastest pace seen between consecutive observed points (average annual change, or
/// average annual rate in % when `geo`), in absolute value: what the subject has shown it can
/// do, used to judge whether a required pace is plausible.
fn fastest_pace(points: &[(i32, f64)], geo: bool) -> f64 {
    points
        .windows(2)
        .filter_map(|w| {
            let (y1, v1) = w[0];
            let (y2, v2) = w[1];
            let n = (y2 - y1) as f64;
            if n <= 0.0 {
                return None;
            }
            if geo {
                (v1 > 0.0 && v2 > 0.0).then(|| ((v2 / v1).powf(1.0 / n) - 1.0).abs() * 100.0)
            } else {
                Some(((v2 - v1) / n).abs())
            }
        })
        .fold(0.0, f64::max)
}

struct Cx<'a> {
    s: &'a Subject,
    year: i32,
    p: &'a Params,
    ser: Series,
    dec: usize,
    notes_zh: Vec<String>,
    notes_en: Vec<String>,
}

impl Cx<'_> {
    fn note(&mut self, zh: impl Into<String>, en: impl Into<String>) {
        self.notes_zh.push(zh.into());
        self.notes_en.push(en.into());
    }
    fn note_latest(&mut self, ya: i32) {
        if ya < self.year {
            self.note(
                format!("缺{}年数据，采用最新的{ya}年数据", self.year),
                format!(
                    "no data for {}; the latest year available, {ya}, is used",
                    self.year
                ),
            );
        }
    }
    fn u(&self) -> String {
        self.s.unit_str().to_string()
    }
    fn val_en(&self, v: f64) -> String {
        with_unit_en(v, self.dec, self.s.unit_str())
    }
    fn abs_tol(&self) -> Option<f64> {
        Params::lookup(&self.p.abs_tolerance, &self.s.id, &self.s.name).copied()
    }
}

/// Evaluate one subject in `year` from its observations. `reference` is the actual series
/// a relative target is tied to (GDP growth for 与GDP增长基本同步).
pub fn evaluate(
    subject: &Subject,
    observations: &[Observation],
    year: i32,
    params: &Params,
    reference: Option<&[Observation]>,
) -> Evaluation {
    let mut owned = subject.clone();
    if let Some(d) = Params::lookup(&params.direction_overrides, &subject.id, &subject.name) {
        owned.direction = *d;
    }
    if let Some(t) = Params::lookup(&params.target_overrides, &subject.id, &subject.name) {
        owned.target = t.clone();
        owned.pace = guihua_model::Quantity::none("");
    }
    let s = &owned;
    let goal = goal_of(s, params);
    let ser = Series::resolve(observations, year);
    let mut dec = [&s.base, &s.target, &s.pace]
        .iter()
        .filter_map(|q| q.value)
        .chain(ser.level.values().copied())
        .map(decimals_of)
        .max()
        .unwrap_or(1)
        .clamp(1, 3);
    if dec > 2 && s.unit_str() == "%" {
        dec = 2;
    }
    let mut cx = Cx {
        s,
        year,
        p: params,
        ser,
        dec,
        notes_zh: vec![],
        notes_en: vec![],
    };
    if let Goal::NotAssessable { zh, en } = goal {
        return Evaluation::not_assessable(zh, en);
    }
    if year <= s.base_year {
        return Evaluation::not_assessable(
            format!("评估年份{year}年不晚于基期{}年", s.base_year),
            format!(
                "the evaluation year {year} is not after the base year {}",
                s.base_year
            ),
        );
    }
    let mut ev = match goal {
        Goal::NotAssessable { .. } => unreachable!("handled above"),
        Goal::Level {
            base,
            base_note,
            target,
            hi,
            cmp,
            shape,
            increment,
        } => {
            if let Some((zh, en)) = base_note {
                cx.note(zh, en);
            }
            eval_level(&mut cx, base, target, hi, cmp, shape, increment)
        }
        Goal::Growth {
            rate,
            hi,
            cmp,
            sense,
        } => eval_growth(&mut cx, rate, hi, cmp, sense),
        Goal::Cumulative {
            total,
            cmp,
            mode,
            sense,
        } => eval_cumulative(&mut cx, total, cmp, mode, sense),
        Goal::PerYear { amount, cmp } => eval_per_year(&mut cx, amount, cmp),
        Goal::Relative { reference: r, cmp } => eval_relative(&mut cx, &r, cmp, reference),
        Goal::Multiple { factor } => {
            let y0 = cx.s.base_year;
            match cx.ser.level.get(&y0).copied() {
                Some(b) => {
                    cx.note(
                        format!("目标为{y0}年实际值{}的{}倍", num(b, cx.dec), num(factor, 2)),
                        format!("the target is {}× the {y0} actual {}", num(factor, 2), cx.val_en(b)),
                    );
                    eval_level(
                        &mut cx,
                        Some(b),
                        b * factor,
                        None,
                        Comparator::Ge,
                        PathShape::Geometric,
                        None,
                    )
                }
                None => {
                    return Evaluation::not_assessable(
                        format!("目标为基期的{}倍（“{}”），缺少{y0}年基期实际值", num(factor, 2), s.target.text.trim()),
                        format!(
                            "the target is {}× the base (\"{}\"); no actual value for the base year {y0}",
                            num(factor, 2),
                            s.target.text.trim()
                        ),
                    )
                }
            }
        }
    };
    if (ev.status != Status::NotAssessable || ev.actual.is_some()) && !cx.ser.revised.is_empty() {
        {
            let ys: Vec<i32> = cx.ser.revised.iter().copied().collect();
            cx.note(
                format!("{}年数据采用最新修订值", years_zh(&ys)),
                format!("revised data used for {}", years_en(&ys)),
            );
        }
    }
    if !cx.notes_zh.is_empty() {
        ev.reason_zh = format!("{}（{}）", ev.reason_zh, cx.notes_zh.join("；"));
        ev.reason_en = format!("{} ({})", ev.reason_en, cx.notes_en.join("; "));
    }
    ev
}

fn classify_ratio(ratio: f64, tol: f64) -> Option<Status> {
    if ratio > 1.0 + tol {
        Some(Status::Ahead)
    } else if ratio >= 1.0 - tol - EPS {
        Some(Status::OnTrack)
    } else {
        None
    }
}

#[allow(clippy::too_many_arguments)]
fn eval_level(
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
    let shown = fastest_pace(&trend_pts, geo);
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

fn eval_growth(cx: &mut Cx, rate: f64, hi: Option<f64>, cmp: Comparator, sense: f64) -> Evaluation {
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

fn eval_cumulative(
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
                    .map(|(_, r)| r.abs())
                    .fold(0.0, f64::max),
                CumMode::Sum => cx
                    .ser
                    .level
                    .range(y0 + 1..=cx.year)
                    .map(|(_, v)| v.abs())
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

fn eval_per_year(cx: &mut Cx, amount: f64, cmp: Comparator) -> Evaluation {
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

fn avg_rate(rates: &[f64]) -> f64 {
    let f: f64 = rates.iter().map(|r| 1.0 + r / 100.0).product();
    (f.powf(1.0 / rates.len() as f64) - 1.0) * 100.0
}

fn eval_relative(
    cx: &mut Cx,
    reference: &str,
    cmp: Comparator,
    ref_obs: Option<&[Observation]>,
) -> Evaluation {
    let s = cx.s;
    let y0 = s.base_year;
    let text = s.pace.text.trim().to_string();
    let text = if text.is_empty() || s.pace.kind != guihua_model::QuantityKind::Relative {
        s.target.text.trim().to_string()
    } else {
        text
    };
    let Some(ref_obs) = ref_obs.filter(|o| !o.is_empty()) else {
        return Evaluation::not_assessable(
            format!("目标为“{text}”，缺少参照指标（{reference}）的实际数据"),
            format!("the target is \"{text}\"; no actual data of the reference ({reference})"),
        );
    };
    let own = cx.ser.yearly_rates(y0, cx.year);
    let refs = Series::resolve(ref_obs, cx.year).yearly_rates(y0, cx.year);
    let common: Vec<i32> = own
        .keys()
        .filter(|y| refs.contains_key(y))
        .copied()
        .collect();
    let (Some(&y1), Some(&ya)) = (common.first(), common.last()) else {
        return Evaluation::not_assessable(
            format!("目标为“{text}”，本指标与{reference}无同期实际增速"),
            format!("the target is \"{text}\"; no year with both this growth and {reference}"),
        );
    };
    cx.note_latest(ya);
    let gs = avg_rate(&common.iter().map(|y| own[y]).collect::<Vec<_>>());
    let gr = avg_rate(&common.iter().map(|y| refs[y]).collect::<Vec<_>>());
    let diff = gs - gr;
    let band = cx.p.sync_band_pp;
    let status = match cmp {
        Comparator::Gt | Comparator::Ge => {
            if diff > -EPS {
                Status::OnTrack
            } else if diff < -cx.p.severe_gap_pp {
                Status::SeverelyLagging
            } else {
                Status::Lagging
            }
        }
        Comparator::Lt | Comparator::Le => {
            if diff < EPS {
                Status::OnTrack
            } else if diff > cx.p.severe_gap_pp {
                Status::SeverelyLagging
            } else {
                Status::Lagging
            }
        }
        _ => {
            if diff.abs() <= band + EPS {
                Status::OnTrack
            } else if diff > band {
                Status::Ahead
            } else if diff < -cx.p.severe_gap_pp {
                Status::SeverelyLagging
            } else {
                Status::Lagging
            }
        }
    };
    let rel_zh = if diff.abs() < 0.05 {
        "持平".to_string()
    } else if diff > 0.0 {
        format!("高{}个百分点", num(diff, 1))
    } else {
        format!("低{}个百分点", num(-diff, 1))
    };
    Evaluation {
        status,
        expected: Some(gr),
        actual: Some(gs),
        actual_year: Some(ya),
        progress_pct: None,
        schedule_pct: None,
        projection: None,
        reason_zh: format!(
            "{}实际年均增长{}%，同期{reference}年均{}%，{rel_zh}；目标“{text}”",
            span_zh(y1, ya),
            num(gs, 1),
            num(gr, 1)
        ),
        reason_en: format!(
            "average growth {} was {}% against {}% for {reference} ({}{} points); the target is \"{text}\"",
            span_en(y1, ya),
            num(gs, 1),
            num(gr, 1),
            if diff >= 0.05 { "+" } else { "" },
            num(diff, 1)
        ),
    }
}
