//! Shared by the tests and the `render_seeds` example: the five reference plans with
//! generated, deterministic observations (hypothetical numbers, not statistics).
#![allow(dead_code)]

use guihua_eval::{evaluate_plan, Observation, ObservationSet, Params};
use guihua_model::{Comparator, Plan, QuantityKind};
use guihua_report::*;

pub const SEEDS: [&str; 5] = [
    "000_9305270971be40ea.txt",
    "001_0c6556c11fc3ed0a.txt",
    "002_1291a593b1502d9c.txt",
    "003_f3c3abe848757c8b.txt",
    "004_03f3a94a7d863666.txt",
];

pub fn seed_dir() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds").to_string()
}

/// Parse a seed; panics (the test fails) when the seeds are missing.
pub fn seed(name: &str) -> Plan {
    let path = format!("{}/{name}", seed_dir());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reference plan {path} is required: {e}"));
    guihua_parse::parse_text(&text)
}

/// How fast subject number `i` moves relative to its plan (varied so that every status
/// shows up), and a small deterministic wobble.
fn speed(i: usize) -> f64 {
    [1.3, 1.0, 0.97, 0.6, 0.15, 1.08][i % 6]
}

fn noise(i: usize, y: i32) -> f64 {
    ((i as f64) * 1.7 + y as f64 * 0.9).sin() * 0.02
}

const GDP: [(i32, f64); 5] = [
    (2021, 6.5),
    (2022, 3.2),
    (2023, 5.8),
    (2024, 5.2),
    (2025, 5.0),
];

fn gdp(y: i32) -> f64 {
    GDP.iter().find(|g| g.0 == y).map(|g| g.1).unwrap_or(5.0)
}

/// Plausible observations for every indicator and numeric target of `plan`, 2021..=year.
/// Every 7th subject is left without data.
pub fn observations(plan: &Plan, year: i32) -> ObservationSet {
    let mut obs = ObservationSet::new();
    let years: Vec<i32> = (2021..=year).collect();
    let f = |y: i32| (y - 2020) as f64 / 5.0;
    obs.insert_named(
        "GDP增长",
        years.iter().map(|y| Observation::rate(*y, gdp(*y))),
    );
    let subjects = plan
        .indicators
        .iter()
        .map(|i| {
            (
                i.id.clone(),
                i.name.clone(),
                i.base.value,
                i.target.clone(),
                i.pace.clone(),
            )
        })
        .chain(plan.targets.iter().map(|t| {
            (
                t.id.clone(),
                t.subject.clone(),
                None,
                t.quantity.clone(),
                guihua_model::Quantity::none(""),
            )
        }));
    for (i, (id, name, base, target, pace)) in subjects.enumerate() {
        if i % 7 == 6 {
            continue;
        }
        let k = speed(i);
        let series: Vec<Observation> = if guihua_eval::is_gdp_name(&name)
            && name.contains("增长")
            && target.value.is_none()
        {
            years
                .iter()
                .map(|y| Observation::rate(*y, gdp(*y)))
                .collect()
        } else if let Some(r) = [&pace, &target]
            .iter()
            .find(|q| q.kind == QuantityKind::Growth)
            .and_then(|q| q.value)
        {
            years
                .iter()
                .map(|y| Observation::rate(*y, r * k + noise(i, *y) * 20.0))
                .collect()
        } else if [&pace, &target]
            .iter()
            .any(|q| q.kind == QuantityKind::Relative)
        {
            years
                .iter()
                .map(|y| Observation::rate(*y, gdp(*y) + (k - 1.0) * 3.0 + noise(i, *y) * 10.0))
                .collect()
        } else if target.kind == QuantityKind::Level && target.value.is_some() {
            let g = target.value.unwrap_or(0.0);
            if target.per_year {
                years
                    .iter()
                    .map(|y| Observation::level(*y, g * k * (1.0 + noise(i, *y))))
                    .collect()
            } else {
                match base {
                    Some(b)
                        if matches!(
                            target.comparator,
                            Some(Comparator::Gt | Comparator::Ge | Comparator::Lt | Comparator::Le)
                        ) =>
                    {
                        // A floor or ceiling: hold near the base, or slip for slow subjects.
                        let slip = if k < 0.7 {
                            -(g - b).signum().max(0.0) * 0.0
                                - 0.06
                                    * g.abs()
                                    * (if matches!(
                                        target.comparator,
                                        Some(Comparator::Lt | Comparator::Le)
                                    ) {
                                        -1.0
                                    } else {
                                        1.0
                                    })
                        } else {
                            0.0
                        };
                        years
                            .iter()
                            .map(|y| {
                                Observation::level(
                                    *y,
                                    b + slip * f(*y) * 2.0 + noise(i, *y) * b * 0.1,
                                )
                            })
                            .collect()
                    }
                    Some(b) => years
                        .iter()
                        .map(|y| {
                            Observation::level(
                                *y,
                                b + (g - b) * f(*y) * k + noise(i, *y) * (g - b).abs(),
                            )
                        })
                        .collect(),
                    None => years
                        .iter()
                        .map(|y| {
                            Observation::level(
                                *y,
                                g * (0.88 + 0.035 * (y - 2020) as f64 * k + noise(i, *y)),
                            )
                        })
                        .collect(),
                }
            }
        } else if let Some(r) = [&target, &pace]
            .iter()
            .find(|q| q.kind == QuantityKind::Cumulative)
            .and_then(|q| q.value)
        {
            years
                .iter()
                .map(|y| Observation::cumulative(*y, r * f(*y) * k * (1.0 + noise(i, *y))))
                .collect()
        } else {
            continue;
        };
        obs.insert(id, series);
    }
    obs
}

const DEPTS: [&str; 8] = [
    "发展改革委",
    "统计局",
    "财政局",
    "生态环境局",
    "教育局",
    "卫生健康委",
    "人力资源社会保障局",
    "自然资源局",
];

/// The full input of a report on seed `name`.
pub fn input(name: &str, kind: Kind, year: i32, lang: Lang) -> ReportInput {
    let plan = seed(name);
    let obs = observations(&plan, year);
    let evals = evaluate_plan(&plan, year, &obs, &Params::default());
    let subjects = subjects_from_plan(&plan, evals, &obs);
    let projects = plan
        .projects
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, p)| {
            let total = p
                .investment
                .as_ref()
                .map(|m| {
                    if m.unit.contains('万') {
                        m.value / 10000.0
                    } else {
                        m.value
                    }
                })
                .unwrap_or(10.0);
            let status = ProjectStatus::ALL[[2, 2, 3, 1, 2, 0, 4, 2, 3, 1][i]];
            ProjectRow {
                name: p.name.clone(),
                status,
                unit: "亿元".into(),
                years: (2021..=2025)
                    .map(|y| ProjectYear {
                        year: y,
                        planned: Some(total / 5.0),
                        completed: (y <= year).then(|| total / 5.0 * speed(i + 1)),
                    })
                    .collect(),
            }
        })
        .collect();
    let responsibilities = subjects
        .iter()
        .take(12)
        .enumerate()
        .map(|(i, s)| Responsibility {
            subject_id: s.subject.id.clone(),
            name: s.name.clone(),
            lead: DEPTS[i % DEPTS.len()].into(),
            co: vec![DEPTS[(i + 3) % DEPTS.len()].into()],
        })
        .collect();
    ReportInput {
        plan: plan_meta(&plan),
        kind,
        year,
        lang,
        subjects,
        projects,
        responsibilities,
        generated_on: "2024-03-01".into(),
        parameters: Vec::new(),
        narrative: Default::default(),
        style: Default::default(),
    }
}
