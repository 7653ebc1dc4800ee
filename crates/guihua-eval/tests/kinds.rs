//! One test (at least) per kind of target and per status, with the edge cases of issue 4.

mod common;

use common::{lv, none, q};
use guihua_eval::*;
use guihua_model::{Comparator, Quantity, QuantityKind};

fn lvc(text: &str, v: f64, c: Comparator) -> Quantity {
    q(text, QuantityKind::Level, Some(v), Some(c))
}

fn subject(name: &str, unit: &str, base: Quantity, target: Quantity, pace: Quantity) -> Subject {
    Subject {
        id: "i1".into(),
        name: name.into(),
        unit: Some(unit.into()),
        attribute: None,
        base,
        base_year: 2020,
        target,
        target_year: 2025,
        pace,
        direction: direction_from_name(name),
    }
}

fn ev(s: &Subject, obs: &[Observation], year: i32) -> Evaluation {
    evaluate(s, obs, year, &Params::default(), None)
}

fn near(a: f64, b: f64, eps: f64) -> bool {
    (a - b).abs() < eps
}

fn patent() -> Subject {
    subject(
        "每万人口高价值发明专利拥有量",
        "件",
        lv(6.3),
        lv(12.0),
        none(),
    )
}

// ---------- levels with a base ----------

#[test]
fn level_linear_ahead_with_issue_wording() {
    let e = ev(&patent(), &[Observation::level(2022, 9.4)], 2022);
    assert_eq!(e.status, Status::Ahead);
    assert!(near(e.expected.unwrap(), 8.58, 1e-9));
    assert!(near(e.progress_pct.unwrap(), 54.386, 1e-2));
    assert!(near(e.schedule_pct.unwrap(), 40.0, 1e-9));
    assert!(
        e.reason_zh
            .starts_with("2022年实际9.4件，按序时进度应达8.6件，完成进度54%"),
        "{}",
        e.reason_zh
    );
    assert_eq!(e.status.code(), "ahead");
    assert_eq!(e.status.zh(), "快于预期");
}

#[test]
fn level_on_track_lagging_severe() {
    let s = patent();
    assert_eq!(
        ev(&s, &[Observation::level(2022, 8.6)], 2022).status,
        Status::OnTrack
    );
    let lag = ev(&s, &[Observation::level(2022, 7.5)], 2022);
    assert_eq!(lag.status, Status::Lagging);
    assert!(
        lag.reason_zh.contains("后三年需年均提高1.5件"),
        "{}",
        lag.reason_zh
    );
    let sev = ev(&s, &[Observation::level(2023, 6.5)], 2023);
    assert_eq!(sev.status, Status::SeverelyLagging, "{}", sev.reason_zh);
    assert_eq!(sev.status.code(), "severely_lagging");
}

#[test]
fn level_exceeded_early_is_achieved() {
    let e = ev(&patent(), &[Observation::level(2023, 12.5)], 2023);
    assert_eq!(e.status, Status::Achieved);
    assert!(e.reason_zh.contains("提前实现"), "{}", e.reason_zh);
    assert_eq!(e.label_zh(2025), "提前实现");
    assert_eq!(e.status.code(), "achieved");
}

#[test]
fn level_geometric_versus_linear_path() {
    // 100 → 161.051 is 10 % a year; 121 after two years is exactly on the geometric path.
    let s = subject("旅游收入", "亿元", lv(100.0), lv(161.051), none());
    let e = ev(&s, &[Observation::level(2022, 121.0)], 2022);
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    assert!(near(e.expected.unwrap(), 121.0, 1e-6));
    assert_eq!(
        ev(&s, &[Observation::level(2022, 118.0)], 2022).status,
        Status::OnTrack
    );
    let mut p = Params::default();
    p.path_overrides.insert("i1".into(), PathShape::Linear);
    let lin = evaluate(&s, &[Observation::level(2022, 118.0)], 2022, &p, None);
    assert_eq!(lin.status, Status::Lagging, "{}", lin.reason_zh);
    assert!(near(lin.expected.unwrap(), 124.4204, 1e-3));
}

#[test]
fn level_lower_is_better() {
    let s = subject(
        "单位地区生产总值能耗",
        "吨标准煤/万元",
        lv(0.5),
        lv(0.4),
        none(),
    );
    assert_eq!(s.direction, Direction::LowerIsBetter);
    let e = ev(&s, &[Observation::level(2022, 0.47)], 2022);
    assert_eq!(e.status, Status::Lagging, "{}", e.reason_zh);
    assert!(e.reason_zh.contains("年均降低"), "{}", e.reason_zh);
    assert_eq!(
        ev(&s, &[Observation::level(2022, 0.44)], 2022).status,
        Status::Ahead
    );
    assert_eq!(
        ev(&s, &[Observation::level(2023, 0.39)], 2023).status,
        Status::Achieved
    );
}

#[test]
fn target_below_base_of_a_higher_is_better_level_is_a_floor() {
    // Ürümqi grain capacity 3.5 → 2.57 万吨 (binding): more grain is never a failure.
    let s = subject("粮食综合生产能力", "万吨", lv(3.5), lv(2.57), none());
    let e = ev(&s, &[Observation::level(2022, 2.9)], 2022);
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    assert!(e.reason_zh.contains("≥2.57万吨"), "{}", e.reason_zh);
    assert!(
        e.reason_zh.contains("按“不低于目标值”评估"),
        "{}",
        e.reason_zh
    );
    assert_eq!(
        ev(&s, &[Observation::level(2022, 2.3)], 2022).status,
        Status::Lagging
    );
    // A lower-is-better level planned downwards is an ordinary path.
    let s = subject(
        "单位地区生产总值能耗",
        "吨标准煤/万元",
        lv(0.5),
        lv(0.4),
        none(),
    );
    let e = ev(&s, &[Observation::level(2022, 0.46)], 2022);
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
}

#[test]
fn absolute_tolerance_override() {
    let mut p = Params::default();
    p.abs_tolerance.insert("i1".into(), 1.0);
    let e = evaluate(&patent(), &[Observation::level(2022, 9.4)], 2022, &p, None);
    assert_eq!(e.status, Status::OnTrack);
}

#[test]
fn level_after_end_year_missed() {
    let e = ev(&patent(), &[Observation::level(2025, 11.0)], 2025);
    assert_eq!(e.status, Status::Lagging, "{}", e.reason_zh);
    assert!(e.reason_zh.contains("规划期已结束"));
}

// ---------- levels without a base ----------

#[test]
fn level_without_base() {
    let s = subject(
        "每千人口拥有3岁以下婴幼儿托位数",
        "个",
        none(),
        lv(1.25),
        none(),
    );
    let one = ev(&s, &[Observation::level(2022, 0.9)], 2022);
    assert_eq!(one.status, Status::NotAssessable, "{}", one.reason_zh);
    assert!(one.reason_zh.contains("仅有2022年一年数据"));
    let reached = ev(&s, &[Observation::level(2022, 1.3)], 2022);
    assert_eq!(reached.status, Status::Achieved);
    let trend = [
        Observation::level(2022, 0.9),
        Observation::level(2023, 1.05),
    ];
    let e = ev(&s, &trend, 2023);
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    let p = e.projection.unwrap();
    assert!(near(p.end_value.unwrap(), 1.35, 1e-9));
    let slow = [
        Observation::level(2022, 0.9),
        Observation::level(2023, 0.95),
    ];
    assert_eq!(ev(&s, &slow, 2023).status, Status::SeverelyLagging);
    let slow = [Observation::level(2022, 0.9), Observation::level(2023, 1.0)];
    assert_eq!(ev(&s, &slow, 2023).status, Status::Lagging);
}

#[test]
fn base_year_observation_supplies_a_missing_base() {
    let s = subject(
        "每万人口高价值发明专利拥有量",
        "件",
        none(),
        lv(12.0),
        none(),
    );
    let e = ev(
        &s,
        &[Observation::level(2020, 6.3), Observation::level(2022, 9.4)],
        2022,
    );
    assert_eq!(e.status, Status::Ahead);
    assert!(
        e.reason_zh.contains("基期值取2020年实际值6.3"),
        "{}",
        e.reason_zh
    );
}

#[test]
fn revised_base_year_value_replaces_the_plan_base() {
    let s = subject(
        "劳动年龄人口平均受教育年限",
        "年",
        lv(10.8),
        lv(11.3),
        none(),
    );
    let obs = [
        Observation::level(2020, 10.75),
        Observation::level(2022, 10.93),
    ];
    let e = ev(&s, &obs, 2022);
    assert!(near(e.expected.unwrap(), 10.97, 1e-9));
    assert!(
        e.reason_zh
            .contains("基期值采用2020年实际值10.75（规划表为10.8）"),
        "{}",
        e.reason_zh
    );
    assert_eq!(e.status, Status::OnTrack);
    // A target stated as an increment (人均预期寿命 77.3, 〔1〕) moves with the base.
    let pace = q(
        "〔1〕",
        QuantityKind::Cumulative,
        Some(1.0),
        Some(Comparator::Eq),
    );
    let s = subject("人均预期寿命", "岁", lv(77.3), none(), pace);
    let e = ev(
        &s,
        &[
            Observation::level(2020, 77.93),
            Observation::level(2022, 78.3),
        ],
        2022,
    );
    assert!(near(e.expected.unwrap(), 78.33, 1e-9), "{:?}", e.expected);
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
}

#[test]
fn cumulative_increment_derives_the_base() {
    // Tacheng: schooling "—" → 11.3 with 〔0.3〕: the base is 11.0.
    let pace = q(
        "〔0.3〕",
        QuantityKind::Cumulative,
        Some(0.3),
        Some(Comparator::Eq),
    );
    let s = subject("劳动年龄人口平均受教育年限", "年", none(), lv(11.3), pace);
    let e = ev(&s, &[Observation::level(2023, 11.25)], 2023);
    assert_eq!(e.status, Status::Ahead, "{}", e.reason_zh);
    assert!(near(e.expected.unwrap(), 11.18, 1e-9));
    assert!(e.reason_zh.contains("基期值由目标值减累计变化"));
}

// ---------- floors and ceilings ----------

#[test]
fn floor_held_every_year() {
    let s = subject(
        "基本养老保险参保率",
        "%",
        lv(96.9),
        lvc(">95", 95.0, Comparator::Gt),
        none(),
    );
    let ok = ev(
        &s,
        &[
            Observation::level(2021, 96.0),
            Observation::level(2022, 95.5),
        ],
        2022,
    );
    assert_eq!(ok.status, Status::OnTrack, "{}", ok.reason_zh);
    let bad = ev(
        &s,
        &[
            Observation::level(2021, 92.0),
            Observation::level(2022, 95.5),
        ],
        2022,
    );
    assert_eq!(bad.status, Status::Lagging, "{}", bad.reason_zh);
    assert!(bad.reason_zh.contains("2021年未满足"));
    let p = Params {
        hold_rule: HoldRule::LatestYear,
        ..Params::default()
    };
    let latest = evaluate(
        &s,
        &[
            Observation::level(2021, 92.0),
            Observation::level(2022, 95.5),
        ],
        2022,
        &p,
        None,
    );
    assert_eq!(latest.status, Status::OnTrack);
    let near = ev(
        &s,
        &[
            Observation::level(2021, 94.5),
            Observation::level(2022, 95.5),
        ],
        2022,
    );
    assert_eq!(near.status, Status::OnTrack, "{}", near.reason_zh);
    assert!(near.reason_zh.contains("2021年略有偏离"));
    let end = ev(&s, &[Observation::level(2025, 96.0)], 2025);
    assert_eq!(end.status, Status::Achieved);
}

#[test]
fn ceiling_unemployment() {
    let s = subject(
        "城镇登记失业率",
        "%",
        lvc("3以内", 3.0, Comparator::Le),
        lvc("4以内", 4.0, Comparator::Le),
        none(),
    );
    let e = ev(&s, &[Observation::level(2022, 4.3)], 2022);
    assert_eq!(e.status, Status::Lagging);
    assert!(e.reason_zh.contains("≤4%"), "{}", e.reason_zh);
    assert_eq!(
        ev(&s, &[Observation::level(2022, 5.0)], 2022).status,
        Status::SeverelyLagging
    );
    assert_eq!(
        ev(&s, &[Observation::level(2022, 3.9)], 2022).status,
        Status::OnTrack
    );
}

#[test]
fn floor_not_met_by_base_is_a_level_to_reach() {
    let s = subject(
        "常住人口城镇化率",
        "%",
        lv(50.0),
        lvc(">55", 55.0, Comparator::Gt),
        none(),
    );
    let e = ev(&s, &[Observation::level(2022, 52.0)], 2022);
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    assert_eq!(
        ev(&s, &[Observation::level(2022, 55.5)], 2022).status,
        Status::Achieved
    );
}

#[test]
fn approx_band() {
    let s = subject(
        "城镇调查失业率",
        "%",
        none(),
        lvc("5.5左右", 5.5, Comparator::Approx),
        none(),
    );
    assert_eq!(
        ev(&s, &[Observation::level(2022, 5.6)], 2022).status,
        Status::OnTrack
    );
    assert_eq!(
        ev(&s, &[Observation::level(2022, 5.0)], 2022).status,
        Status::OnTrack
    );
    assert_eq!(
        ev(&s, &[Observation::level(2022, 5.8)], 2022).status,
        Status::Lagging
    );
}

#[test]
fn level_range() {
    let mut t = lvc("4500万吨-6000万吨", 4500.0, Comparator::Range);
    t.value_max = Some(6000.0);
    let s = subject("煤炭产能", "万吨", lv(1100.0), t, none());
    assert_eq!(
        ev(&s, &[Observation::level(2023, 4600.0)], 2023).status,
        Status::Achieved
    );
    let e = ev(&s, &[Observation::level(2022, 2460.0)], 2022);
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
}

// ---------- growth rates ----------

fn rd() -> Subject {
    let pace = q(">7", QuantityKind::Growth, Some(7.0), Some(Comparator::Gt));
    subject("全社会研发经费投入增长", "%", none(), none(), pace)
}

#[test]
fn growth_from_yearly_rates() {
    let s = rd();
    let e = ev(
        &s,
        &[Observation::rate(2021, 14.6), Observation::rate(2022, 10.1)],
        2022,
    );
    assert_eq!(e.status, Status::Ahead, "{}", e.reason_zh);
    assert!(near(e.actual.unwrap(), 12.33, 0.01));
    let lag = ev(
        &s,
        &[Observation::rate(2021, 5.0), Observation::rate(2022, 6.0)],
        2022,
    );
    assert_eq!(lag.status, Status::Lagging, "{}", lag.reason_zh);
    let req = lag.projection.unwrap().required_annual_rate.unwrap();
    assert!(near(req, 8.0, 0.05), "{req}");
    assert!(
        lag.reason_zh.contains("后三年需年均增长8.0%")
            || lag.reason_zh.contains("后三年需年均增长8%"),
        "{}",
        lag.reason_zh
    );
}

#[test]
fn growth_negative_rates_severely_lagging() {
    let obs = [
        Observation::rate(2021, -2.0),
        Observation::rate(2022, -3.0),
        Observation::rate(2023, -1.0),
    ];
    let e = ev(&rd(), &obs, 2023);
    assert_eq!(e.status, Status::SeverelyLagging, "{}", e.reason_zh);
    assert!(e.actual.unwrap() < 0.0);
    assert!(e.reason_zh.contains("实际年均下降2"), "{}", e.reason_zh);
}

#[test]
fn growth_from_levels_and_one_year() {
    let s = rd();
    let e = ev(
        &s,
        &[
            Observation::level(2020, 100.0),
            Observation::level(2022, 115.0),
        ],
        2022,
    );
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    assert!(near(e.actual.unwrap(), 7.238, 1e-3));
    let one = ev(&s, &[Observation::rate(2021, 8.0)], 2021);
    assert_eq!(one.status, Status::Ahead);
    assert!(
        one.reason_zh.starts_with("2021年实际年均增长8%"),
        "{}",
        one.reason_zh
    );
}

#[test]
fn growth_from_the_base_cell_level() {
    // "地区生产总值 亿元 | 300 | — | 7": the base cell is the level to grow from.
    let pace = q("7", QuantityKind::Growth, Some(7.0), Some(Comparator::Eq));
    let s = subject("地区生产总值", "亿元", lv(300.0), none(), pace);
    let e = ev(&s, &[Observation::level(2022, 343.47)], 2022);
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    assert!(near(e.actual.unwrap(), 7.0, 1e-2));
}

#[test]
fn level_rebuilt_from_growth_rates() {
    let pace = q("8.5", QuantityKind::Growth, Some(8.5), Some(Comparator::Eq));
    let s = subject("地区生产总值", "亿元", lv(300.0), lv(451.0), pace);
    let e = ev(
        &s,
        &[Observation::rate(2021, 8.0), Observation::rate(2022, 9.0)],
        2022,
    );
    assert!(near(e.actual.unwrap(), 300.0 * 1.08 * 1.09, 1e-9));
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    assert!(
        e.reason_zh.contains("水平值由基期值按各年增速推算"),
        "{}",
        e.reason_zh
    );
}

#[test]
fn growth_eq_and_range() {
    let pace = q("9", QuantityKind::Growth, Some(9.0), Some(Comparator::Eq));
    let s = subject("地区生产总值", "%", none(), none(), pace);
    assert_eq!(
        ev(
            &s,
            &[Observation::rate(2021, 8.8), Observation::rate(2022, 9.0)],
            2022
        )
        .status,
        Status::OnTrack
    );
    let mut pace = q(
        "6-6.5",
        QuantityKind::Growth,
        Some(6.0),
        Some(Comparator::Range),
    );
    pace.value_max = Some(6.5);
    let s = subject("地区生产总值", "%", none(), none(), pace);
    assert_eq!(
        ev(&s, &[Observation::rate(2021, 6.2)], 2021).status,
        Status::OnTrack
    );
    assert_eq!(
        ev(&s, &[Observation::rate(2021, 8.0)], 2021).status,
        Status::Ahead
    );
    assert_eq!(
        ev(&s, &[Observation::rate(2021, 5.0)], 2021).status,
        Status::Lagging
    );
}

#[test]
fn growth_target_of_a_decline() {
    // "年均下降3%" (parser signs it −3) on a lower-is-better level.
    let t = q(
        "年均下降3%",
        QuantityKind::Growth,
        Some(-3.0),
        Some(Comparator::Eq),
    );
    let s = subject("单位地区生产总值用水量", "%", none(), t, none());
    let e = ev(
        &s,
        &[Observation::rate(2021, -4.0), Observation::rate(2022, -3.5)],
        2022,
    );
    assert_eq!(e.status, Status::Ahead, "{}", e.reason_zh);
    let e = ev(&s, &[Observation::rate(2021, -1.0)], 2021);
    assert_eq!(e.status, Status::Lagging, "{}", e.reason_zh);
}

// ---------- cumulative ----------

fn energy() -> Subject {
    let pace = q(
        "〔13.5〕",
        QuantityKind::Cumulative,
        Some(13.5),
        Some(Comparator::Eq),
    );
    subject("单位国内生产总值能源消耗降低", "%", none(), none(), pace)
}

#[test]
fn cumulative_reduction_compounded_from_yearly_rates() {
    let e = ev(
        &energy(),
        &[Observation::rate(2021, 2.7), Observation::rate(2022, 0.1)],
        2022,
    );
    assert_eq!(e.status, Status::Lagging, "{}", e.reason_zh);
    assert!(near(e.actual.unwrap(), 2.7973, 1e-3));
    assert!(near(e.expected.unwrap(), 5.6353, 1e-3), "{:?}", e.expected);
    let r = e.projection.as_ref().unwrap().required_annual_rate.unwrap();
    assert!(near(r, 3.81, 0.01), "{r}");
    assert!(e.reason_zh.contains("累计降低2.8%"), "{}", e.reason_zh);
    assert!(
        e.reason_zh.contains("后三年需年均降低3.8"),
        "{}",
        e.reason_zh
    );
    let ok = ev(
        &energy(),
        &[
            Observation::rate(2021, 3.0),
            Observation::rate(2022, 3.0),
            Observation::rate(2023, 3.0),
        ],
        2023,
    );
    assert_eq!(ok.status, Status::OnTrack, "{}", ok.reason_zh);
}

#[test]
fn cumulative_reduction_from_levels_and_direct_and_achieved() {
    let e = ev(
        &energy(),
        &[
            Observation::level(2020, 1.0),
            Observation::level(2022, 0.92),
        ],
        2022,
    );
    assert_eq!(e.status, Status::Ahead, "{}", e.reason_zh);
    assert!(near(e.actual.unwrap(), 8.0, 1e-9));
    let done = ev(&energy(), &[Observation::cumulative(2024, 14.0)], 2024);
    assert_eq!(done.status, Status::Achieved);
    let sev = ev(&energy(), &[Observation::cumulative(2023, 1.0)], 2023);
    assert_eq!(sev.status, Status::SeverelyLagging, "{}", sev.reason_zh);
}

#[test]
fn cumulative_with_a_missing_year() {
    let e = ev(
        &energy(),
        &[Observation::rate(2021, 3.0), Observation::rate(2023, 3.0)],
        2023,
    );
    assert_eq!(e.actual_year, Some(2021));
    assert!(e.reason_zh.contains("缺2022年数据"), "{}", e.reason_zh);
}

#[test]
fn cumulative_sum_of_flows() {
    let t = q(
        "〔10.5〕",
        QuantityKind::Cumulative,
        Some(10.5),
        Some(Comparator::Eq),
    );
    let s = subject("城镇新增就业人数", "万人次", lv(3.12), t, none());
    let e = ev(
        &s,
        &[Observation::level(2021, 2.2), Observation::level(2022, 2.1)],
        2022,
    );
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    assert!(near(e.actual.unwrap(), 4.3, 1e-9));
    assert!(near(e.expected.unwrap(), 4.2, 1e-9));
    let p = e.projection.unwrap();
    assert!(near(p.end_value.unwrap(), 10.75, 1e-9));
    assert!(near(p.required_annual_change.unwrap(), 2.0667, 1e-3));
}

// ---------- per year ----------

#[test]
fn per_year_amount() {
    let mut t = lv(2.0);
    t.per_year = true;
    let s = subject("城镇新增就业", "万人", none(), t, none());
    let e = ev(
        &s,
        &[
            Observation::level(2021, 2.1),
            Observation::level(2022, 1.95),
        ],
        2022,
    );
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    let mut t = lvc("7.1万人次以上", 7.1, Comparator::Ge);
    t.per_year = true;
    let s = subject("转移农村富余劳动力", "万人次", none(), t, none());
    let e = ev(
        &s,
        &[Observation::level(2021, 6.0), Observation::level(2022, 6.0)],
        2022,
    );
    assert_eq!(e.status, Status::Lagging, "{}", e.reason_zh);
}

// ---------- relative ----------

fn relative(name: &str, text: &str, cmp: Comparator) -> Subject {
    let mut pace = q(text, QuantityKind::Relative, None, Some(cmp));
    pace.reference = Some("GDP增长".into());
    subject(name, "%", none(), none(), pace)
}

#[test]
fn relative_in_step_with_gdp() {
    let gdp = [Observation::rate(2021, 8.4), Observation::rate(2022, 3.0)];
    let s = relative(
        "居民人均可支配收入增长",
        "与GDP增长基本同步",
        Comparator::Approx,
    );
    let inc = [Observation::rate(2021, 8.1), Observation::rate(2022, 2.9)];
    let e = evaluate(&s, &inc, 2022, &Params::default(), Some(&gdp));
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    assert!(e.reason_zh.contains("低0.2个百分点"), "{}", e.reason_zh);
    let low = [Observation::rate(2021, 6.0), Observation::rate(2022, 2.0)];
    let e = evaluate(&s, &low, 2022, &Params::default(), Some(&gdp));
    assert_eq!(e.status, Status::Lagging);
    let none = evaluate(&s, &inc, 2022, &Params::default(), None);
    assert_eq!(none.status, Status::NotAssessable);
    assert!(none.reason_zh.contains("缺少参照指标"));
}

#[test]
fn relative_from_levels_with_a_gap() {
    // Income levels of 2020 and 2022 only: 10 % over two years against GDP 5 % a year.
    let gdp = [Observation::rate(2021, 5.0), Observation::rate(2022, 5.0)];
    let s = relative(
        "居民人均可支配收入",
        "与GDP增长基本同步",
        Comparator::Approx,
    );
    let inc = [
        Observation::level(2020, 30000.0),
        Observation::level(2022, 33075.0),
    ];
    let e = evaluate(&s, &inc, 2022, &Params::default(), Some(&gdp));
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    assert!(near(e.actual.unwrap(), 5.0, 1e-9));
}

#[test]
fn relative_higher_than_gdp() {
    let gdp = [Observation::rate(2021, 8.4), Observation::rate(2022, 3.0)];
    let s = relative("全员劳动生产率增长", "高于GDP增长", Comparator::Gt);
    let lp = [Observation::rate(2021, 8.7), Observation::rate(2022, 4.2)];
    let e = evaluate(&s, &lp, 2022, &Params::default(), Some(&gdp));
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    let lp = [Observation::rate(2021, 8.0), Observation::rate(2022, 2.9)];
    assert_eq!(
        evaluate(&s, &lp, 2022, &Params::default(), Some(&gdp)).status,
        Status::Lagging
    );
    let lp = [Observation::rate(2021, 2.0), Observation::rate(2022, 1.0)];
    assert_eq!(
        evaluate(&s, &lp, 2022, &Params::default(), Some(&gdp)).status,
        Status::SeverelyLagging
    );
}

#[test]
fn multiple_of_the_base() {
    let mut t = q(
        "翻一番",
        QuantityKind::Relative,
        Some(2.0),
        Some(Comparator::Eq),
    );
    t.reference = Some("基期".into());
    let s = subject("经济总量", "亿元", none(), t, none());
    let e = ev(
        &s,
        &[
            Observation::level(2020, 100.0),
            Observation::level(2022, 115.0),
        ],
        2022,
    );
    assert_eq!(e.status, Status::Lagging, "{}", e.reason_zh);
    assert!(near(e.expected.unwrap(), 131.95, 0.01));
    let e = ev(&s, &[Observation::level(2022, 125.0)], 2022);
    assert_eq!(e.status, Status::NotAssessable);
}

// ---------- not assessable ----------

#[test]
fn delegated_qualitative_empty_and_no_data() {
    let mut d = q(
        "控制在自治区下达指标内",
        QuantityKind::Delegated,
        None,
        None,
    );
    d.reference = Some("自治区".into());
    let s = subject("单位地区生产总值能源消耗降低", "%", none(), d.clone(), d);
    let e = ev(&s, &[Observation::rate(2021, 3.0)], 2022);
    assert_eq!(e.status, Status::NotAssessable);
    assert!(e.reason_zh.contains("目标由自治区下达"), "{}", e.reason_zh);
    assert_eq!(e.status.code(), "not_assessable");

    let qual = q(
        "保持在合理区间、各年度视情提出",
        QuantityKind::Qualitative,
        None,
        None,
    );
    let s = subject("地区生产总值增长", "%", lv(0.3), none(), qual);
    let e = ev(&s, &[Observation::rate(2021, 6.0)], 2022);
    assert_eq!(e.status, Status::NotAssessable);
    assert!(e.reason_zh.contains("定性目标"));

    let s = subject("能源综合生产能力", "亿吨标准煤", none(), none(), none());
    assert_eq!(ev(&s, &[], 2022).status, Status::NotAssessable);

    let e = ev(&patent(), &[], 2022);
    assert_eq!(e.status, Status::NotAssessable);
    assert!(e.reason_zh.contains("无实际数据"));
    assert_eq!(
        ev(&patent(), &[Observation::level(2020, 6.3)], 2020).status,
        Status::NotAssessable
    );
    // Data only after the evaluation year does not count.
    assert_eq!(
        ev(&patent(), &[Observation::level(2024, 11.0)], 2022).status,
        Status::NotAssessable
    );
}

// ---------- data handling ----------

#[test]
fn latest_revision_wins_in_any_order() {
    let obs = [
        Observation::level(2022, 9.0).revised(1),
        Observation::level(2022, 8.0),
        Observation::level(2022, 9.4).revised(2),
        Observation::level(2022, 7.0).revised(1),
    ];
    let e = ev(&patent(), &obs, 2022);
    assert_eq!(e.actual, Some(9.4));
    assert!(
        e.reason_zh.contains("2022年数据采用最新修订值"),
        "{}",
        e.reason_zh
    );
    // The newest revision first, an older one after: still the newest, still said.
    let obs = [
        Observation::level(2022, 9.4).revised(2),
        Observation::level(2022, 8.0),
    ];
    let e = ev(&patent(), &obs, 2022);
    assert_eq!(e.actual, Some(9.4));
    assert!(e.reason_zh.contains("修订值"));
    // Same revision: the later entry wins.
    let obs = [Observation::level(2022, 8.0), Observation::level(2022, 9.4)];
    assert_eq!(ev(&patent(), &obs, 2022).actual, Some(9.4));
}

#[test]
fn missing_evaluation_year_uses_latest_and_says_so() {
    let e = ev(&patent(), &[Observation::level(2022, 9.4)], 2023);
    assert_eq!(e.actual_year, Some(2022));
    assert!(
        e.reason_zh.contains("缺2023年数据，采用最新的2022年数据"),
        "{}",
        e.reason_zh
    );
    assert!(e.reason_en.contains("no data for 2023"));
}

#[test]
fn projection_from_one_point_and_trend() {
    let e = ev(&patent(), &[Observation::level(2022, 9.4)], 2022);
    let p = e.projection.unwrap();
    assert_eq!(p.year, 2025);
    assert_eq!(p.remaining_years, 3);
    assert!(near(p.end_value.unwrap(), 14.05, 1e-9));
    assert_eq!(p.reaches_target, Some(true));
    assert!(near(p.required_annual_change.unwrap(), 0.8667, 1e-3));
}

#[test]
fn direction_heuristic_and_override() {
    assert_eq!(
        direction_from_name("城镇调查失业率"),
        Direction::LowerIsBetter
    );
    assert_eq!(
        direction_from_name("单位GDP二氧化碳排放降低"),
        Direction::LowerIsBetter
    );
    assert_eq!(direction_from_name("森林覆盖率"), Direction::HigherIsBetter);
    assert!(is_reduction_name("单位GDP能源消耗降低"));
    let s = subject(
        "某指标",
        "%",
        none(),
        lvc("4左右", 4.0, Comparator::Approx),
        none(),
    );
    let mut p = Params::default();
    p.direction_overrides
        .insert("某指标".into(), Direction::LowerIsBetter);
    let e = evaluate(&s, &[Observation::level(2022, 3.0)], 2022, &p, None);
    assert_eq!(e.status, Status::OnTrack, "{}", e.reason_zh);
    let e = ev(&s, &[Observation::level(2022, 3.0)], 2022);
    assert_eq!(e.status, Status::SeverelyLagging, "{}", e.reason_zh);
}

#[test]
fn every_status_has_code_and_label() {
    let all = [
        Status::Achieved,
        Status::Ahead,
        Status::OnTrack,
        Status::Lagging,
        Status::SeverelyLagging,
        Status::NotAssessable,
    ];
    let codes: Vec<_> = all.iter().map(|s| s.code()).collect();
    assert_eq!(
        codes,
        [
            "achieved",
            "ahead",
            "on_track",
            "lagging",
            "severely_lagging",
            "not_assessable"
        ]
    );
    let zh: Vec<_> = all.iter().map(|s| s.zh()).collect();
    assert_eq!(
        zh,
        [
            "已完成",
            "快于预期",
            "符合预期",
            "滞后",
            "严重滞后",
            "无法评估"
        ]
    );
}

// ---------- a rate held each year (the 年均/累计 column of 城镇调查失业率) ----------

#[test]
fn held_rate_is_a_ceiling_each_year_not_a_growth_rate() {
    let held = Quantity {
        held: true,
        ..lvc("＜5.5", 5.5, Comparator::Lt)
    };
    let s = subject("城镇调查失业率", "%", lv(5.2), none(), held);
    // 5.9 is above the ceiling: lagging, and said as a level, never "13% growth".
    let e = ev(&s, &[Observation::level(2022, 5.9)], 2022);
    assert!(
        matches!(e.status, Status::Lagging | Status::SeverelyLagging),
        "{e:?}"
    );
    assert!(!e.reason_zh.contains("增长"), "{}", e.reason_zh);
    assert!(e.reason_zh.contains("5.5"), "{}", e.reason_zh);
    let e = ev(
        &s,
        &[Observation::level(2021, 5.1), Observation::level(2022, 5.3)],
        2022,
    );
    assert_eq!(e.status, Status::OnTrack, "{e:?}");
}
