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

/// A PDF converted without layout: one cell per line, no blank lines, long cells cut at
/// the column width, a category label in pieces with its count, header cells wrapped, the
/// header printed again after a page footer, an estimate mark explained in a note.
const PDF_CELL_PER_LINE: &str = "第二章 发展目标
表1 “十五五”时期经济社会发展主要指标
类别
序号
指标
2025年
完成情况
2030年
目标
年均/
累计
属性
创新
发展
（3项）
1
全社会研发经费投入
强度（%）
3.1
3.5
—
预期性
2
每万人口高价值发明专
利拥有量（件）
12∗
20
—
预期性
3
数字经济核心产业增加
值占比（%）
10
15
—
预期性
经济
发展
4
地区生产总值增长（%）
6.0
—
4.5-5，
努力争取
更好结果
预期性
— 9 —
类别
序号
指标
2025年
完成情况
2030年
目标
年均/
累计
属性
5
城镇调查失业率（%）
5.2
—
＜5.5
预期性
6
单位地区生产总值能耗降
低（%）
〔13.5〕
—
完成省下达
目标
约束性
注：带∗的为2024年数据。
第三章 创新驱动
";

#[test]
fn pdf_one_cell_per_line() {
    let plan = parse_text(PDF_CELL_PER_LINE);
    assert_eq!(
        common::rows_x(&plan),
        [
            "1|创新发展|全社会研发经费投入强度|%|预期性|level:3.1:eq|level:3.5:eq|none|",
            "2|创新发展|每万人口高价值发明专利拥有量|件|预期性|level:12:eq[est]|level:20:eq|none|",
            "3|创新发展|数字经济核心产业增加值占比|%|预期性|level:10:eq|level:15:eq|none|",
            "4|经济发展|地区生产总值增长|%|预期性|level:6:eq|none|growth:4.5-5:range|",
            "5|经济发展|城镇调查失业率|%|预期性|level:5.2:eq|none|level:5.5:lt[held]|",
            "6|经济发展|单位地区生产总值能耗降低|%|约束性|cumulative:13.5:eq|none|delegated@省|",
        ]
    );
    // "带∗的为2024年数据": the starred base is a 2024 figure.
    assert_eq!(plan.indicators[1].base.year, Some(2024));
    assert_eq!(plan.indicators[0].base.year, Some(2025));
    assert_eq!(plan.indicators[3].pace.text, "4.5-5，努力争取更好结果");
    assert!(
        !plan
            .diagnostics
            .iter()
            .any(|d| d.code.starts_with("table-")),
        "{:?}",
        plan.diagnostics
    );
}

/// A PDF converted with `-layout`: cells placed under their columns, a long name going on
/// under itself, category labels centred over their rows in pieces, a wrapped value, the
/// header again after the page footer.
const PDF_LAYOUT: &str = "第二章 发展目标
                    表1 “十五五”时期经济社会发展主要指标

  类别    序号   指标                              单位      2025年    2030年     年均/累计     属性
          1      地区生产总值增长                  %         5.5       —          5左右         预期性
  经济    2      全员劳动生产率                    万元/人   28        36         —             预期性
  发展    3      数字经济核心产业增加值占地区      %         10        15         —             预期性
                 生产总值比重
          4      城镇调查失业率                    %         5.2       —          ＜5.5         预期性
  民生    5      居民人均可支配收入增长            %         5.0       —          与经济增长    预期性
  福祉                                                                            同步
          6      人均预期寿命                      岁        79        80         〔1〕         预期性

                                          — 9 —

  类别    序号   指标                              单位      2025年    2030年     年均/累计     属性
  绿色    7      单位地区生产总值能耗降低          %         —         —          完成省下达    约束性
  生态                                                                            目标
注：〔〕内为五年累计数。
第三章 创新驱动
";

#[test]
fn pdf_layout_columns() {
    let plan = parse_text(PDF_LAYOUT);
    assert_eq!(
        common::rows_x(&plan),
        [
            "1|经济发展|地区生产总值增长|%|预期性|level:5.5:eq|none|growth:5:approx|",
            "2|经济发展|全员劳动生产率|万元/人|预期性|level:28:eq|level:36:eq|none|",
            "3|经济发展|数字经济核心产业增加值占地区生产总值比重|%|预期性|level:10:eq|level:15:eq|none|",
            "4|民生福祉|城镇调查失业率|%|预期性|level:5.2:eq|none|level:5.5:lt[held]|",
            "5|民生福祉|居民人均可支配收入增长|%|预期性|level:5:eq|none|relative:eq@经济增长|",
            "6|民生福祉|人均预期寿命|岁|预期性|level:79:eq|level:80:eq|cumulative:1:eq|",
            "7|绿色生态|单位地区生产总值能耗降低|%|约束性|none|none|delegated@省|",
        ]
    );
    assert_eq!(plan.indicator_notes.len(), 1);
    assert!(
        !plan
            .diagnostics
            .iter()
            .any(|d| d.code.starts_with("table-")),
        "{:?}",
        plan.diagnostics
    );
}

#[test]
fn never_silent_about_what_was_not_read() {
    // Rows lost from a table: its numbering says so.
    let lost: String = PDF_LAYOUT
        .lines()
        .filter(|l| !l.contains("全员劳动生产率") && !l.contains("人均预期寿命"))
        .collect::<Vec<_>>()
        .join("\n");
    let plan = parse_text(&lost);
    let d = plan
        .diagnostics
        .iter()
        .find(|d| d.code == "table-rows-missing")
        .expect("rows missing");
    assert_eq!(
        d.message,
        "indicator table: rows are numbered up to 7 but 2 of them were not read (numbers 2, 6)"
    );
    assert_eq!(d.line, Some(2));
    // Category counts: "创新发展（3项）" with two rows read.
    let short = PDF_CELL_PER_LINE.replacen(
        "3\n数字经济核心产业增加\n值占比（%）\n10\n15\n—\n预期性\n",
        "",
        1,
    );
    let plan = parse_text(&short);
    assert!(
        plan.diagnostics
            .iter()
            .any(|d| d.code == "table-rows-missing"
                && d.message
                    .contains("创新发展 announces 3 indicators but 2 were read")),
        "{:?}",
        plan.diagnostics
    );
    // The table summary: rows read, and what the categories announce.
    let (_, tables) =
        guihua_parse::parse_document_with_tables(&guihua_model::Document::from_text(&short));
    assert_eq!(
        tables,
        [guihua_parse::TableSummary {
            line: 2,
            caption: Some("表1 “十五五”时期经济社会发展主要指标".into()),
            indicators: 5,
            review: 0,
            // Only 创新发展 states a count.
            announced: Some(3),
        }]
    );
    // A caption whose table cannot be read at all.
    let plan = parse_text("第二章 发展目标\n表1 主要指标\n（见附件，另行印发）\n第三章 创新\n");
    let d = plan
        .diagnostics
        .iter()
        .find(|d| d.code == "table-unread")
        .expect("unread");
    assert_eq!(d.line, Some(2));
    // No table anywhere: said, with the line that mentions one.
    let plan =
        parse_text("第二章 发展目标\n主要指标见下文说明，到2030年地区生产总值达到100亿元。\n");
    assert!(plan.indicators.is_empty());
    let d = plan
        .diagnostics
        .iter()
        .find(|d| d.code == "no-indicator-table")
        .expect("no table");
    assert_eq!(d.line, Some(2));
    // A text cut off mid-sentence.
    let plan =
        parse_text("第一章 总则\n到2030年，全市地区生产总值年均增长5%左右，居民收入增长和经济");
    assert!(plan
        .diagnostics
        .iter()
        .any(|d| d.code == "document-truncated" && d.line == Some(2)));
    let plan = parse_text("第一章 总则\n到2030年，全市地区生产总值年均增长5%左右。\n");
    assert!(!plan
        .diagnostics
        .iter()
        .any(|d| d.code == "document-truncated"));
}

#[test]
fn contents_with_dot_leaders_and_a_body_that_stops() {
    let plan = parse_text(
        "某县国民经济和社会发展第十五个五年规划纲要\n\
         第一章 发展基础……………………1\n第二章 总体要求……………………5\n第三章 产业发展……………………9\n\
         第四章 城乡融合……………………12\n第五章 生态文明……………………15\n第六章 规划实施……………………18\n\
         第一章 发展基础\n正文。\n第二章 总体要求\n正文。\n第三章 产业发展\n正文。\n第四章 城乡融合\n正文。\n",
    );
    assert_eq!(plan.count(guihua_model::Level::Chapter), 4);
    assert_eq!(plan.node("c2").map(|n| n.title.as_str()), Some("总体要求"));
    let d = plan
        .diagnostics
        .iter()
        .find(|d| d.code == "document-truncated")
        .expect("truncated");
    assert!(
        d.message.contains("2 heading(s) from 第五章 生态文明"),
        "{}",
        d.message
    );
}

/// A table laid out by position with its header spread ("指  标") over two lines ("2025年"
/// over "基期值"), category labels with counts one space from the row number ("（6项） 5"),
/// and long names going on below.
const LAYOUT_TWO_LINE_HEADER: &str = "第二章 发展目标
                                              - 1 -
                          专栏1  宜章县“十五五”时期经济社会发展主要指标

  类别    序号    指  标                            单位      2025年      2030年      年均增长      属性
                                                              基期值      目标值      〔累计〕
          1       地区生产总值                      亿元      268.4       360         6左右         预期性
          2       规模以上工业增加值增长            %         7.5         —          6.5           预期性
  经济    3       固定资产投资增长                  %         5.1         —          5             预期性
  发展    4       社会消费品零售总额                亿元      112.6       150         6             预期性
  （6项） 5       全社会研究与试验发展经费投入      %         1.62        2.2         〔0.58〕      预期性
                  强度
          6       常住人口城镇化率                  %         51.2        56          〔4.8〕       预期性
          7       居民人均可支配收入增长            %         6.5         —          与经济增长    预期性
  民生                                                                                同步
  福祉    8       城镇调查失业率                    %         5.5         <5.5        —            预期性
  （4项） 9       每千人口拥有3岁以下婴幼儿托       个        3.2         4.5         —            预期性
                  位数
          10      人均预期寿命                      岁        78.2        79          〔0.8〕       预期性
          11      单位地区生产总值能源消耗降低      %         —          —          完成市下达    约束性
  绿色                                                                                目标
  生态    12      单位地区生产总值二氧化碳排放      %         —          —          完成市下达    约束性
  （4项）         降低                                                                目标
          13      空气质量优良天数比率              %         95.6        ≥95        —            约束性
          14      森林覆盖率                        %         68.1        68.2        —            约束性
  安全    15      粮食综合生产能力                  万吨      23.8        24          —            约束性
  保障    16      耕地保有量                        万亩      52.3        完成市下达  —            约束性
  （2项）                                                                 任务

    注：1.地区生产总值绝对值按现价计算，增速按可比价计算。2.〔〕内为五年累计数。

                                              - 2 -
                                          第二篇  产业发展

                                      第三章  建设现代产业体系

第三章 产业发展
";

#[test]
fn layout_table_with_a_two_line_header_and_counted_categories() {
    let plan = parse_text(LAYOUT_TWO_LINE_HEADER);
    let rows = common::rows_x(&plan);
    assert_eq!(rows.len(), 16, "{rows:#?}");
    assert_eq!(
        rows[0],
        "1|经济发展|地区生产总值|亿元|预期性|level:268.4:eq|level:360:eq|growth:6:approx|"
    );
    assert_eq!(rows[4], "5|经济发展|全社会研究与试验发展经费投入强度|%|预期性|level:1.62:eq|level:2.2:eq|cumulative:0.58:eq|");
    assert_eq!(
        rows[7],
        "8|民生福祉|城镇调查失业率|%|预期性|level:5.5:eq|level:5.5:lt|none|"
    );
    assert_eq!(
        rows[13],
        "14|绿色生态|森林覆盖率|%|约束性|level:68.1:eq|level:68.2:eq|none|"
    );
    assert_eq!(
        rows[15],
        "16|安全保障|耕地保有量|万亩|约束性|level:52.3:eq|delegated@市|none|"
    );
    assert_eq!(plan.indicators[0].base.year, Some(2025));
    assert!(
        !plan
            .diagnostics
            .iter()
            .any(|d| d.code.starts_with("table-")),
        "{:?}",
        plan.diagnostics
    );
}

/// A table with neither category nor number columns, cells placed by position.
const TARGET_ONLY: &str = "第二章 发展目标
表1  宝鸡市“十五五”时期经济社会发展主要指标

指  标                                            2030年目标        属性
地区生产总值年均增长（%）                         5.5-6             预期性
人均地区生产总值（万元）                          ＞10              预期性
规模以上工业增加值年均增长（%）                   力争7             预期性
全社会研究与试验发展经费投入强度（%）             ≥2.5             预期性
数字经济核心产业增加值占地区生产总值比重（%）     10左右            预期性
常住人口城镇化率（%）                             62*               预期性
居民人均可支配收入年均增长（%）                   与经济增长同步    预期性
城镇调查失业率（%）                               ＜5.5             预期性
城镇新增就业人数（万人）                          〔15〕            预期性
劳动年龄人口平均受教育年限（年）                  稳中有升          约束性
每千人口拥有执业（助理）医师数（人）              3.8*              预期性
单位地区生产总值能源消耗降低（%）                 完成省下达任务    约束性
单位地区生产总值二氧化碳排放降低（%）             完成省下达任务    约束性
空气质量优良天数比率（%）                         ≥85              约束性
森林覆盖率（%）                                   稳中有升          约束性
粮食综合生产能力（万吨）                          稳定在150以上     约束性

注：带*为预计数；〔〕内为五年累计数。
第三章 建设先进制造业强市
";

#[test]
fn target_only_table_without_numbers() {
    let plan = parse_text(TARGET_ONLY);
    assert_eq!(
        common::rows_x(&plan),
        [
            "||地区生产总值年均增长|%|预期性|none|growth:5.5-6:range|none|",
            "||人均地区生产总值|万元|预期性|none|level:10:gt|none|",
            "||规模以上工业增加值年均增长|%|预期性|none|growth:7:eq|none|",
            "||全社会研究与试验发展经费投入强度|%|预期性|none|level:2.5:ge|none|",
            "||数字经济核心产业增加值占地区生产总值比重|%|预期性|none|level:10:approx|none|",
            "||常住人口城镇化率|%|预期性|none|level:62:eq[est]|none|",
            "||居民人均可支配收入年均增长|%|预期性|none|relative:eq@经济增长|none|",
            "||城镇调查失业率|%|预期性|none|level:5.5:lt|none|",
            "||城镇新增就业人数|万人|预期性|none|cumulative:15:eq|none|",
            "||劳动年龄人口平均受教育年限|年|约束性|none|qualitative|none|",
            "||每千人口拥有执业（助理）医师数|人|预期性|none|level:3.8:eq[est]|none|",
            "||单位地区生产总值能源消耗降低|%|约束性|none|delegated@省|none|",
            "||单位地区生产总值二氧化碳排放降低|%|约束性|none|delegated@省|none|",
            "||空气质量优良天数比率|%|约束性|none|level:85:ge|none|",
            "||森林覆盖率|%|约束性|none|qualitative|none|",
            "||粮食综合生产能力|万吨|约束性|none|level:150:ge|none|",
        ]
    );
}

#[test]
fn markdown_table_with_category_rows_and_emphasis() {
    let plan = parse_text(
        "第二章 发展目标\n表1 主要指标\n| 序号 | 指标 | 单位 | 2025年 | 2030年 | 属性 |\n| --- | --- | --- | --- | --- | --- |\n\
         | **一、经济发展（2项）** | | | | | |\n| 1 | 一般公共预算收入 | 亿元 | 312 | 380 | 预期性 |\n\
         | 2 | 规模以上工业增加值增长 | % | 5.5 | 6 | 预期性 |\n| **二、城市品质（1项）** | | | | | |\n\
         | 3 | 轨道交通运营里程 | 公里 | 112 | 140 | 预期性 |\n",
    );
    assert_eq!(
        common::rows_x(&plan),
        [
            "1|经济发展|一般公共预算收入|亿元|预期性|level:312:eq|level:380:eq|none|",
            "2|经济发展|规模以上工业增加值增长|%|预期性|level:5.5:eq|level:6:eq|none|",
            "3|城市品质|轨道交通运营里程|公里|预期性|level:112:eq|level:140:eq|none|",
        ]
    );
}
