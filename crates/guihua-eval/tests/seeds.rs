//! The engine on real plans: seeds 001 (Ürümqi), 002 (Yiwu) and 003 (Tacheng), parsed with
//! guihua-parse, evaluated with plausible (hypothetical) observations.

use guihua_eval::*;
use guihua_model::Plan;

fn seed(name: &str) -> Option<Plan> {
    let path = format!(
        "{}/../../../shared/seeds/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).ok()?;
    Some(guihua_parse::parse_text(&text))
}

fn id_of(plan: &Plan, name: &str) -> String {
    plan.indicators
        .iter()
        .find(|i| i.name == name)
        .unwrap_or_else(|| panic!("no indicator {name}"))
        .id
        .clone()
}

fn status_of<'a>(r: &'a [(SubjectRef, Evaluation)], id: &str) -> &'a Evaluation {
    &r.iter().find(|(s, _)| s.id == id).expect(id).1
}

#[test]
fn urumqi() {
    let Some(plan) = seed("001_0c6556c11fc3ed0a.txt") else {
        eprintln!("seeds not available; skipped");
        return;
    };
    let mut obs = ObservationSet::new();
    let forest = id_of(&plan, "森林覆盖率");
    obs.insert(&forest, [Observation::level(2023, 15.75)]);
    let pension = id_of(&plan, "基本养老保险参保率");
    obs.insert(
        &pension,
        [
            Observation::level(2021, 97.0),
            Observation::level(2022, 97.2),
        ],
    );
    let gdp = id_of(&plan, "地区生产总值增长");
    obs.insert(
        &gdp,
        [Observation::rate(2021, 6.0), Observation::rate(2022, 3.0)],
    );
    let income = id_of(&plan, "居民人均可支配收入增长");
    obs.insert(
        &income,
        [Observation::rate(2021, 5.8), Observation::rate(2022, 3.1)],
    );
    let lp = id_of(&plan, "全员劳动生产率增长");
    obs.insert(
        &lp,
        [Observation::rate(2021, 7.0), Observation::rate(2022, 4.0)],
    );
    let edu = id_of(&plan, "劳动年龄人口平均受教育年限");
    obs.insert(&edu, [Observation::level(2023, 11.7)]);
    let energy = id_of(&plan, "单位地区生产总值能源消耗降低");
    obs.insert(&energy, [Observation::rate(2021, 3.0)]);

    let r = evaluate_plan(&plan, 2023, &obs, &Params::default());
    assert!(r.len() >= plan.indicators.len());
    let e = status_of(&r, &forest);
    // 15.75 against 15.74 expected on a planned change of 0.08 points, one year measured:
    // a slow-moving level is not called ahead on so little.
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    assert!(
        e.reason_zh.contains("变化缓慢的指标，仅有一年数据"),
        "{}",
        e.reason_zh
    );
    let eager = Params {
        slow_change_rel: 0.0,
        ..Params::default()
    };
    let r2 = evaluate_plan(&plan, 2023, &obs, &eager);
    assert_eq!(status_of(&r2, &forest).status, Status::Ahead);
    assert!(
        e.reason_zh.starts_with("2023年实际15.75%"),
        "{}",
        e.reason_zh
    );
    assert_eq!(status_of(&r, &pension).status, Status::OnTrack);
    // GDP growth is "保持在合理区间": qualitative.
    assert_eq!(status_of(&r, &gdp).status, Status::NotAssessable);
    // Income and productivity are judged against the plan's own GDP growth series.
    let e = status_of(&r, &income);
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    assert_eq!(status_of(&r, &lp).status, Status::OnTrack);
    assert_eq!(status_of(&r, &edu).status, Status::Lagging);
    let e = status_of(&r, &energy);
    assert_eq!(e.status, Status::NotAssessable);
    assert!(e.reason_zh.contains("自治区"), "{}", e.reason_zh);
    // The prose target "居民人均可支配收入增长与地区生产总值增长基本同步" finds the same reference.
    let t = plan
        .targets
        .iter()
        .find(|t| t.subject == "居民人均可支配收入")
        .expect("income target");
    let mut obs2 = obs.clone();
    obs2.insert(
        &t.id,
        [Observation::rate(2021, 5.8), Observation::rate(2022, 3.1)],
    );
    let r = evaluate_plan(&plan, 2023, &obs2, &Params::default());
    assert_eq!(status_of(&r, &t.id).status, Status::OnTrack);
}

#[test]
fn yiwu() {
    let Some(plan) = seed("002_1291a593b1502d9c.txt") else {
        eprintln!("seeds not available; skipped");
        return;
    };
    let mut obs = ObservationSet::new();
    let unemp = id_of(&plan, "城镇调查失业率");
    obs.insert(&unemp, [Observation::level(2022, 5.0)]);
    let urban = id_of(&plan, "常住人口城镇化率");
    obs.insert(
        &urban,
        [
            Observation::level(2021, 28.0),
            Observation::level(2022, 29.5),
        ],
    );
    let r = evaluate_plan(&plan, 2022, &obs, &Params::default());
    let delegated: Vec<&str> = plan
        .indicators
        .iter()
        .filter(|i| i.target.kind == guihua_model::QuantityKind::Delegated)
        .map(|i| i.id.as_str())
        .collect();
    assert!(delegated.len() >= 4);
    for id in delegated {
        let e = status_of(&r, id);
        assert_eq!(e.status, Status::NotAssessable);
        assert!(e.reason_zh.contains("哈密市下达"), "{}", e.reason_zh);
    }
    assert_eq!(status_of(&r, &unemp).status, Status::OnTrack);
    let e = status_of(&r, &urban);
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    // Everything without observations is not assessable, never a guess.
    for (s, e) in &r {
        if obs.get(&s.id).is_empty() && s.id != unemp && s.id != urban {
            assert_eq!(e.status, Status::NotAssessable, "{} {}", s.id, s.name);
        }
    }
}

#[test]
fn tacheng() {
    let Some(plan) = seed("003_f3c3abe848757c8b.txt") else {
        eprintln!("seeds not available; skipped");
        return;
    };
    let mut obs = ObservationSet::new();
    let unemp = id_of(&plan, "城镇登记失业率");
    obs.insert(
        &unemp,
        [Observation::level(2021, 3.2), Observation::level(2022, 4.3)],
    );
    let jobs = id_of(&plan, "城镇新增就业人数");
    obs.insert(
        &jobs,
        [Observation::level(2021, 2.2), Observation::level(2022, 2.1)],
    );
    let edu = id_of(&plan, "劳动年龄人口平均受教育年限");
    obs.insert(&edu, [Observation::level(2022, 11.2)]);
    let forest = id_of(&plan, "森林覆盖率");
    obs.insert(
        &forest,
        [
            Observation::level(2021, 12.7),
            Observation::level(2022, 12.69),
        ],
    );
    let prose_unemp = plan
        .targets
        .iter()
        .find(|t| t.subject == "城镇登记失业率")
        .expect("prose unemployment")
        .id
        .clone();
    obs.insert(&prose_unemp, [Observation::level(2022, 4.3)]);
    let per_year = plan
        .targets
        .iter()
        .find(|t| t.quantity.per_year && t.subject == "城镇新增就业")
        .expect("per-year jobs")
        .id
        .clone();
    obs.insert(
        &per_year,
        [Observation::level(2021, 2.2), Observation::level(2022, 2.1)],
    );

    let r = evaluate_plan(&plan, 2022, &obs, &Params::default());
    let e = status_of(&r, &unemp);
    assert_eq!(e.status, Status::Lagging, "{}", e.reason_zh);
    assert!(
        e.reason_zh.contains("2022年未满足目标≤4%"),
        "{}",
        e.reason_zh
    );
    assert_eq!(status_of(&r, &prose_unemp).status, Status::Lagging);
    let e = status_of(&r, &jobs);
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    assert!(e.reason_zh.contains("累计4.3万人次"), "{}", e.reason_zh);
    let e = status_of(&r, &edu);
    assert_eq!(e.status, Status::Ahead, "{}", e.reason_zh);
    assert!(e.reason_zh.contains("基期值由目标值减累计变化"));
    // 12.68 → 12.68: a level to hold.
    assert_eq!(status_of(&r, &forest).status, Status::OnTrack);
    let e = status_of(&r, &per_year);
    assert_eq!(e.status, Status::Ahead, "{}", e.reason_zh);
}

/// Every seed, every subject, with synthetic data of each measure: an answer for everything,
/// never a NaN, and nothing assessed without data.
#[test]
fn all_seeds_answer_everything() {
    let names = [
        "000_9305270971be40ea.txt",
        "001_0c6556c11fc3ed0a.txt",
        "002_1291a593b1502d9c.txt",
        "003_f3c3abe848757c8b.txt",
        "004_03f3a94a7d863666.txt",
    ];
    for name in names {
        let Some(plan) = seed(name) else {
            eprintln!("seeds not available; skipped");
            return;
        };
        let empty = evaluate_plan(&plan, 2023, &ObservationSet::new(), &Params::default());
        for (s, e) in &empty {
            assert_eq!(
                e.status,
                Status::NotAssessable,
                "{name} {} {}",
                s.id,
                e.reason_zh
            );
            assert!(!e.reason_zh.is_empty() && !e.reason_en.is_empty());
        }
        let mut obs = ObservationSet::new();
        for i in &plan.indicators {
            let v = i.target.value.or(i.base.value).unwrap_or(5.0);
            obs.insert(
                &i.id,
                [
                    Observation::level(2021, v * 0.97),
                    Observation::level(2022, v * 0.99),
                ],
            );
            obs.insert(
                &i.id,
                [Observation::rate(2021, 4.0), Observation::rate(2022, 6.0)],
            );
        }
        for t in &plan.targets {
            let v = t.quantity.value.unwrap_or(5.0);
            obs.insert(
                &t.id,
                [
                    Observation::level(2020, v * 0.8),
                    Observation::level(2022, v * 0.9),
                ],
            );
        }
        obs.insert_named(
            "GDP增长",
            [Observation::rate(2021, 5.0), Observation::rate(2022, 5.0)],
        );
        let r = evaluate_plan(&plan, 2022, &obs, &Params::default());
        assert_eq!(r.len(), empty.len());
        for (s, e) in &r {
            for text in [&e.reason_zh, &e.reason_en] {
                assert!(
                    !text.contains("NaN") && !text.contains("inf"),
                    "{name} {}: {text}",
                    s.id
                );
            }
        }
    }
}
