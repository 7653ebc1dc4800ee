//! `guihua evaluate` and `guihua compare`: stored plan + stored observations (assembled by
//! `guihua_app::evaluation`) → the pure evaluation engine (`guihua-eval`) → a table for a
//! person or JSON.

use guihua_app::evaluation::{compare as compare_plans, load_plan, observation_set, Compared};
use guihua_app::subjects::Subjects;
use guihua_contract::documents;
use guihua_eval::evaluate_plan;

use crate::library::Ctx;
use crate::term;

/// Two decimals for the table.
fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

pub fn run(
    ctx: &Ctx,
    key: &str,
    year: i32,
    as_json: bool,
    all: bool,
    method: guihua_app::method::Method,
) -> anyhow::Result<()> {
    if as_json {
        let doc = guihua_app::evaluation::document(ctx.store.as_ref(), key, year, method)?;
        println!("{doc}");
        return Ok(());
    }
    let (row, plan) = load_plan(ctx.store.as_ref(), key)?;
    guihua_app::evaluation::check_year(&plan, year)?;
    let set = observation_set(ctx.store.as_ref(), row.id, &plan)?;
    let subjects = Subjects::load(ctx.store.as_ref(), row.clone())?;
    let mut params = method.params(&subjects, &plan)?;
    guihua_app::annual::apply(ctx.store.as_ref(), row.id, &plan, year, &mut params)?;
    let results = evaluate_plan(&plan, year, &set, &params);
    // In the order of the method (已完成 … 无法评估), never alphabetical.
    let counts: Vec<(&str, usize)> = guihua_eval::Status::ALL
        .iter()
        .map(|st| {
            (
                st.zh(),
                results.iter().filter(|(_, e)| e.status == *st).count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
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
    // The reason is the verdict's explanation: shown whole, wrapped.
    for line in crate::table::render_wrapped(&rows, 60, 6).lines() {
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
    let (wanted, out) = compare_plans(ctx.store.as_ref(), indicator, plans, year)?;
    if let Some((format, path)) = write {
        let format = guihua_report::Format::parse(format)
            .ok_or_else(|| anyhow::anyhow!("--format {format}: expected md, html, docx or xlsx"))?;
        let rows: Vec<guihua_report::ComparisonRow> = out
            .iter()
            .map(|c| (&c.plan, &c.indicator, &c.evaluation, c.latest))
            .map(|(row, ind, e, latest)| guihua_report::ComparisonRow {
                plan: row.title.clone().unwrap_or_else(|| row.file.clone()),
                region: row.label().to_string(),
                base: ind.base.value,
                target: ind.target.value,
                latest_actual: latest.map(|l| l.1),
                latest_year: latest.map(|l| l.0),
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
        let rows: Vec<documents::ComparisonRow> = out
            .iter()
            .map(|c| documents::ComparisonRow {
                plan: c.plan.id,
                region: c.plan.region.as_deref(),
                indicator: &c.indicator.id,
                name: &c.indicator.name,
                unit: c.indicator.unit.as_deref(),
                base: &c.indicator.base.text,
                target: &c.indicator.target.text,
                actual: c.evaluation.as_ref().and_then(|e| e.actual),
                actual_year: c.evaluation.as_ref().and_then(|e| e.actual_year),
                latest: c.latest.map(|l| l.1),
                latest_year: c.latest.map(|l| l.0),
                status: c.evaluation.as_ref().map(|e| e.status),
            })
            .collect();
        println!("{}", documents::comparison(indicator, wanted, &rows));
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
    for Compared {
        plan: row,
        indicator: ind,
        evaluation: e,
        latest,
    } in &out
    {
        rows.push(vec![
            row.label().to_string(),
            ind.name.clone(),
            ind.unit.clone().unwrap_or_default(),
            ind.base.text.clone(),
            ind.target.text.clone(),
            latest
                .map(|(y, v)| format!("{}（{y}）", guihua_store::fmt_num(v)))
                .unwrap_or_else(|| "—".into()),
            e.as_ref()
                .map(|e| e.status.zh().to_string())
                .unwrap_or_else(|| "—".into()),
        ]);
    }
    for line in crate::table::render(&rows, 40).lines() {
        println!("  {line}");
    }
    // A region's two adjoining plans among those compared (十四五 and 十五五): one series.
    let compared: Vec<i64> = out.iter().map(|c| c.plan.id).collect();
    let mut shown: Vec<(i64, i64)> = Vec::new();
    for c in &out {
        let Some(a) =
            guihua_app::portal::across_among(ctx.store.as_ref(), &c.plan, &c.indicator.id, &|p| {
                compared.contains(&p.id)
            })?
        else {
            continue;
        };
        let pair = (a.earlier.0.id, a.later.0.id);
        if shown.contains(&pair) {
            continue;
        }
        shown.push(pair);
        let period = |p: &guihua_store::PlanRow| {
            p.period
                .map(|(s, e)| format!("{s}–{e}"))
                .unwrap_or_default()
        };
        println!(
            "\n  {} 跨规划期序列 (one series across plans {} and {}): {} → {}",
            term(a.later.0.label()),
            a.earlier.0.id,
            a.later.0.id,
            period(&a.earlier.0),
            period(&a.later.0)
        );
        let mut t = vec![["年份", "实际", "所属规划", "规划表述"]
            .map(String::from)
            .to_vec()];
        for y in &a.years {
            let of = |id: i64| {
                if id == a.earlier.0.id {
                    &a.earlier.0
                } else {
                    &a.later.0
                }
            };
            t.push(vec![
                y.year.to_string(),
                y.value
                    .map(|(v, _)| guihua_store::fmt_num(v))
                    .unwrap_or_else(|| "—".into()),
                y.value.map(|(_, id)| period(of(id))).unwrap_or_default(),
                y.stated
                    .iter()
                    .map(|(text, id)| format!("{} {}", period(of(*id)), term(text)))
                    .collect::<Vec<_>>()
                    .join("；"),
            ]);
        }
        for line in crate::table::render(&t, 40).lines() {
            println!("  {line}");
        }
    }
    Ok(())
}

/// `guihua align PLAN --with HIGHER`: the alignment table, or its JSON.
pub fn align(ctx: &Ctx, plan: &str, higher: &str, json_out: bool) -> anyhow::Result<()> {
    let (lrow, hrow, a) = guihua_app::evaluation::align(ctx.store.as_ref(), plan, higher)?;
    if json_out {
        println!(
            "{}",
            guihua_contract::documents::alignment(
                (hrow.id, hrow.label()),
                (lrow.id, lrow.label()),
                &a
            )
        );
        return Ok(());
    }
    println!(
        "{} 与 {} 的衔接 (alignment of plan {} with plan {})",
        term(lrow.label()),
        term(hrow.label()),
        lrow.id,
        hrow.id
    );
    if a.periods_differ {
        println!("注意：两个规划的规划期不同，目标不作比较 (the plans cover different periods)");
    }
    for (row, what) in [(&lrow, "本级"), (&hrow, "上级")] {
        if row.indicators == 0 {
            println!(
                "注意：{what}规划 {} 没有读到主要指标表，下面的比较没有意义 (plan {} has no indicator table read; see guihua audit / parse)",
                term(row.label()),
                row.id
            );
        }
    }
    let empty = |s: &str| matches!(s, "" | "—" | "-" | "－" | "/" | "／");
    let goal = |i: &guihua_model::Indicator| {
        let t = i.target.text.trim();
        let p = i.pace.text.trim();
        match (empty(t), empty(p)) {
            (false, true) => t.to_string(),
            (true, false) => p.to_string(),
            (false, false) => format!("{t}；{p}"),
            (true, true) => "—".to_string(),
        }
    };
    let mut t = vec![[
        "上级指标",
        "属性",
        "上级目标",
        "本级指标",
        "本级目标",
        "结论",
        "说明",
    ]
    .map(String::from)
    .to_vec()];
    for r in &a.rows {
        t.push(vec![
            term(&r.higher.name).into_owned(),
            match r.higher.attribute {
                Some(guihua_model::Attribute::Binding) => "约束性",
                Some(guihua_model::Attribute::Anticipatory) => "预期性",
                None => "",
            }
            .to_string(),
            term(&goal(&r.higher)).into_owned(),
            r.lower
                .as_ref()
                .map(|l| term(&l.name).into_owned())
                .unwrap_or_else(|| "—".into()),
            r.lower
                .as_ref()
                .map(|l| term(&goal(l)).into_owned())
                .unwrap_or_else(|| "—".into()),
            r.verdict.zh().to_string(),
            term(&r.reason).into_owned(),
        ]);
    }
    print!("{}", crate::table::render(&t, 40));
    let count = |v: guihua_audit::align::Verdict| a.rows.iter().filter(|r| r.verdict == v).count();
    use guihua_audit::align::Verdict as V;
    println!(
        "上级{}项：缺少{}（其中约束性{}），低于上级{}，不低于上级{}，由上级下达{}，无法比较{}",
        a.rows.len(),
        count(V::Missing),
        a.rows
            .iter()
            .filter(|r| r.verdict == V::Missing
                && r.higher.attribute == Some(guihua_model::Attribute::Binding))
            .count(),
        count(V::Weaker),
        count(V::AtLeastAsDemanding),
        count(V::Delegated),
        count(V::NotComparable)
    );
    if !a.unmatched.is_empty() {
        println!(
            "本级特有指标（上级规划无对应）{}项：{}",
            a.unmatched.len(),
            a.unmatched
                .iter()
                .map(|i| term(&i.name).into_owned())
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    Ok(())
}

/// `guihua annual set`.
pub fn annual_set(
    ctx: &Ctx,
    plan: &str,
    indicator: &str,
    year: i32,
    cell: &str,
    source: Option<&str>,
) -> anyhow::Result<()> {
    let changed = guihua_app::annual::set(
        ctx.store.as_ref(),
        &ctx.principal,
        plan,
        indicator,
        year,
        cell,
        source,
    )?;
    println!(
        "{} {year} {}: {}",
        term(indicator),
        term(cell),
        if changed {
            "stored"
        } else {
            "unchanged (already stored)"
        }
    );
    Ok(())
}

/// `guihua annual import PLAN --year Y FILE [--yes]`: the matches first, then (with --yes)
/// stored.
pub fn annual_import(
    ctx: &Ctx,
    plan: &str,
    year: i32,
    file: &std::path::Path,
    yes: bool,
) -> anyhow::Result<()> {
    // A sheet (指标, 年份, 目标, 来源) is read as a table; any other file as a document.
    let sheet = file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("xlsx"));
    let preview = if sheet {
        let bytes = crate::import::read_file(file)?;
        let name = file.display().to_string();
        match guihua_app::annual::read_sheet(ctx.store.as_ref(), plan, year, &name, &bytes) {
            Err(guihua_app::Error::Rejected(rows)) => {
                for r in &rows {
                    eprintln!("guihua: {}", term(&r.to_string()));
                }
                anyhow::bail!("{name}: {} rows cannot be read; nothing stored", rows.len());
            }
            other => other?,
        }
    } else {
        let read =
            guihua_read::read_path(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        guihua_app::annual::read(ctx.store.as_ref(), plan, year, &read.document)?
    };
    println!(
        "{} 中 {year} 年的目标 (targets for {year}):",
        term(&file.display().to_string())
    );
    let mut t = vec![["行", "原文", "指标", "目标", "匹配"]
        .map(String::from)
        .to_vec()];
    for m in &preview.matched {
        t.push(vec![
            m.line.to_string(),
            term(&m.clause).into_owned(),
            format!("{} {}", m.indicator_id, term(&m.indicator)),
            term(&m.cell).into_owned(),
            m.by.clone(),
        ]);
    }
    print!("{}", crate::table::render(&t, 40));
    if !preview.unmatched.is_empty() {
        println!(
            "未匹配到本规划指标的目标 {} 项 (matched no indicator of the plan):",
            preview.unmatched.len()
        );
        for (clause, line) in &preview.unmatched {
            println!("  第{line}行  {}", term(clause));
        }
    }
    if !preview.skipped.is_empty() {
        println!("读到但未采用 (read, not taken):");
        for (clause, line, why) in &preview.skipped {
            println!("  第{line}行  {}：{}", term(clause), term(why));
        }
    }
    if !preview.other_years.is_empty() {
        println!("其他年份的目标，未采用 (targets of other years, not taken):");
        for (clause, line, y) in &preview.other_years {
            println!("  第{line}行  {y}年  {}", term(clause));
        }
    }
    if preview.matched.is_empty() {
        anyhow::bail!(
            "{}: no target of {year} matched an indicator of the plan (is it the right plan and year?)",
            file.display()
        );
    }
    if !yes {
        println!("nothing stored: check the matches, then run again with --yes");
        return Ok(());
    }
    let source = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n =
        guihua_app::annual::import(ctx.store.as_ref(), &ctx.principal, plan, &preview, &source)?;
    println!(
        "stored {n} annual targets for {year} ({} unchanged)",
        preview.matched.len() - n
    );
    Ok(())
}

/// `guihua annual list PLAN`.
pub fn annual_list(ctx: &Ctx, plan: &str, json_out: bool) -> anyhow::Result<()> {
    let (row, targets) = guihua_app::annual::list(ctx.store.as_ref(), plan)?;
    if json_out {
        println!("{}", serde_json::to_string(&targets)?);
        return Ok(());
    }
    if targets.is_empty() {
        println!(
            "{}: no annual targets (guihua annual set|import)",
            term(row.label())
        );
        return Ok(());
    }
    let subjects = Subjects::load(ctx.store.as_ref(), row.clone())?;
    let mut t = vec![["年份", "指标", "目标", "来源"].map(String::from).to_vec()];
    for a in &targets {
        t.push(vec![
            a.year.to_string(),
            format!(
                "{} {}",
                a.indicator_id,
                term(
                    subjects
                        .name(guihua_store::SubjectKind::Indicator, &a.indicator_id)
                        .0
                )
            ),
            term(&a.cell).into_owned(),
            match (&a.source, a.line) {
                (Some(s), Some(l)) => format!("{} 第{l}行", term(s)),
                (Some(s), None) => term(s).into_owned(),
                _ => String::new(),
            },
        ]);
    }
    print!("{}", crate::table::render(&t, 40));
    Ok(())
}

/// `guihua review NEW [--into PREV] [--yes]`.
pub fn review(ctx: &Ctx, plan: &str, into: Option<&str>, yes: bool) -> anyhow::Result<()> {
    use guihua_app::review::Outcome;
    let c = guihua_app::review::carry(ctx.store.as_ref(), &ctx.principal, plan, into, yes)?;
    println!(
        "{} 的规划回顾表 → {} 的监测数据 (review table of plan {} → observations of plan {})",
        term(c.new.label()),
        term(c.previous.label()),
        c.new.id,
        c.previous.id
    );
    let mut t = vec![["行", "指标", "完成情况", "结果"]
        .map(String::from)
        .to_vec()];
    for r in &c.rows {
        t.push(vec![
            r.line.to_string(),
            term(&r.name).into_owned(),
            term(&r.actual).into_owned(),
            match &r.outcome {
                Outcome::Carried {
                    indicator,
                    year,
                    value,
                } => format!(
                    "{}{indicator} {year}: {}",
                    if yes { "已写入 " } else { "将写入 " },
                    guihua_store::fmt_num(*value)
                ),
                Outcome::Kept {
                    indicator,
                    year,
                    stored,
                    stated,
                } => format!(
                    "保留已有 {indicator} {year}: {}（回顾表为 {}）",
                    guihua_store::fmt_num(*stored),
                    guihua_store::fmt_num(*stated)
                ),
                Outcome::NoMatch => "上一规划无对应指标".into(),
                Outcome::NotAValue(why) => format!("不作为年度数值：{why}"),
            },
        ]);
    }
    print!("{}", crate::table::render(&t, 40));
    let carried = c
        .rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Carried { .. }))
        .count();
    if yes {
        println!(
            "stored {} observations of plan {}",
            c.written, c.previous.id
        );
    } else {
        println!("nothing stored: {carried} values would be written; run again with --yes");
    }
    Ok(())
}
