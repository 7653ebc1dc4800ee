//! Plans of the genre beyond the reference five: layouts and phrasings an adversarial review
//! found mishandled, each kept here as a small fixture with its expected reading.

mod common;

use common::{q, rows, target};
use guihua_parse::parse_text;

#[test]
fn tab_rows_with_digits_in_names_blank_categories_and_empty_cells() {
    let plan = parse_text(
        "专栏1 主要指标\n类别\t指标\t2020年\t2025年\t年均/累计\t属性\n\
         生态\tPM2.5平均浓度（微克/立方米）\t38\t35\t—\t约束性\n\
         \t每万人拥有5G基站数（个）\t10\t25\t\t预期性\n\
         \t地表水达到或好于III类水体比例（%）\t80\t85\t—\t约束性\n",
    );
    assert_eq!(
        rows(&plan),
        [
            "|生态|PM2.5平均浓度|微克/立方米|约束性|level:38:eq|level:35:eq|none|",
            "|生态|每万人拥有5G基站数|个|预期性|level:10:eq|level:25:eq|none|",
            "|生态|地表水达到或好于III类水体比例|%|约束性|level:80:eq|level:85:eq|none|",
        ]
    );
}

#[test]
fn seq_before_category_with_a_unit_column() {
    let plan = parse_text(
        "专栏1 “十三五”主要指标\n序号\t类别\t指标\t单位\t2015年\t2020年\t年均增长\t属性\n\
         1\t经济发展\t地区生产总值\t亿元\t98.7\t150\t8.5\t预期性\n\
         2\t\t一般公共预算收入\t亿元\t6.2\t9.1\t8\t预期性\n",
    );
    assert_eq!(
        rows(&plan),
        [
            "1|经济发展|地区生产总值|亿元|预期性|level:98.7:eq|level:150:eq|growth:8.5:eq|",
            "2|经济发展|一般公共预算收入|亿元|预期性|level:6.2:eq|level:9.1:eq|growth:8:eq|",
        ]
    );
    assert_eq!(plan.indicators[1].base.year, Some(2015));
}

#[test]
fn work_report_past_year_and_new_units() {
    let plan = parse_text(
        "过去一年，全市地区生产总值增长5.8%。\n\
         2025年主要预期目标是：粮食产量稳定在52亿斤以上；PM2.5平均浓度控制在35微克/立方米以内；居民收入增长和经济增长同步。\n",
    );
    let t: Vec<String> = plan.targets.iter().map(target).collect();
    assert_eq!(
        t,
        [
            "粮食产量|level:52:ge|亿斤|2025",
            "PM2.5平均浓度|level:35:le|微克/立方米|2025",
            "居民收入|relative:eq@经济增长||2025",
        ]
    );
}

#[test]
fn change_since_the_base_year_is_cumulative() {
    let plan = parse_text("第二章 发展目标\n到2025年，全社会研发投入比2020年增长50%。\n");
    assert_eq!(plan.targets.len(), 1);
    assert_eq!(plan.targets[0].subject, "全社会研发投入");
    assert_eq!(q(&plan.targets[0].quantity), "cumulative:50:eq");
}

#[test]
fn a_review_heading_that_also_sets_goals() {
    let plan = parse_text(
        "第一篇 发展基础与总体要求\n第一章 发展目标\n到2025年，地区生产总值达到150亿元。\n",
    );
    assert_eq!(plan.targets.len(), 1);
}

#[test]
fn box_items_one_per_line_and_in_parentheses() {
    let plan = parse_text(
        "第五章 基础设施\n专栏3 交通重点项目\n（1）铁路：东海至南港城际铁路，线路长62公里，总投资85亿元。\n（2）机场：东海通用机场，总投资2亿元。\n\
         专栏4 能源重点项目\n1．东海光伏发电项目，投资45亿元。 2．110千伏输变电工程。\n",
    );
    let names: Vec<&str> = plan.projects.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "东海至南港城际铁路",
            "东海通用机场",
            "东海光伏发电项目",
            "110千伏输变电工程"
        ]
    );
    let inv = plan.projects[0].investment.as_ref().expect("investment");
    assert_eq!((inv.value, inv.unit.as_str()), (85.0, "亿元"));
}
