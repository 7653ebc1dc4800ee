//! The evaluation method's parameters as a reviewer sets and reads them: a TOML file
//! (`--params FILE`), single values from the command line (`--tolerance`), and the list
//! printed in a report's appendix, so every published verdict can be reproduced.
//!
//! ```toml
//! tolerance = 0.2          # relative band around the expected progress (ρ within 1 ± 0.2)
//! rate_tolerance = 0.05    # band around a target growth rate, relative
//! min_rate_band_pp = 0.1   # smallest band around a target rate, in points
//! severe_factor = 2.0      # severely lagging when the pace still needed exceeds 2× plan
//! sync_band_pp = 0.5       # "基本同步": realised growth within 0.5 points of the reference
//! severe_gap_pp = 2.0      # a relative target severely lagging beyond 2 points
//! severe_bound_rel = 0.2   # a floor/ceiling severely missed beyond 20 % of the bound
//! approx_band = 0.02       # "左右": within 2 %
//! bound_tolerance = 0.02   # a floor/ceiling missed by less than 2 % still holds
//! slow_change_rel = 0.02   # a level planned to move < 2 % of its base is slow-moving:
//! slow_min_years = 3       #   not called ahead before 3 years are measured
//! hold = "every_year"      # or "latest_year": must a bound hold every year?
//! path = "linear"          # or "geometric"; unset: geometric for money and growth-paced
//!
//! [paths]                  # per indicator (id or name)
//! "地区生产总值" = "geometric"
//!
//! [abs_tolerance]          # per indicator absolute band around the expected value
//! "人均预期寿命" = 0.5
//! ```
//!
//! Unknown keys and values out of range are errors with the key named: a misspelt
//! `tolerence` must not silently leave the default in force.

use std::collections::BTreeMap;

use guihua_eval::{HoldRule, Params, PathShape};
use serde::Deserialize;

use crate::{Error, Result};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    tolerance: Option<f64>,
    rate_tolerance: Option<f64>,
    min_rate_band_pp: Option<f64>,
    severe_factor: Option<f64>,
    sync_band_pp: Option<f64>,
    severe_gap_pp: Option<f64>,
    severe_bound_rel: Option<f64>,
    approx_band: Option<f64>,
    bound_tolerance: Option<f64>,
    slow_change_rel: Option<f64>,
    slow_min_years: Option<usize>,
    hold: Option<String>,
    path: Option<String>,
    #[serde(default)]
    paths: BTreeMap<String, String>,
    #[serde(default)]
    abs_tolerance: BTreeMap<String, f64>,
}

fn shape(key: &str, v: &str) -> Result<PathShape> {
    match v.trim() {
        "linear" => Ok(PathShape::Linear),
        "geometric" => Ok(PathShape::Geometric),
        other => Err(Error::Invalid(format!(
            "{key} = \"{other}\": expected \"linear\" or \"geometric\""
        ))),
    }
}

fn check(key: &str, v: f64, lo: f64, hi: f64) -> Result<f64> {
    if v.is_finite() && (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(Error::Invalid(format!(
            "{key} = {v}: expected a number from {lo} to {hi}"
        )))
    }
}

/// Apply a parameters file (TOML text; `name` for messages) over `params`.
pub fn apply_file(params: &mut Params, name: &str, text: &str) -> Result<()> {
    let f: File = toml::from_str(text)
        .map_err(|e| Error::Invalid(format!("{name}: {}", e.to_string().trim_end())))?;
    let fields: [(&str, Option<f64>, &mut f64, f64, f64); 9] = [
        ("tolerance", f.tolerance, &mut params.tolerance, 0.0, 1.0),
        (
            "rate_tolerance",
            f.rate_tolerance,
            &mut params.rate_tolerance,
            0.0,
            1.0,
        ),
        (
            "min_rate_band_pp",
            f.min_rate_band_pp,
            &mut params.min_rate_band_pp,
            0.0,
            10.0,
        ),
        (
            "severe_factor",
            f.severe_factor,
            &mut params.severe_factor,
            1.0,
            100.0,
        ),
        (
            "sync_band_pp",
            f.sync_band_pp,
            &mut params.sync_band_pp,
            0.0,
            10.0,
        ),
        (
            "severe_gap_pp",
            f.severe_gap_pp,
            &mut params.severe_gap_pp,
            0.0,
            100.0,
        ),
        (
            "severe_bound_rel",
            f.severe_bound_rel,
            &mut params.severe_bound_rel,
            0.0,
            1.0,
        ),
        (
            "approx_band",
            f.approx_band,
            &mut params.approx_band,
            0.0,
            1.0,
        ),
        (
            "bound_tolerance",
            f.bound_tolerance,
            &mut params.bound_tolerance,
            0.0,
            1.0,
        ),
    ];
    for (key, v, slot, lo, hi) in fields {
        if let Some(v) = v {
            *slot = check(&format!("{name}: {key}"), v, lo, hi)?;
        }
    }
    if let Some(v) = f.slow_change_rel {
        params.slow_change_rel = check(&format!("{name}: slow_change_rel"), v, 0.0, 1.0)?;
    }
    if let Some(n) = f.slow_min_years {
        check(&format!("{name}: slow_min_years"), n as f64, 0.0, 50.0)?;
        params.slow_min_years = n;
    }
    if let Some(h) = f.hold {
        params.hold_rule = match h.trim() {
            "every_year" => HoldRule::EveryYear,
            "latest_year" => HoldRule::LatestYear,
            other => {
                return Err(Error::Invalid(format!(
                    "{name}: hold = \"{other}\": expected \"every_year\" or \"latest_year\""
                )))
            }
        };
    }
    if let Some(p) = f.path {
        params.path = Some(shape(&format!("{name}: path"), &p)?);
    }
    for (k, v) in f.paths {
        let s = shape(&format!("{name}: paths.{k}"), &v)?;
        params.path_overrides.insert(k, s);
    }
    for (k, v) in f.abs_tolerance {
        let v = check(&format!("{name}: abs_tolerance.{k}"), v, 0.0, 1e15)?;
        params.abs_tolerance.insert(k, v);
    }
    Ok(())
}

/// How a person asked for the method to be set: a parameters file, a tolerance, annual
/// targets for rows left to annual plans. Empty: the documented defaults.
#[derive(Debug, Clone, Copy, Default)]
pub struct Method<'a> {
    /// (file name for messages, TOML text).
    pub file: Option<(&'a str, &'a str)>,
    pub tolerance: Option<f64>,
    /// `INDICATOR=CELL` targets (see [`crate::evaluation::target_overrides`]).
    pub targets: &'a [String],
}

impl Method<'_> {
    /// The parameters for one stored plan: directions from its stored catalogue links,
    /// then the file, then the tolerance, then the targets — later ones win.
    pub fn params(
        &self,
        subjects: &crate::subjects::Subjects,
        plan: &guihua_model::Plan,
    ) -> Result<Params> {
        let mut p = crate::evaluation::params_for(subjects, plan);
        if let Some((name, text)) = self.file {
            apply_file(&mut p, name, text)?;
            // A per-indicator key must name a subject of this plan: a misspelt name would
            // otherwise leave the default in force without a word.
            let known = |k: &str| {
                plan.indicators.iter().any(|i| i.id == k || i.name == k)
                    || plan.targets.iter().any(|t| t.id == k || t.subject == k)
            };
            for (table, key) in p
                .path_overrides
                .keys()
                .map(|k| ("paths", k))
                .chain(p.abs_tolerance.keys().map(|k| ("abs_tolerance", k)))
            {
                if !known(key) {
                    return Err(Error::Invalid(format!(
                        "{name}: {table}.{key}: no indicator or target {key} in this plan"
                    )));
                }
            }
        }
        if let Some(t) = self.tolerance {
            set_tolerance(&mut p, t)?;
        }
        crate::evaluation::target_overrides(plan, self.targets, &mut p)?;
        Ok(p)
    }
}

/// Set the progress tolerance from the command line.
pub fn set_tolerance(params: &mut Params, v: f64) -> Result<()> {
    params.tolerance = check("--tolerance", v, 0.0, 1.0)?;
    Ok(())
}

/// The parameters in force, as (name, value) lines for a report's appendix and the JSON
/// of an evaluation: the method's own names, values as written in a parameters file.
pub fn describe(p: &Params) -> Vec<(String, String)> {
    let n = |v: f64| guihua_store::fmt_num(v);
    let shape = |s: PathShape| match s {
        PathShape::Linear => "linear",
        PathShape::Geometric => "geometric",
    };
    let mut out = vec![
        ("tolerance".to_string(), n(p.tolerance)),
        ("rate_tolerance".to_string(), n(p.rate_tolerance)),
        ("min_rate_band_pp".to_string(), n(p.min_rate_band_pp)),
        ("severe_factor".to_string(), n(p.severe_factor)),
        ("sync_band_pp".to_string(), n(p.sync_band_pp)),
        ("severe_gap_pp".to_string(), n(p.severe_gap_pp)),
        ("severe_bound_rel".to_string(), n(p.severe_bound_rel)),
        ("approx_band".to_string(), n(p.approx_band)),
        ("bound_tolerance".to_string(), n(p.bound_tolerance)),
        ("slow_change_rel".to_string(), n(p.slow_change_rel)),
        ("slow_min_years".to_string(), p.slow_min_years.to_string()),
        (
            "hold".to_string(),
            match p.hold_rule {
                HoldRule::EveryYear => "every_year",
                HoldRule::LatestYear => "latest_year",
            }
            .to_string(),
        ),
        (
            "path".to_string(),
            p.path.map(shape).unwrap_or("auto").to_string(),
        ),
    ];
    out.extend(
        p.path_overrides
            .iter()
            .map(|(k, v)| (format!("paths.{k}"), shape(*v).to_string())),
    );
    out.extend(
        p.abs_tolerance
            .iter()
            .map(|(k, v)| (format!("abs_tolerance.{k}"), n(*v))),
    );
    out.extend(
        p.target_overrides
            .iter()
            .map(|(k, q)| (format!("target.{k}"), q.text.clone())),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_sets_what_it_names_and_refuses_what_it_should_not() {
        let mut p = Params::default();
        apply_file(
            &mut p,
            "m.toml",
            "tolerance = 0.15\nhold = \"latest_year\"\n[paths]\n\"地区生产总值\" = \"geometric\"\n[abs_tolerance]\ni14 = 0.5\n",
        )
        .unwrap();
        assert_eq!(p.tolerance, 0.15);
        assert_eq!(p.hold_rule, HoldRule::LatestYear);
        assert_eq!(p.path_overrides["地区生产总值"], PathShape::Geometric);
        assert_eq!(p.abs_tolerance["i14"], 0.5);
        let d = describe(&p);
        assert!(d.contains(&("tolerance".into(), "0.15".into())));
        assert!(d.contains(&("abs_tolerance.i14".into(), "0.5".into())));
        for (bad, says) in [
            ("tolerence = 0.1", "unknown field `tolerence`"),
            (
                "tolerance = 3",
                "tolerance = 3: expected a number from 0 to 1",
            ),
            ("tolerance = \"a\"", "invalid type"),
            (
                "hold = \"sometimes\"",
                "expected \"every_year\" or \"latest_year\"",
            ),
            ("[paths]\ni1 = \"curvy\"", "paths.i1"),
            ("[abs_tolerance]\ni1 = -1", "abs_tolerance.i1 = -1"),
        ] {
            let mut p = Params::default();
            let e = apply_file(&mut p, "m.toml", bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
            assert!(e.starts_with("m.toml"), "{e}");
        }
        assert!(set_tolerance(&mut p, f64::NAN).is_err());
    }
}
