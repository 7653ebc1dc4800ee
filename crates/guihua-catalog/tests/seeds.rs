//! Every indicator of the three seed indicator tables maps to the right catalogue id.

use std::path::PathBuf;

fn seed(prefix: &str) -> guihua_model::Plan {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seeds"
    ));
    let entry = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("seed directory {} missing: {e}", dir.display()))
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("seed {prefix} missing in {}", dir.display()));
    let read = guihua_read::read_path(&entry.path()).expect("seed readable");
    guihua_parse::parse_document(&read.document)
}

fn check(prefix: &str, expected: &[(&str, &str)]) {
    let plan = seed(prefix);
    let mut got = Vec::new();
    for ind in &plan.indicators {
        let m = guihua_catalog::match_name(&ind.name, ind.unit.as_deref());
        got.push((ind.name.clone(), m.map(|m| (m.id, m.confidence))));
    }
    for (name, id) in expected {
        let found = got
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{prefix}: no indicator named {name}; have {got:?}"));
        let (gid, conf) = found
            .1
            .unwrap_or_else(|| panic!("{prefix}: {name} unmatched"));
        assert_eq!(gid, *id, "{prefix}: {name}");
        assert!(conf >= 0.9, "{prefix}: {name} only {conf}");
    }
    // Nothing else in the table goes unmatched.
    let unmatched: Vec<_> = got.iter().filter(|(_, m)| m.is_none()).collect();
    assert!(
        unmatched.iter().all(|(n, _)| n == "城镇就业"),
        "{prefix}: unmatched {unmatched:?}"
    );
}

const COMMON: &[(&str, &str)] = &[
    ("地区生产总值增长", "gdp_growth"),
    ("全员劳动生产率增长", "labour_productivity_growth"),
    ("全社会研发经费投入增长", "rd_growth"),
    ("居民人均可支配收入增长", "disposable_income_growth"),
    ("劳动年龄人口平均受教育年限", "schooling_years"),
    ("基本养老保险参保率", "pension_coverage"),
    ("人均预期寿命", "life_expectancy"),
    (
        "单位地区生产总值二氧化碳排放降低",
        "carbon_intensity_reduction",
    ),
    ("森林覆盖率", "forest_coverage"),
    ("粮食综合生产能力", "grain_capacity"),
    ("能源综合生产能力", "energy_capacity"),
];

#[test]
fn urumqi_001() {
    check("001", COMMON);
    check(
        "001",
        &[
            ("数字经济增加值占地区生产总值比例", "digital_economy_share"),
            ("每千人口拥有执业(助理)医师数", "doctors_per_1000"),
            ("每千人口拥有3岁以下婴幼儿托位数", "childcare_per_1000"),
            ("单位地区生产总值能源消耗降低", "energy_intensity_reduction"),
            ("空气质量优良天数比率", "air_quality_good_days"),
            ("地表水达到或好于Ⅲ类水体比例", "surface_water_class3"),
        ],
    );
}

#[test]
fn yiwu_002() {
    check("002", COMMON);
    check(
        "002",
        &[
            ("常住人口城镇化率", "urbanization_rate"),
            ("每万人口高价值发明专利拥有量", "high_value_patents_per_10k"),
            (
                "战略性新兴产业增加值占地区生产总值比例",
                "strategic_emerging_share",
            ),
            ("城镇调查失业率", "surveyed_unemployment"),
            ("每千人拥有3岁以下婴幼儿托位数", "childcare_per_1000"),
            ("单位地区生产总值能源消耗降低", "energy_intensity_reduction"),
        ],
    );
}

#[test]
fn tacheng_003() {
    check("003", COMMON);
    check(
        "003",
        &[
            ("常住人口城镇化率", "urbanization_rate"),
            ("每万人口发明专利拥有量", "patents_per_10k"),
            ("城镇新增就业人数", "new_urban_jobs"),
            ("城镇登记失业率", "registered_unemployment"),
            ("学前教育毛入园率", "preschool_enrolment"),
            ("单位地区生产总值能耗降低率", "energy_intensity_reduction"),
            (
                "行署所在地城市空气质量优良天数比率",
                "air_quality_good_days",
            ),
        ],
    );
}
