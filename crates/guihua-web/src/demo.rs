//! `guihua demo`: a library made from one plan with sample data — departments and their
//! assignments, two years of values, users of every role, a published evaluation, an open
//! collection round and public comments — so a person can try every page in one command.
//! The tests, the browser tests and the load benchmark start from the same library.
//!
//! Everything is written through `guihua-app` (as the library's local administrator), the
//! way a planner would, so the demo also exercises the application layer.

use guihua_app::policy::Principal;
use guihua_contract::Source;
use guihua_model::Plan;
use guihua_store::{Added, Change, CommentSubject, NewComment, Role, Store, SubjectKind, UserRole};

/// The password of every demo account (the demo library is temporary).
pub const PASSWORD: &str = "guihua-demo";

/// What the demo made.
#[derive(Debug, Clone)]
pub struct Demo {
    pub plan_id: i64,
    /// (user name, role as listed, department)
    pub users: Vec<(String, String)>,
    pub round: i64,
    pub release: Option<i64>,
    /// The departments asked in the round, in the order created.
    pub departments: Vec<String>,
}

/// The demo users: name, role, department.
pub const USERS: &[(&str, UserRole, Option<&str>)] = &[
    ("admin", UserRole::Admin, None),
    ("planner", UserRole::Planner, None),
    ("tongji", UserRole::Editor, Some("统计局")),
    ("linye", UserRole::Editor, Some("林业局")),
    ("renda", UserRole::Reviewer, None),
];

/// Fill `store` (empty) with `plan` and sample data. `today` (YYYY-MM-DD) sets the round's
/// deadline and the report's date. With `users`, demo accounts are created (they make the
/// library a multi-user one).
pub fn populate(
    store: &dyn Store,
    plan: &Plan,
    source: &Source,
    today: &str,
    users: bool,
) -> guihua_app::Result<Demo> {
    let admin = Principal::LocalAdmin("演示".into());
    let added = guihua_app::plans::add(store, &admin, Some("demo"), plan, source, None)?;
    let plan_id = match added {
        Added::New { id, .. } | Added::Restored { id } | Added::Duplicate { id } => id,
    };
    let key = plan_id.to_string();
    let (start, end) = plan.period.map_or((2021, 2025), |p| (p.start, p.end));
    let base_year = start - 1;
    let departments = ["统计局", "林业局"];
    // Assign the indicators alternately; values for the first two years of the period, on
    // different paces so every status appears.
    let factors = [1.3, 1.0, 0.5, 0.2, 1.1, 0.9];
    let mut changes = Vec::new();
    for (n, i) in plan.indicators.iter().enumerate() {
        changes.push(Change::Assign {
            plan_id,
            kind: SubjectKind::Indicator,
            subject_id: i.id.clone(),
            department: departments[n % 2].into(),
            role: Role::Lead,
            expected_revision: None,
        });
        let (Some(base), Some(target)) = (i.base.value, i.target.value) else {
            continue;
        };
        let f = factors[n % factors.len()];
        for year in [start, start + 1] {
            let share = f64::from(year - base_year) / f64::from(end - base_year);
            let v = base + (target - base) * share * f;
            changes.push(Change::Observe {
                plan_id,
                kind: SubjectKind::Indicator,
                subject_id: i.id.clone(),
                year,
                value: (v * 100.0).round() / 100.0,
                source: Some(format!("{year}年统计公报")),
                note: None,
                expected_revision: None,
            });
        }
    }
    store.apply(&changes, &admin.actor(Some("demo")))?;
    guihua_app::publication::publish_plan(store, &admin, &key, true)?;
    let release = guihua_app::publication::make_release(
        store,
        &admin,
        &guihua_app::publication::ReleaseRequest {
            plan: &key,
            year: start + 1,
            kind: guihua_report::Kind::Annual,
            narrative: Some(
                "一、主要成效\n主要指标总体符合预期。\n\n二、存在问题\n部分指标进度滞后。\n\n三、下一步工作\n加强年度监测，按时公开。",
            ),
            generated_on: today.to_string(),
        },
    )?;
    guihua_app::publication::publish_release(store, &admin, release, true)?;
    let next_year: i32 = today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(end) + 1;
    let round = guihua_app::collection::open_round(
        store,
        &admin,
        &key,
        start + 2,
        &format!("{next_year}-03-31"),
        &departments.map(String::from),
    )?;
    let published = store.add_comment(
        &NewComment {
            plan_id,
            subject: CommentSubject::Plan,
            subject_id: None,
            body: "希望每年公开规划实施进展。",
            author: Some("市民"),
            contact: None,
            address: "demo-1",
        },
        100,
    )?;
    store.moderate(published, true, None, &admin.actor(Some("demo")))?;
    store.add_comment(
        &NewComment {
            plan_id,
            subject: CommentSubject::Plan,
            subject_id: None,
            body: "建议增加农村公路建设的进展说明。",
            author: None,
            contact: Some("demo@example.cn"),
            address: "demo-2",
        },
        100,
    )?;
    let mut made = Vec::new();
    if users {
        for (name, role, dep) in USERS {
            guihua_app::admin::add_user(
                store,
                &admin,
                Some("demo"),
                name,
                None,
                Some(PASSWORD),
                Some((*role, *dep)),
            )?;
            made.push((
                name.to_string(),
                guihua_store::Membership::label(*role, *dep),
            ));
        }
    }
    Ok(Demo {
        plan_id,
        users: made,
        round,
        release: Some(release),
        departments: departments.map(String::from).to_vec(),
    })
}

/// Add `count` more published plans to a demo library, for the load benchmark: copies of
/// `plan` governing regions of their own ("示例县2" …; the title follows), each with a
/// value for every indicator with numeric base and target in every year of the period and
/// a published annual evaluation of the last year. Answers the new plans' ids.
pub fn populate_more(
    store: &dyn Store,
    plan: &Plan,
    source: &Source,
    today: &str,
    count: usize,
) -> guihua_app::Result<Vec<i64>> {
    let admin = Principal::LocalAdmin("演示".into());
    let region = plan.region.clone().unwrap_or_else(|| "示例县".into());
    let (start, end) = plan.period.map_or((2021, 2025), |p| (p.start, p.end));
    let base_year = start - 1;
    let factors = [1.3, 1.0, 0.5, 0.2, 1.1, 0.9];
    let mut ids = Vec::with_capacity(count);
    for k in 0..count {
        let name = format!("{region}{}", k + 2);
        let mut copy = plan.clone();
        copy.title = plan.title.as_ref().map(|t| t.replacen(&region, &name, 1));
        copy.region = Some(name);
        let mut src = source.clone();
        src.sha256 = format!("{}-copy{}", source.sha256, k + 2);
        let added = guihua_app::plans::add(store, &admin, Some("demo"), &copy, &src, None)?;
        let plan_id = match added {
            Added::New { id, .. } | Added::Restored { id } | Added::Duplicate { id } => id,
        };
        let mut changes = Vec::new();
        for (n, i) in copy.indicators.iter().enumerate() {
            let (Some(base), Some(target)) = (i.base.value, i.target.value) else {
                continue;
            };
            let f = factors[(n + k) % factors.len()];
            for year in start..=end {
                let share = f64::from(year - base_year) / f64::from(end - base_year);
                let v = base + (target - base) * share * f;
                changes.push(Change::Observe {
                    plan_id,
                    kind: SubjectKind::Indicator,
                    subject_id: i.id.clone(),
                    year,
                    value: (v * 100.0).round() / 100.0,
                    source: Some(format!("{year}年统计公报")),
                    note: None,
                    expected_revision: None,
                });
            }
        }
        store.apply(&changes, &admin.actor(Some("demo")))?;
        let key = plan_id.to_string();
        guihua_app::publication::publish_plan(store, &admin, &key, true)?;
        let release = guihua_app::publication::make_release(
            store,
            &admin,
            &guihua_app::publication::ReleaseRequest {
                plan: &key,
                year: end,
                kind: guihua_report::Kind::Annual,
                narrative: None,
                generated_on: today.to_string(),
            },
        )?;
        guihua_app::publication::publish_release(store, &admin, release, true)?;
        ids.push(plan_id);
    }
    Ok(ids)
}
