//! `guihua evaluate` and `guihua compare`: stored plan + stored observations (assembled by
//! `guihua_app::evaluation`) → the pure evaluation engine (`guihua-eval`) → a table for a
//! person or JSON.

use std::collections::BTreeMap;

use guihua_app::evaluation::{load_plan, observation_set, params_for, target_overrides};
use guihua_app::subjects::Subjects;
use guihua_eval::{evaluate_plan, Evaluation, Params, SubjectKind as EvalKind};
use serde_json::{json, Value};

use crate::library::Ctx;

fn num(v: Option<f64>) -> Value {
    v.map(guihua_contract::number).unwrap_or(Value::Null)
}

fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

pub fn evaluation_json(id: &str, kind: EvalKind, name: &str, e: &Evaluation) -> Value {
    json!({
        "id": id,
        "kind": match kind { EvalKind::Indicator => "indicator", EvalKind::Target => "target" },
        "name": name,
        "status": e.status.code(),
        "status_zh": e.status.zh(),
        "expected": num(e.expected.map(round)),
        "actual": num(e.actual.map(|a| (a * 10_000.0).round() / 10_000.0)),
        "actual_year": e.actual_year,
        "progress_pct": num(e.progress_pct.map(round)),
        "schedule_pct": num(e.schedule_pct.map(round)),
        "projection": e.projection.as_ref().map(|p| json!({
            "year": p.year,
            "end_value": num(p.end_value.map(round)),
            "reaches_target": p.reaches_target,
            "remaining_years": p.remaining_years,
            "required_annual_rate": num(p.required_annual_rate.map(round)),
            "required_annual_change": num(p.required_annual_change.map(round)),
        })),
        "reason": e.reason_zh,
        "reason_en": e.reason_en,
    })
}

pub fn run(
    ctx: &Ctx,
    key: &str,
    year: i32,
    as_json: bool,
    all: bool,
    targets: &[String],
) -> anyhow::Result<()> {
    let (row, plan) = load_plan(ctx.store.as_ref(), key)?;
    let set = observation_set(ctx.store.as_ref(), row.id, &plan)?;
    let subjects = Subjects::load(ctx.store.as_ref(), row.clone())?;
    let mut params = params_for(&subjects, &plan);
    target_overrides(&plan, targets, &mut params)?;
    let results = evaluate_plan(&plan, year, &set, &params);
    if as_json {
        let items: Vec<Value> = results
            .iter()
            .map(|(s, e)| evaluation_json(&s.id, s.kind, &s.name, e))
            .collect();
        println!(
            "{}",
            json!({
                "schema": "guihua.evaluation/1",
                "plan": {"id": row.id, "region": row.region, "title": row.title},
                "year": year,
                "params": {"tolerance": Params::default().tolerance},
                "results": items,
            })
        );
        return Ok(());
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, e) in &results {
        *counts.entry(e.status.zh()).or_default() += 1;
    }
    println!(
        "{} {year}年实施评估 Evaluation",
        plan.title.as_deref().unwrap_or(row.label())
    );
    let summary: Vec<String> = counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
    println!("  {}\n", summary.join(" · "));
    let mut rows = vec![vec![
        "编号".to_string(),
        "指标/目标".to_string(),
        "实际".to_string(),
        "序时应达".to_string(),
        "完成进度".to_string(),
        "状态".to_string(),
        "说明".to_string(),
    ]];
    for (s, e) in &results {
        if !all && e.status.code() == "not_assessable" {
            continue;
        }
        rows.push(vec![
            s.id.clone(),
            s.name.clone(),
            match (e.actual, e.actual_year) {
                (Some(a), Some(y)) => format!("{}（{y}）", guihua_store::fmt_num(round(a))),
                (Some(a), None) => guihua_store::fmt_num(round(a)),
                _ => "—".into(),
            },
            e.expected
                .map(|v| guihua_store::fmt_num(round(v)))
                .unwrap_or_else(|| "—".into()),
            e.progress_pct
                .map(|v| format!("{:.0}%", v))
                .unwrap_or_else(|| "—".into()),
            e.status.zh().to_string(),
            e.reason_zh.clone(),
        ]);
    }
    for line in crate::table::render(&rows, 60).lines() {
        println!("  {line}");
    }
    if !all {
        println!("\n  (--all 列出无法评估的项目 lists the not assessable ones too)");
    }
    Ok(())
}

/// One indicator across plans.
pub fn compare(
    ctx: &Ctx,
    indicator: &str,
    plans: &[String],
    year: Option<i32>,
    as_json: bool,
    write: Option<(&str, &std::path::Path)>,
) -> anyhow::Result<()> {
    if let Some((_, p)) = write {
        ctx.writable(p, &[])?;
    }
    let wanted = guihua_catalog::lookup(indicator)
        .map(|c| c.id)
        .or_else(|| guihua_catalog::match_name(indicator, None).map(|m| m.id));
    let keys: Vec<String> = if plans.is_empty() {
        ctx.store
            .plans()?
            .iter()
            .map(|p| p.id.to_string())
            .collect()
    } else {
        plans.to_vec()
    };
    let mut out = Vec::new();
    for key in keys {
        let (row, plan) = load_plan(ctx.store.as_ref(), &key)?;
        // The stored link decides (as for `observe export --indicator`): a person's
        // `indicator link`/`unlink` is respected, not re-guessed from the name.
        let subjects = Subjects::load(ctx.store.as_ref(), row.clone())?;
        let Some(ind) = plan.indicators.iter().find(|i| {
            let linked = subjects.catalog_of(&i.id);
            (wanted.is_some() && linked == wanted) || i.name == indicator
        }) else {
            continue;
        };
        let set = observation_set(ctx.store.as_ref(), row.id, &plan)?;
        let latest = set.get(&ind.id).iter().map(|o| o.year).max();
        let at = year.or(latest).or(plan.period.map(|p| p.start));
        let eval = at.and_then(|y| {
            evaluate_plan(&plan, y, &set, &params_for(&subjects, &plan))
                .into_iter()
                .find(|(s, _)| s.id == ind.id)
                .map(|(_, e)| e)
        });
        out.push((row, ind.clone(), eval));
    }
    if let Some((format, path)) = write {
        let format = guihua_report::Format::parse(format)
            .ok_or_else(|| anyhow::anyhow!("--format {format}: expected md, html, docx or xlsx"))?;
        let rows: Vec<guihua_report::ComparisonRow> = out
            .iter()
            .map(|(row, ind, e)| guihua_report::ComparisonRow {
                plan: row.title.clone().unwrap_or_else(|| row.file.clone()),
                region: row.label().to_string(),
                base: ind.base.value,
                target: ind.target.value,
                latest_actual: e.as_ref().and_then(|e| e.actual),
                latest_year: e.as_ref().and_then(|e| e.actual_year),
                status: e
                    .as_ref()
                    .map(|e| e.status)
                    .unwrap_or(guihua_eval::Status::NotAssessable),
            })
            .collect();
        let bytes =
            guihua_report::render_comparison(&rows, indicator, guihua_report::Lang::Zh, format)?;
        std::fs::write(path, bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        eprintln!("comparison written to {}", path.display());
    }
    if as_json {
        let items: Vec<Value> = out
            .iter()
            .map(|(row, ind, e)| {
                json!({
                    "plan": row.id, "region": row.region, "indicator": ind.id, "name": ind.name,
                    "unit": ind.unit, "base": ind.base.text, "target": ind.target.text,
                    "actual": num(e.as_ref().and_then(|e| e.actual)),
                    "actual_year": e.as_ref().and_then(|e| e.actual_year),
                    "status": e.as_ref().map(|e| e.status.code()),
                })
            })
            .collect();
        println!(
            "{}",
            json!({"schema": "guihua.comparison/1", "indicator": indicator, "catalog_id": wanted, "plans": items})
        );
        return Ok(());
    }
    println!("{indicator} — {} plans", out.len());
    let mut rows = vec![vec![
        "地区".to_string(),
        "指标".to_string(),
        "单位".to_string(),
        "基期".to_string(),
        "目标".to_string(),
        "最新实际".to_string(),
        "状态".to_string(),
    ]];
    for (row, ind, e) in &out {
        rows.push(vec![
            row.label().to_string(),
            ind.name.clone(),
            ind.unit.clone().unwrap_or_default(),
            ind.base.text.clone(),
            ind.target.text.clone(),
            e.as_ref()
                .and_then(|e| {
                    Some(format!(
                        "{}（{}）",
                        guihua_store::fmt_num(e.actual?),
                        e.actual_year?
                    ))
                })
                .unwrap_or_else(|| "—".into()),
            e.as_ref()
                .map(|e| e.status.zh().to_string())
                .unwrap_or_else(|| "—".into()),
        ]);
    }
    for line in crate::table::render(&rows, 40).lines() {
        println!("  {line}");
    }
    Ok(())
}
