//! The published documents besides the plan, field by field: renaming a field in code
//! makes these fail (fields may be added, then added here; never renamed or dropped).

use guihua_contract::documents;
use guihua_eval::{Evaluation, Projection, Status, SubjectKind};
use serde_json::json;

fn evaluation() -> Evaluation {
    Evaluation {
        status: Status::Lagging,
        expected: Some(61.333_333),
        actual: Some(60.123_456_7),
        actual_year: Some(2023),
        progress_pct: Some(41.666_6),
        schedule_pct: Some(60.0),
        projection: Some(Projection {
            year: 2025,
            end_value: Some(61.0),
            reaches_target: Some(false),
            remaining_years: 2,
            required_annual_rate: None,
            required_annual_change: Some(1.438_27),
        }),
        reason_zh: "低于序时进度".into(),
        reason_en: "behind schedule".into(),
    }
}

#[test]
fn evaluation_document() {
    let e = evaluation();
    let v = documents::evaluation(
        documents::PlanRef {
            id: 3,
            region: Some("乌鲁木齐市"),
            title: None,
        },
        2023,
        0.2,
        &[("tolerance".to_string(), "0.2".to_string())],
        &[("i15", SubjectKind::Indicator, "森林覆盖率", &e)],
    );
    assert_eq!(
        v,
        json!({
            "schema": "guihua.evaluation/1",
            "plan": {"id": 3, "region": "乌鲁木齐市", "title": null},
            "year": 2023,
            "params": {"tolerance": 0.2},
            "method": {"tolerance": "0.2"},
            "results": [{
                "id": "i15", "kind": "indicator", "name": "森林覆盖率",
                "status": "lagging", "status_zh": "滞后",
                "expected": 61.33, "actual": 60.1235, "actual_year": 2023,
                "progress_pct": 41.67, "schedule_pct": 60,
                "projection": {
                    "year": 2025, "end_value": 61, "reaches_target": false,
                    "remaining_years": 2, "required_annual_rate": null,
                    "required_annual_change": 1.44
                },
                "reason": "低于序时进度", "reason_en": "behind schedule"
            }]
        })
    );
}

#[test]
fn audit_document() {
    let f = guihua_audit::Finding {
        code: "rate-vs-levels",
        severity: guihua_audit::Severity::Warning,
        subject: "旅游收入".into(),
        message: "14亿→15亿与年均增长20%不符".into(),
        lines: vec![37, 41],
    };
    assert_eq!(
        documents::audit(Some("规划纲要"), "a.txt", &[f]),
        json!({
            "schema": "guihua.audit/1", "plan": "规划纲要", "file": "a.txt",
            "findings": [{"code": "rate-vs-levels", "severity": "warning",
                          "subject": "旅游收入", "message": "14亿→15亿与年均增长20%不符",
                          "lines": [37, 41]}]
        })
    );
}

#[test]
fn comparison_observations_and_catalogue() {
    let row = documents::ComparisonRow {
        plan: 1,
        region: None,
        indicator: "i2",
        name: "常住人口城镇化率",
        unit: Some("%"),
        base: "70",
        target: "75",
        actual: Some(72.5),
        actual_year: Some(2024),
        latest: Some(72.5),
        latest_year: Some(2024),
        status: Some(Status::OnTrack),
    };
    assert_eq!(
        documents::comparison("urbanization_rate", Some("urbanization_rate"), &[row]),
        json!({
            "schema": "guihua.comparison/1", "indicator": "urbanization_rate",
            "catalog_id": "urbanization_rate",
            "plans": [{"plan": 1, "region": null, "indicator": "i2", "name": "常住人口城镇化率",
                       "unit": "%", "base": "70", "target": "75", "actual": 72.5,
                       "actual_year": 2024, "latest": 72.5, "latest_year": 2024,
                       "status": "on_track"}]
        })
    );
    let o = documents::ObservationRow {
        plan: 1,
        region: "塔城地区",
        kind: "indicator",
        id: "i1",
        name: "地区生产总值",
        unit: "亿元",
        year: 2022,
        value: 812.5,
        source: Some("统计公报"),
        note: None,
        entered_by: "li",
        entered_at: "2026-03-01T00:00:00Z",
        catalog: "gdp",
    };
    assert_eq!(
        documents::observations(&[o]),
        json!([{"plan": 1, "region": "塔城地区", "kind": "indicator", "id": "i1",
                "name": "地区生产总值", "unit": "亿元", "year": 2022, "value": 812.5,
                "source": "统计公报", "note": null, "entered_by": "li",
                "entered_at": "2026-03-01T00:00:00Z", "catalog": "gdp"}])
    );
    let cat = documents::catalog(guihua_catalog::all());
    let first = &cat[0];
    for key in [
        "id",
        "name",
        "unit",
        "direction",
        "attribute",
        "category",
        "national",
        "aliases",
    ] {
        assert!(first.get(key).is_some(), "catalogue entries carry {key}");
    }
    assert_eq!(cat.as_array().unwrap().len(), guihua_catalog::all().len());
}
