//! The development corpus: real 十五五 outlines that are not reference plans (Shanghai and
//! Guangzhou as web page and as its text rendering, Nanjing as text with space-separated
//! table columns). Expected values were written by reading the documents (every row of
//! every indicator table, the outline counts, a sample of prose targets); the same plan as
//! web page and as text must give the same rows.

mod common;

use common::{corpus, review_x, rows_x, target};
use guihua_model::{Level, Plan};

fn counts(p: &Plan) -> [usize; 5] {
    [
        p.count(Level::Part),
        p.count(Level::Chapter),
        p.count(Level::Section),
        p.count(Level::Box),
        p.count(Level::Preface),
    ]
}

fn codes(p: &Plan) -> Vec<&'static str> {
    p.diagnostics.iter().map(|d| d.code).collect()
}

/// The targets of one outline section, as "subject|quantity|unit|year".
fn targets_in(p: &Plan, section: &str) -> Vec<String> {
    p.targets
        .iter()
        .filter(|t| t.section.as_deref() == Some(section))
        .map(target)
        .collect()
}

fn has_target(p: &Plan, t: &str) -> bool {
    p.targets.iter().any(|x| target(x) == t)
}

const SHANGHAI_ROWS: &[&str] = &[
    "1||地区生产总值年均增速|%|预期性|none|none|growth:5:approx|",
    "2||全员劳动生产率|万元/人|预期性|none|level:52:gt|none|",
    "3||数字经济核心产业增加值占地区生产总值比重|%|预期性|none|level:20:gt|none|",
    "4||金融市场交易总额|万亿元|预期性|none|level:4500:gt|none|",
    "5||服务贸易进出口额|亿美元|预期性|none|level:3000:gt|none|",
    "6||航空货邮年吞吐量|万吨|预期性|none|level:470:approx|none|",
    "7||全社会研发经费支出相当于地区生产总值比例|%|预期性|none|level:5:gt|none|",
    "8||每万人口高价值发明专利拥有量|件|预期性|none|level:85:approx|none|",
    "9||主要劳动年龄人口受过高等教育的比例|%|预期性|none|level:60:approx|none|",
    "10||城镇调查失业率|%|预期性|none|none|level:5:lt[held]|",
    "11||全市居民人均可支配收入年均增速|%|预期性|none|none|relative:eq@经济增长|",
    "12||新增供应保障性租赁住房|万套（间）|预期性|none|none|cumulative:25-27:range|",
    "13||养老机构护理型床位占比|%|预期性|none|level:75:gt|none|",
    "14||社区公共服务设施15分钟步行可达覆盖率|%|预期性|none|level:95:eq|none|",
    "15||单位生产总值二氧化碳排放降低|%|约束性|none|none|delegated@国家|",
    "16||非化石能源占能源消费总量比重|%|约束性|none|none|delegated@国家|",
    "17||细颗粒物（PM2.5）浓度|微克/立方米|约束性|none|delegated@国家|none|",
    "18||地表水优良水体比例|%|约束性|none|delegated@国家|none|",
    "19||生活垃圾回收利用率|%|约束性|none|level:50:eq|none|",
    "20||单位生产总值生产安全事故死亡率|人/亿元|约束性|none|level:0.006:lt|none|",
];

const GUANGZHOU_ROWS: &[&str] = &[
    "1|经济发展|地区生产总值年均增长|%|预期性|growth:4:eq[2021-2025]|growth:5:approx[2026-2030]|none|",
    "2|经济发展|全员劳动生产率|万元/人|预期性|level:28:eq|level:36:eq|none|",
    "3|经济发展|工业总产值|万亿元|预期性|level:2.5:eq|level:3:eq|none|",
    "4|经济发展|“15+8”产业增加值占地区生产总值比重|%|预期性|level:58.6:eq|level:67.5:eq|none|",
    "5|经济发展|数字经济核心产业增加值占地区生产总值比重|%|预期性|level:15:eq|level:18:eq|none|",
    "6|经济发展|社会消费品零售总额年均增长|%|预期性|growth:4.1:eq[2021-2025]|growth:5:approx[2026-2030]|none|",
    "7|经济发展|海洋生产总值|亿元|预期性|level:5231:eq|level:7300:eq|none|",
    "8|科技创新|全社会研发经费支出占地区生产总值比重|%|预期性|level:3.4:eq|level:4:approx|none|",
    "9|科技创新|企业研发经费支出占全社会研发经费支出比重|%|预期性|level:66:eq|level:70:eq|none|",
    "10|科技创新|每万人高价值发明专利拥有量|件|预期性|level:43.9:eq|level:60:eq|none|",
    "11|对外开放|商品进出口总值年均增长|%|预期性|growth:5.4:eq[2021-2025]|growth:6:approx[2026-2030]|none|",
    "12|对外开放|服务外包合同执行额|亿美元|预期性|level:200:eq|level:240:eq|none|",
    "13|对外开放|机场旅客/货邮吞吐量|万人次/万吨|预期性|level:eq[8358/244]|level:eq[11000/350]|none|",
    "14|对外开放|港口货物/集装箱吞吐量|亿吨/万标箱|预期性|level:eq[6.99/2805]|level:eq[7.4/3100]|none|",
    "15|绿色低碳|单位地区生产总值二氧化碳排放降低|%|约束性|cumulative:-8.2:eq[2021-2024]|delegated@省|none|",
    "16|绿色低碳|细颗粒物（PM2.5）年均浓度|微克/立方米|约束性|level:21.5:eq|level:20:le|none|",
    "17|绿色低碳|地表水优良水体比例|%|约束性|level:100:eq|delegated@省|none|",
    "18|绿色低碳|森林覆盖率|%|约束性|level:41.65:eq|delegated@省|none|",
    "19|民生福祉|常住人口城镇化率|%|预期性|level:87.56:eq|level:88:eq|none|",
    "20|民生福祉|累计城镇新增就业人数|万人|预期性|cumulative:160:eq[2021-2025]|delegated@省|none|",
    "21|民生福祉|常住居民人均可支配收入年均增速|%|预期性|growth:5:eq[2021-2025]|relative:eq@经济增长|none|",
    "22|民生福祉|城乡居民人均可支配收入比值||预期性|level:1.99:eq|level:1.9:eq|none|",
    "23|民生福祉|普通高中入学率|%|预期性|level:57.61:eq|level:70:ge|none|",
    "24|民生福祉|每千人口拥有执业（助理）医师数|人|预期性|level:4.45:eq|level:4.5:eq|none|每千人口拥有医护人员数",
    "24|民生福祉|每千人口拥有注册护士数|人|预期性|level:5.21:eq|level:5.3:eq|none|每千人口拥有医护人员数",
    "25|民生福祉|养老机构认知障碍照护床位数|张|预期性|level:5500:eq|level:7000:ge|none|",
    "26|民生福祉|3岁以下婴幼儿入托率|%|预期性|level:10:eq|level:20:eq|none|",
    "27|民生福祉|人均预期寿命|岁|预期性|level:84.38:eq|level:85:ge|none|",
    "28|安全保障|电力电源装机规模|万千瓦|预期性|level:1624:eq|level:2050:eq|none|",
    "29|安全保障|单位地区生产总值生产安全事故死亡率|人/百亿元|约束性|level:0.61:eq|delegated@省|none|",
];

const NANJING_ROWS: &[&str] = &[
    "1|经济强|地区生产总值（GDP）年均增长率|%|预期性|none|growth:5:ge|none|",
    "2|经济强|制造业增加值占比|%|预期性|none|qualitative|none|",
    "3|经济强|全社会研发经费投入年均增长|%|预期性|none|growth:7.5:eq|none|",
    "4|经济强|每万人口拥有高价值发明专利数|件|预期性|none|level:120:eq|none|",
    "5|经济强|全员劳动生产率|万元|预期性|none|level:48:eq|none|",
    "6|经济强|规上数字经济核心产业企业营业收入占比|%|预期性|none|level:24:eq|none|",
    "7|经济强|规上生产性服务业营业收入年均增速|%|预期性|none|growth:6:eq|none|",
    "8|百姓富|居民人均可支配收入增长||预期性|none|relative:eq@经济增长|none|",
    "9|百姓富|人均预期寿命|岁|预期性|none|level:85:ge|none|",
    "10|百姓富|执业（助理）医师数|人|预期性|none|level:5:eq|none|每千人口拥有医护人员数",
    "10|百姓富|注册护士数|人|预期性|none|level:5.5:eq|none|每千人口拥有医护人员数",
    "11|百姓富|3岁以下婴幼儿入托率|%|预期性|none|level:20:eq|none|",
    "12|百姓富|养老机构护理型床位占比|%|预期性|none|level:85:eq|none|",
    "13|环境美|单位地区生产总值二氧化碳排放降低|%|约束性|none|delegated@省|none|",
    "14|环境美|地表水国考断面优良水体比例|%|约束性|none|delegated@省|none|",
    "15|环境美|细颗粒物（PM2.5）年均浓度|微克/立方米|约束性|none|delegated@省|none|",
    "16|环境美|森林覆盖率|%|约束性|none|delegated@省|none|",
    "17|社会文明程度高|新增就业参保大学生人数|万人|预期性|none|delegated@省|none|",
    "18|社会文明程度高|劳动年龄人口平均受教育年限|年|约束性|none|level:13.5:eq|none|",
    "19|社会文明程度高|文化产业增加值占GDP比重|%|预期性|none|level:6.5:approx|none|",
    "20|社会文明程度高|旅游业总收入|亿元|预期性|none|level:3300:eq|none|",
    "21|社会文明程度高|南京至都市圈内成员城市1小时通达率|%|预期性|none|level:100:eq|none|",
    "22|城市安全韧性|耕地保有量|万公顷|约束性|none|delegated@省|none|",
    "23|城市安全韧性|粮食综合生产能力|万吨|约束性|none|level:100:gt|none|",
    // The second sub-row's 属性 cell is merged with the first's (empty as printed).
    "24|城市安全韧性|起数下降|%|约束性|none|cumulative:20:eq|none|生产安全事故",
    "24|城市安全韧性|死亡人数下降|%|约束性|none|cumulative:16:eq|none|生产安全事故",
];

/// 专栏1 of Nanjing reviews the 十四五 plan: its 2025 target and 年均/累计 target against the
/// 2025 actual ("*" not yet published and "—" provincial only are no values).
const NANJING_REVIEW: &[&str] = &[
    "1||地区生产总值|亿元|预期性|none|level:20000:ge|growth:6.5:approx|||level:19428.78:eq",
    "2||研发经费支出占地区生产总值比重|%|预期性|none|level:4:approx|none|||level:4:eq",
    "3||每万人口拥有高价值发明专利数|件|预期性|none|level:45:eq|none|||level:82:eq",
    "4||高新技术产业产值占规模以上工业产值比重|%|预期性|none|level:54.5:eq|none|||level:55.2:eq",
    "5||劳动年龄人口平均受教育年限|年|约束性|none|level:13.2:eq|none|||level:13.28:eq",
    "6||常住人口城镇化率|%|预期性|none|level:85:eq|none|||level:87.5:eq",
    "7||制造业增加值占比|%|预期性|none|level:30:eq|none|||level:23.7:eq",
    "8||数字经济核心产业增加值占地区生产总值比重|%|预期性|none|level:10:gt|none|||level:16.3:eq",
    "9||全员劳动生产率|万元|预期性|none|level:34:eq|none|||level:39:eq",
    "10||全体居民人均可支配收入|元|预期性|none|level:90000:approx|relative:eq@经济增长|||level:78243:eq",
    "11||城镇调查失业率|%|预期性|none|level:5:eq|none|||none",
    "12||人均预期寿命|岁|预期性|none|level:83.5:gt|none|||level:85:eq",
    "13||每千人口拥有执业（助理）医师数|人|预期性|none|level:5.5:eq|none|||level:4.8:eq",
    "14||城乡基本养老保险参保缴费率|%|预期性|none|level:90:eq|none|||level:90:gt",
    "15||每千人口拥有0－3岁婴幼儿托位数|个|预期性|none|level:4.5:approx|none|||level:4.8:eq",
    "16||接受上门服务的居家老年人数占比|%|预期性|none|level:18:approx|none|||level:23.1:eq",
    "17||单位地区生产总值能源消耗降低|%|约束性|none|delegated@省|none|||delegated@省",
    "18||单位地区生产总值二氧化碳排放降低|%|约束性|none|cumulative:20:eq|none|||none",
    "19||非化石能源占一次能源消费比重|%|约束性|none|level:12:eq|none|||level:20:eq",
    "20||地表水国省考断面水质达到或优于Ⅲ类水体比例|%|约束性|none|level:90:eq|none|||level:100:eq",
    "21||空气质量达到优良天数比例|%|约束性|none|level:80:eq|none|||level:87.4:eq",
    "22||林木覆盖率|%|约束性|none|level:31.6:eq|none|||level:31.9:eq",
    "23||耕地保有量|万公顷|约束性|none|delegated@省|none|||delegated@省",
    "24||粮食综合生产能力|万吨|约束性|none|level:95:eq|none|||level:100:eq",
    "25||生产安全事故起数和死亡人数下降|%|约束性|none|none|cumulative:15:gt|||cumulative:eq[-53.3/-44.2]",
    "26||社会文明程度测评指数||预期性|none|level:90:eq|none|||none",
    "27||法治建设满意度|%|预期性|none|level:90:eq|none|||none",
    "28||公众安全感|%|预期性|none|level:95:eq|none|||none",
];

#[test]
fn shanghai_table_in_both_containers() {
    for f in ["02_shanghai_15th.txt", "02_shanghai_15th.html"] {
        let p = corpus(f);
        assert_eq!(rows_x(&p), SHANGHAI_ROWS, "{f}");
        assert!(p.review.is_empty(), "{f}: no review table");
        assert!(
            p.indicators
                .iter()
                .all(|i| i.target.year.is_none_or(|y| y == 2030)),
            "{f}"
        );
    }
}

#[test]
fn shanghai_outline_numbered_without_chapters() {
    // 一、 → 篇, 1. → 章, 1.1 → 节; the text rendering stops inside 十五、.
    let txt = corpus("02_shanghai_15th.txt");
    assert_eq!(counts(&txt), [15, 57, 147, 4, 0]);
    let html = corpus("02_shanghai_15th.html");
    assert_eq!(counts(&html), [16, 64, 156, 4, 0]);
    let title = |p: &Plan, id: &str| p.node(id).map(|n| n.title.clone());
    for p in [&txt, &html] {
        assert_eq!(
            title(p, "p3").as_deref(),
            Some("提升国际经济中心地位和全球影响力")
        );
        assert_eq!(
            title(p, "p3/c1/s1").as_deref(),
            Some("增创制造业高质发展新优势")
        );
        assert_eq!(
            title(p, "p3/c1/s1/b1").as_deref(),
            Some("上海加快实施“人工智能+”行动")
        );
    }
    // The appendix (附录, 名词解释 numbered like parts) is not outline, and its definitions
    // ("是指主要劳动年龄（20—59岁）") are not targets.
    assert_eq!(title(&html, "p16").as_deref(), Some("切实强化规划实施保障"));
    assert!(html.node("p17").is_none());
    assert!(!html
        .targets
        .iter()
        .any(|t| t.quantity.text.contains("20—59岁")));
    // Where the text stops mid-sentence, the reader is told.
    assert!(
        codes(&txt).contains(&"document-truncated"),
        "{:?}",
        txt.diagnostics
    );
    assert!(
        !codes(&html).contains(&"document-truncated"),
        "{:?}",
        html.diagnostics
    );
}

#[test]
fn shanghai_metadata_and_goals() {
    for f in ["02_shanghai_15th.txt", "02_shanghai_15th.html"] {
        let p = corpus(f);
        assert_eq!(
            p.title.as_deref(),
            Some("上海市国民经济和社会发展第十五个五年规划纲要"),
            "{f}"
        );
        assert_eq!(p.region.as_deref(), Some("上海市"), "{f}");
        assert_eq!(
            p.period.map(|p| (p.start, p.end)),
            Some((2026, 2030)),
            "{f}"
        );
        let a = p.adopted.as_ref().expect("adoption");
        assert_eq!(
            (a.date.as_deref(), a.by.as_deref()),
            (
                Some("2026-02-07"),
                Some("上海市第十六届人民代表大会第四次会议")
            ),
            "{f}"
        );
        let goals = targets_in(&p, "p2/c2");
        for t in [
            "地区生产总值|growth:5:approx|%|2030",
            "全员劳动生产率|level:52:gt|万元/人|2030",
            "金融市场交易总额|level:4500:ge|万亿元|2030",
            "城镇调查失业率|level:5:le|%|2030",
            "居民收入|relative:eq@经济增长||2030",
            "养老机构护理型床位占比|level:75:ge|%|2030",
            "生活垃圾回收利用率|level:50:eq|%|2030",
            "单位生产总值生产安全事故死亡率|level:0.006:le|人/亿元|2030",
            "人均地区生产总值|relative:2:eq@2020年||2035",
        ] {
            assert!(goals.iter().any(|g| g == t), "{f}: {t} not in {goals:?}");
        }
        // The review of the 十四五 period (一、1.) states facts, not targets.
        assert!(
            !p.targets.iter().any(|t| t
                .section
                .as_deref()
                .is_some_and(|s| s == "p1" || s.starts_with("p1/"))),
            "{f}: a 2025 result read as a target"
        );
        assert!(
            p.facts
                .iter()
                .any(|t| t.subject == "居民人均可支配收入" && t.quantity.value == Some(9.2)),
            "{f}"
        );
    }
}

#[test]
fn guangzhou_table_in_both_containers() {
    for f in ["03_guangzhou_15th.txt", "03_guangzhou_15th.html"] {
        let p = corpus(f);
        assert_eq!(rows_x(&p), GUANGZHOU_ROWS, "{f}");
        assert_eq!(
            p.indicators[0].box_id.as_deref(),
            Some("p1/c2/s2/b1"),
            "{f}"
        );
        // The three notes under the table (the * after three names points to them).
        let notes: Vec<&str> = p.indicator_notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(notes.len(), 3, "{f}: {notes:?}");
        assert!(notes[0].starts_with("注：1.“15+8”产业是指"), "{f}");
        assert!(notes[2].starts_with("3. 地表水优良水体比例是指"), "{f}");
        let base = &p.indicators[0].base;
        assert_eq!(
            (base.year, base.span),
            (Some(2025), Some((2021, 2025))),
            "{f}"
        );
    }
}

#[test]
fn guangzhou_outline_metadata_and_goals() {
    for f in ["03_guangzhou_15th.txt", "03_guangzhou_15th.html"] {
        let p = corpus(f);
        // 11 篇 / 33 章 (continuous) / 94 节 / 12 专栏 (in the text rendering the captions
        // come in pieces: "专栏" / "1" / "0" / title).
        assert_eq!(counts(&p), [11, 33, 94, 12, 0], "{f}");
        let title = |id: &str| p.node(id).map(|n| n.title.clone());
        let box10 = guihua_model::walk_outline(&p.outline)
            .into_iter()
            .find(|n| n.level == Level::Box && n.number == Some(10))
            .map(|n| n.title.clone());
        assert_eq!(box10.as_deref(), Some("重点领域碳达峰行动"), "{f}");
        assert_eq!(
            title("p6").as_deref(),
            Some("构建多层次改革矩阵，坚定不移在进一步全面深化改革中当好排头兵"),
            "{f}: a title wrapped across a blank line"
        );
        // The plan's own title, not the web page's or the notice's.
        assert_eq!(
            p.title.as_deref(),
            Some("广州市国民经济和社会发展第十五个五年规划纲要"),
            "{f}"
        );
        assert_eq!(p.region.as_deref(), Some("广州市"), "{f}");
        let a = p.adopted.as_ref().expect("adoption");
        assert_eq!(
            (a.date.as_deref(), a.by.as_deref()),
            (Some("2026-01-21"), Some("市十六届人大六次会议")),
            "{f}"
        );
        let goals = targets_in(&p, "p1/c2/s2");
        for t in [
            "地区生产总值|growth:5:approx|%|2030",
            "全社会研发经费投入占地区生产总值比重|level:4:approx|%|2030",
            "企业研发经费支出占全社会研发经费支出比重|level:70:eq|%|2030",
            "商品进出口总值|growth:6:approx|%|2030",
            "居民收入|relative:eq@经济增长||2030",
            "城乡居民人均可支配收入比值|level:1.9:eq||2030",
            "人均预期寿命|level:85:ge|岁|2030",
        ] {
            assert!(goals.iter().any(|g| g == t), "{f}: {t} not in {goals:?}");
        }
        assert!(has_target(&p, "汽车年产值|level:1:gt|万亿元|2030"), "{f}");
        assert!(
            has_target(&p, "年用水总量|level:49.52:le|亿立方米|2030"),
            "{f}"
        );
        // Footnote numbers ("名片<sup>14</sup>", "\n15\n") are not numbers of the plan.
        assert!(
            !p.targets
                .iter()
                .any(|t| t.quantity.text.contains("5个广州”15")),
            "{f}"
        );
    }
    let txt = corpus("03_guangzhou_15th.txt");
    assert!(
        codes(&txt).contains(&"document-truncated"),
        "{:?}",
        txt.diagnostics
    );
}

#[test]
fn nanjing_main_and_review_tables() {
    let p = corpus("04_nanjing_15th.txt");
    assert_eq!(rows_x(&p), NANJING_ROWS);
    assert_eq!(review_x(&p), NANJING_REVIEW);
    // The review states the 十四五 targets for 2025 and the 2025 actuals.
    let r = &p.review[0];
    assert_eq!(
        (r.indicator.target.year, r.actual.year),
        (Some(2025), Some(2025))
    );
    assert_eq!(p.indicators[0].target.year, Some(2030));
    assert_eq!(
        p.indicator_notes
            .iter()
            .map(|n| n.text.as_str())
            .collect::<Vec<_>>(),
        ["注：带〔〕数据表示“十五五”期间累计变化情况"]
    );
    assert_eq!(
        p.review_notes
            .iter()
            .map(|n| n.text.as_str())
            .collect::<Vec<_>>(),
        [
            "注：1．“*”代表该指标尚未公布；",
            "2．“—”代表“十四五”期间，该指标明确只在省级层面公布。"
        ]
    );
    assert_eq!(p.indicators[0].box_id.as_deref(), Some("p1/c3/s3/b2"));
    assert_eq!(p.review[0].indicator.box_id.as_deref(), Some("p1/c1/b1"));
    // Two tables, each summarised with its caption.
    let (_, tables) = common::corpus_with_tables("04_nanjing_15th.txt");
    let got: Vec<String> = tables
        .iter()
        .map(|t| {
            format!(
                "{}|{}|{}|{:?}|{}",
                t.line,
                t.indicators,
                t.review,
                t.announced,
                t.caption.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "289|0|28|None|专栏1 市“十四五”规划《纲要》指标完成情况",
            "365|26|0|None|专栏2 “十五五”经济社会发展主要指标",
        ]
    );
}

#[test]
fn nanjing_outline_metadata_and_targets() {
    let p = corpus("04_nanjing_15th.txt");
    // 序言 before the table of contents; all 17 篇 titles wrapped over two lines.
    assert_eq!(counts(&p), [17, 65, 179, 23, 1]);
    assert_eq!(
        p.node("p3").map(|n| n.title.as_str()),
        Some("勇担第一方阵使命，建设具有全球影响力的产业科技创新中心主承载区")
    );
    assert_eq!(
        p.title.as_deref(),
        Some("南京市国民经济和社会发展第十五个五年规划纲要")
    );
    assert_eq!(p.region.as_deref(), Some("南京市"));
    assert_eq!(p.period.map(|p| (p.start, p.end)), Some((2026, 2030)));
    assert!(p.adopted.is_none(), "the document states no adoption");
    for t in [
        "化工新材料占石化产业比重|level:40:eq|%|2030",
        "智能电网产业规模|level:1:gt|万亿元|2030",
        "生物医药产业规模|level:3000:gt|亿元|2030",
        "总部企业|cumulative:200:ge|家|2030",
        "全社会研发经费投入|growth:7.5:eq|%|2030",
        "每万人口拥有高价值发明专利数|level:120:eq|件|2030",
    ] {
        assert!(has_target(&p, t), "{t}");
    }
    // Nothing announced and unread.
    assert!(
        !codes(&p)
            .iter()
            .any(|c| c.starts_with("table-") || *c == "toc-missing-in-body"),
        "{:?}",
        p.diagnostics
    );
}
