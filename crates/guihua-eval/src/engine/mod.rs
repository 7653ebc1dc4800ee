//! The classification rules, one function per kind of goal.
//!
//! Every rule compares the latest observation ≤ the evaluation year with where the plan
//! should be by then (序时进度), and measures how much of the planned change is done
//! (完成进度). Missing years fall back to the latest available year (and say so); for the
//! same year the latest revision wins.

use std::collections::{BTreeMap, BTreeSet};

use guihua_model::Comparator;

mod cumulative;
mod growth;
mod level;
mod relative;

use cumulative::{eval_cumulative, eval_per_year};
use growth::eval_growth;
use level::eval_level;
use relative::eval_relative;

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
                Some(e) => e.2 = e.2 || e.1 != o.value,
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

    /// Yearly rates in (from, to]: stated rates, and for the years without one the average
    /// rate between the surrounding levels (so levels of 2020 and 2022 give 2021 and 2022 the
    /// same average rate).
    fn yearly_rates(&self, from: i32, to: i32) -> BTreeMap<i32, f64> {
        let mut out: BTreeMap<i32, f64> = self
            .rate
            .range(from + 1..=to)
            .map(|(y, v)| (*y, *v))
            .collect();
        let levels: Vec<(i32, f64)> = self.level.range(from..=to).map(|(y, v)| (*y, *v)).collect();
        for w in levels.windows(2) {
            let ((y1, v1), (y2, v2)) = (w[0], w[1]);
            if v1 <= 0.0 || v2 <= 0.0 {
                continue;
            }
            let r = ((v2 / v1).powf(1.0 / (y2 - y1) as f64) - 1.0) * 100.0;
            for y in y1 + 1..=y2 {
                out.entry(y).or_insert(r);
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

/// The fastest pace seen between consecutive observed points in the direction `d` of
/// progress (average annual change, or average annual rate in % when `geo`): what the subject
/// has shown it can do, used to judge whether a required pace is plausible. Moves the wrong way
/// count for nothing, so falling further behind never makes a verdict milder.
fn fastest_pace(points: &[(i32, f64)], geo: bool, d: f64) -> f64 {
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
                (v1 > 0.0 && v2 > 0.0).then(|| d * ((v2 / v1).powf(1.0 / n) - 1.0) * 100.0)
            } else {
                Some(d * (v2 - v1) / n)
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
