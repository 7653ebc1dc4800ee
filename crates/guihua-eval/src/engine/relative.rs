//! Targets tied to another series's actual growth (与GDP增长基本同步, 高于GDP增长).

use guihua_model::Comparator;

use super::*;

/// Geometric mean of yearly rates in %.
fn avg_rate(rates: &[f64]) -> f64 {
    let f: f64 = rates.iter().map(|r| 1.0 + r / 100.0).product();
    (f.powf(1.0 / rates.len() as f64) - 1.0) * 100.0
}

/// Average growth against the reference's over the years both have.
pub(super) fn eval_relative(
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
