//! The reference plans: exact outline counts, every indicator row, Alar's goals, the
//! diagnostics the seeds README lists — and the same assertions for each plan re-encoded
//! (GB18030, UTF-16 LE/BE) and re-wrapped (docx, html) through the real readers.

mod common;

use common::{docx, html, rows, seed, target};
use guihua_model::{Level, Plan};

struct Expect {
    prefix: &'static str,
    parts: usize,
    chapters: usize,
    sections: usize,
    boxes: usize,
    rows: &'static [&'static str],
    region: &'static str,
}

const URUMQI_ROWS: &[&str] = &[
        "1|经济发展|地区生产总值增长|%|预期性|level:0.3:eq|none|qualitative|",
        "2|经济发展|全员劳动生产率增长|%|预期性|none|none|relative:gt@GDP增长|",
        "3|创新驱动|全社会研发经费投入增长|%|预期性|none|none|growth:7:gt|",
        "4|创新驱动|数字经济增加值占地区生产总值比例|%|预期性|none|level:35:eq|none|",
        "5|民生福祉|居民人均可支配收入增长|%|预期性|none|none|relative:approx@GDP增长|",
        "6|民生福祉|劳动年龄人口平均受教育年限|年|约束性|level:11.57:eq|level:11.87:eq|cumulative:0.3:eq|",
        "7|民生福祉|每千人口拥有执业(助理)医师数|人|预期性|none|level:4.2:eq|none|",
        "8|民生福祉|基本养老保险参保率|%|预期性|level:96.9:eq|level:95:gt|none|",
        "9|民生福祉|每千人口拥有3岁以下婴幼儿托位数|个|预期性|level:0.42:eq|level:1.25:eq|none|",
        "10|民生福祉|人均预期寿命|岁|预期性|level:76.4:eq|level:77:eq|cumulative:0.6:eq|",
        "11|绿色生态|单位地区生产总值能源消耗降低|%|约束性|cumulative:17.7:eq|delegated@自治区|delegated@自治区|",
        "12|绿色生态|单位地区生产总值二氧化碳排放降低|%|约束性|cumulative:16:eq|delegated@自治区|delegated@自治区|",
        "13|绿色生态|空气质量优良天数比率|%|约束性|level:76.2:eq|delegated@自治区|delegated@自治区|",
        "14|绿色生态|地表水达到或好于Ⅲ类水体比例|%|约束性|level:75:eq|delegated@自治区|delegated@自治区|",
        "15|绿色生态|森林覆盖率|%|约束性|level:15.69:eq|level:15.77:eq|none|",
        "16|安全保障|粮食综合生产能力|万吨|约束性|level:3.5:eq|level:2.57:eq|none|",
        "17|安全保障|能源综合生产能力|亿吨标准煤|约束性|none|none|relative:gt@“十三五”时期|",
];

const YIWU_ROWS: &[&str] = &[
        "1|经济发展|地区生产总值增长|%|预期性|none|none|qualitative|",
        "2|经济发展|全员劳动生产率增长|%|预期性|none|none|relative:gt@GDP增长|",
        "3|经济发展|常住人口城镇化率|%|预期性|none|level:30:gt|none|",
        "4|创新驱动|全社会研发经费投入增长|%|预期性|none|none|growth:7:gt|",
        "5|创新驱动|每万人口高价值发明专利拥有量|件|预期性|none|level:1.5:eq|none|",
        "6|创新驱动|战略性新兴产业增加值占地区生产总值比例|%|预期性|none|level:30:eq|none|",
        "7|民生福祉|居民人均可支配收入增长|%|预期性|none|none|relative:approx@GDP增长|",
        "8|民生福祉|城镇调查失业率|%|预期性|none|level:5.5:approx|none|",
        "9|民生福祉|劳动年龄人口平均受教育年限|年|约束性|none|level:11.3:eq|none|",
        "10|民生福祉|每千人拥有3岁以下婴幼儿托位数|个|预期性|none|level:1.25:eq|none|",
        "11|民生福祉|每千人拥有执业(助理)医师数|人|预期性|none|level:3.18:eq|none|",
        "12|民生福祉|基本养老保险参保率|%|预期性|none|level:95:gt|none|",
        "13|民生福祉|人均预期寿命|岁|预期性|none|level:75.85:eq|none|",
        "14|绿色生态|单位地区生产总值能源消耗降低|%|约束性|cumulative:10:eq|delegated@哈密市|delegated@哈密市|",
        "15|绿色生态|单位地区生产总值二氧化碳排放降低|%|约束性|cumulative:12:eq|delegated@哈密市|delegated@哈密市|",
        "16|绿色生态|空气质量优良天数比率|%|约束性|level:96:eq|delegated@哈密市|delegated@哈密市|",
        "17|绿色生态|地表水达到或好于Ⅲ类水体比例|%|约束性|level:100:eq|delegated@哈密市|delegated@哈密市|",
        "18|绿色生态|森林覆盖率|%|约束性|level:4.4:eq|level:4.42:eq|none|",
        "19|安全保障|粮食综合生产能力|万吨|约束性|none|level:0.9:eq|none|",
        "20|安全保障|能源综合生产能力|亿吨标煤|约束性|none|level:0.29:ge|none|",
];

const TACHENG_ROWS: &[&str] = &[
        "1|经济发展|地区生产总值增长|%|预期性|level:4.3:eq|none|qualitative|",
        "2|经济发展|全员劳动生产率增长|%|预期性|none|none|relative:gt@GDP增长|",
        "3|经济发展|常住人口城镇化率|%|预期性|level:50:eq|level:55:eq|none|",
        "4|创新驱动|全社会研发经费投入增长|%|预期性|none|none|growth:7:gt|",
        "5|创新驱动|每万人口发明专利拥有量|件|预期性|level:0.6:eq|level:0.65:eq|none|",
        "6|民生福祉|居民人均可支配收入增长|%|预期性|none|none|relative:approx@GDP增长|",
        "7|民生福祉|城镇新增就业人数|万人次|预期性|level:3.12:eq|cumulative:10.5:eq|none|城镇就业",
        "7|民生福祉|城镇登记失业率|%|预期性|level:3:le|level:4:le|none|城镇就业",
        "8|民生福祉|劳动年龄人口平均受教育年限|年|约束性|none|level:11.3:eq|cumulative:0.3:eq|",
        "9|民生福祉|学前教育毛入园率|%|预期性|level:98:eq|level:98:ge|none|",
        "10|民生福祉|每千人口拥有3岁以下婴幼儿托位数|个|预期性|level:0.91:eq|level:1.25:eq|none|",
        "11|民生福祉|每千人口拥有执业（助理）医师数|人|预期性|level:2.86:eq|level:3.18:eq|none|",
        "12|民生福祉|基本养老保险参保率|%|约束性|level:95.8:eq|level:95:gt|none|",
        "13|民生福祉|人均预期寿命|年|预期性|level:74:eq|level:76:eq|none|",
        "14|绿色生态|单位地区生产总值能耗降低率|%|约束性|level:1.01:eq|delegated@自治区|delegated@自治区|",
        "15|绿色生态|单位地区生产总值二氧化碳排放降低|%|约束性|none|delegated@自治区|delegated@自治区|",
        "16|绿色生态|行署所在地城市空气质量优良天数比率|%|约束性|level:100:eq|level:95:ge|level:95:ge|",
        "17|绿色生态|地表水达到或好于Ⅲ类水体比例|%|约束性|level:90.9:eq|delegated@自治区|delegated@自治区|",
        "18|绿色生态|森林覆盖率|%|约束性|level:12.68:eq|level:12.68:eq|level:12.68:eq|",
        "29|安全保障|粮食综合生产能力|万吨|约束性|level:316.65:eq|level:330:eq|none|",
        "20|安全保障|能源综合生产能力|亿吨标煤|约束性|none|level:0.2:ge|none|",
];

/// Alar's goals chapter, L37–42: every numeric goal, in order.
const ALAR_GOALS: &[&str] = &[
    "生产总值|level:510:eq|亿元|2025",
    "生产总值|growth:9:eq|%|2025",
    "第一产业增加值|level:176:eq|亿元|2025",
    "第一产业增加值|growth:4:eq|%|2025",
    "第二产业增加值|level:156:eq|亿元|2025",
    "第二产业增加值|growth:17:eq|%|2025",
    "工业增加值|level:113:eq|亿元|2025",
    "工业增加值|growth:18:eq|%|2025",
    "建筑业增加值|level:43:eq|亿元|2025",
    "建筑业增加值|growth:15:eq|%|2025",
    "第三产业增加值|level:178:eq|亿元|2025",
    "第三产业增加值|growth:9:eq|%|2025",
    "三次产业结构比|level||2025",
    "规模以上企业|cumulative:500:ge|家|2025",
    "固定资产投资|level:400:eq|亿元|2025",
    "固定资产投资|growth:25:eq|%|2025",
    "社会消费品零售总额|level:130:eq|亿元|2025",
    "社会消费品零售总额|growth:10:eq|%|2025",
    "一般公共预算收入|level:19.4:eq|亿元|2025",
    "一般公共预算收入|growth:8:eq|%|2025",
    "进出口总额|level:2.6:eq|亿美元|2025",
    "进出口总额|growth:15:eq|%|2025",
    "招商引资到位资金形成实物量|level:205:eq|亿元|2025",
    "招商引资到位资金形成实物量|growth:25:eq|%|2025",
    "户籍人口城镇化率|level:65:approx|%|2025",
    "全社会研发(R&D)经费支出占GDP比重|level:3:eq|%|2025",
    "每万人口发明专利拥有量|level:4.7:eq|件|2025",
    "科技进步贡献率|level:63:eq|%|2025",
    "工业战略性新兴产业占规模以上工业增加值比重|level:10:eq|%|2025",
    "九年义务教育巩固率|level:100:eq|%|2025",
    "学前三年幼儿毛入园率|level:100:ge|%|2025",
    "初中毕业生升入高中阶段教育比例|level:98:eq|%|2025",
    "居民人均可支配收入|level:57070:eq|元|2025",
    "居民人均可支配收入|growth:9:eq|%|2025",
    "人均预期寿命|level:80:ge|岁|2025",
    "养老床位数|level:1600:eq|张|2025",
    "每千常驻人口执业(助理)医师数|level:3.6:eq|人|2025",
    "每千常驻人口执业(助理)医师数|growth:1.15:eq|%|2025",
    "5岁以下儿童死亡率|level:7:le|‰|2025",
    "广播电视综合覆盖率|level:100:eq|%|2025",
    "城镇登记失业率|level:4:le|%|2025",
    "城镇新增就业人数|level:1.2:ge|万人|2025",
    "城镇新增就业人数|growth:6:eq|%|2025",
    "基本养老保险参保人员达到地区就业人口数|level:100:eq|%|2025",
    "城乡居民基本医疗保险参保率|level:99:ge|%|2025",
    "脱贫成果巩固率|level:100:eq|%|2025",
    "亿元生产总值生产安全事故死亡率|level:0.12:le||2025",
    "新增建设用地规模|level:0.62:le|万公顷|2025",
    "耕地保有量|level:235.8:eq|万亩|2025",
    "农业灌溉水利用系数|level:0.61:eq||2025",
    "万元生产总值用水量|level:560:eq|吨|2025",
    "万元生产总值用水量|growth:-3.7:eq|%|2025",
    "万元生产总值能耗降低|delegated:le@兵团||2025",
    "单位生产总值二氧化碳排放降低|delegated:le@兵团||2025",
    "主要污染物排放总量降低|delegated:le@兵团||2025",
    "空气质量好于Ⅱ级的天数比例|level:45:gt|%|2025",
    "水质好于Ⅲ类的区控河流断面比例|level:100:eq|%|2025",
    "水质好于Ⅲ类的区控湖库断面比例|level:100:eq|%|2025",
    "城市建成区生活垃圾回收利用率|level:100:eq|%|2025",
    "城市污水集中处理率|level:95:eq|%|2025",
    "团镇污水处理率|level:100:eq|%|2025",
    "生活垃圾集中处理率|level:100:ge|%|2025",
    "森林覆盖率|level:18.04:eq|%|2025",
    "城市建成区绿化覆盖率|level:42:ge|%|2025",
];

const SEEDS: [Expect; 5] = [
    Expect {
        prefix: "000",
        parts: 14,
        chapters: 48,
        sections: 35,
        boxes: 0,
        rows: &[],
        region: "阿拉尔市",
    },
    Expect {
        prefix: "001",
        parts: 0,
        chapters: 14,
        sections: 66,
        boxes: 15,
        rows: URUMQI_ROWS,
        region: "乌鲁木齐市",
    },
    Expect {
        prefix: "002",
        parts: 17,
        chapters: 72,
        sections: 0,
        boxes: 1,
        rows: YIWU_ROWS,
        region: "伊吾县",
    },
    Expect {
        prefix: "003",
        parts: 16,
        chapters: 71,
        sections: 2,
        boxes: 12,
        rows: TACHENG_ROWS,
        region: "塔城地区",
    },
    Expect {
        prefix: "004",
        parts: 0,
        chapters: 12,
        sections: 46,
        boxes: 0,
        rows: &[],
        region: "阿拉善左旗",
    },
];

/// Everything that must hold whatever the container or encoding.
fn check(e: &Expect, plan: &Plan, how: &str) {
    let ctx = format!("seed {} as {how}", e.prefix);
    assert_eq!(plan.count(Level::Part), e.parts, "{ctx}: 篇");
    assert_eq!(plan.count(Level::Chapter), e.chapters, "{ctx}: 章");
    assert_eq!(plan.count(Level::Section), e.sections, "{ctx}: 节");
    assert_eq!(plan.count(Level::Box), e.boxes, "{ctx}: 专栏");
    assert_eq!(rows(plan), e.rows, "{ctx}: indicator rows");
    assert_eq!(plan.region.as_deref(), Some(e.region), "{ctx}: region");
    let p = plan.period.expect("period");
    assert_eq!((p.start, p.end), (2021, 2025), "{ctx}: period");
    let codes: Vec<&str> = plan.diagnostics.iter().map(|d| d.code).collect();
    match e.prefix {
        "000" => {
            let goals: Vec<String> = plan
                .targets
                .iter()
                .filter(|t| t.section.as_deref() == Some("p2/c4/s2"))
                .map(target)
                .collect();
            assert_eq!(goals, ALAR_GOALS, "{ctx}: Alar goals");
        }
        "002" => {
            assert!(codes.contains(&"toc-missing-entry"), "{ctx}: {codes:?}");
            assert!(
                plan.diagnostics
                    .iter()
                    .any(|d| d.code == "toc-missing-entry"
                        && d.message.contains("第七篇 第三章 加强能源设施建设")),
                "{ctx}: the chapter the TOC omits"
            );
        }
        "003" => {
            assert!(
                plan.diagnostics.iter().any(|d| d.code == "numbering-gap"
                    && d.message == "第四篇: 第四章 is followed by 第六章"),
                "{ctx}: {:?}",
                plan.diagnostics
            );
            assert!(
                plan.diagnostics
                    .iter()
                    .any(|d| d.code == "indicator-misnumbered" && d.message.contains("29")),
                "{ctx}: misnumbered 29."
            );
            assert!(
                plan.diagnostics
                    .iter()
                    .any(|d| d.code == "table-prose-mismatch"
                        && d.message.contains("城镇新增就业人数")),
                "{ctx}: 〔10.5〕万 vs 年均2万"
            );
        }
        _ => {}
    }
}

fn txt(prefix: &str) -> Plan {
    guihua_parse::parse_text(&seed(prefix))
}

fn read(name: &str, bytes: &[u8]) -> Plan {
    let doc = guihua_read::read_bytes(name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    guihua_parse::parse_document(&doc.document)
}

#[test]
fn seeds_as_utf8_text() {
    for e in &SEEDS {
        check(e, &txt(e.prefix), "utf-8 text");
    }
}

#[test]
fn seeds_line_numbers_point_at_the_source() {
    let urumqi = txt("001");
    let b1 = urumqi.node("c2/s3/b1").expect("专栏1 under 第二章第三节");
    assert_eq!(b1.line, 41);
    assert_eq!(urumqi.indicators[0].box_id.as_deref(), Some("c2/s3/b1"));
    let tacheng = txt("003");
    let gap = tacheng
        .diagnostics
        .iter()
        .find(|d| d.code == "numbering-gap")
        .expect("gap");
    assert_eq!(gap.line, Some(293));
    let alar = txt("000");
    assert!(alar
        .targets
        .iter()
        .filter(|t| t.section.as_deref() == Some("p2/c4/s2"))
        .all(|t| (37..=42).contains(&t.line)));
    assert_eq!(
        alar.targets
            .iter()
            .find(|t| t.subject == "生产总值")
            .map(|t| t.line),
        Some(37)
    );
}

#[test]
fn seeds_metadata() {
    let u = txt("001");
    assert_eq!(
        u.title.as_deref(),
        Some("乌鲁木齐市国民经济和社会发展第十四个五年规划和2035年远景目标纲要")
    );
    let a = u.adopted.expect("adopted");
    assert_eq!(a.date.as_deref(), Some("2021-01-14"));
    assert_eq!(
        a.by.as_deref(),
        Some("乌鲁木齐市第十六届人民代表大会第五次会议")
    );
    let y = txt("002");
    assert_eq!(
        y.adopted.and_then(|a| a.date),
        Some("2021-01-18".to_string())
    );
    assert!(y
        .title
        .as_deref()
        .is_some_and(|t| t.starts_with("伊吾县国民经济和社会发展第十四个五年规划")));
    assert_eq!(
        txt("000").title.as_deref(),
        Some("新疆维吾尔自治区阿拉尔市国民经济和社会发展第十四个五年规划和2035年远景目标纲要")
    );
    assert_eq!(
        txt("004").title.as_deref(),
        Some("阿拉善左旗国民经济和社会发展第十四个五年规划和2035年远景目标纲要")
    );
    assert!(txt("003").adopted.is_none());
}

#[test]
fn seeds_without_tables_have_no_indicators_and_few_body_targets() {
    assert!(txt("000").indicators.is_empty());
    let alxa = txt("004");
    assert!(alxa.indicators.is_empty());
    assert!(
        (5..30).contains(&alxa.targets.len()),
        "Alxa Left states fewer than 30 numeric targets: {}",
        alxa.targets.len()
    );
}

#[test]
fn seeds_projects() {
    let u = txt("001");
    let p = u
        .projects
        .iter()
        .find(|p| p.name == "甘泉堡新水源地第二净水厂")
        .expect("专栏10 item 1");
    assert_eq!(p.box_id.as_deref(), Some("c9/s4/b10"));
    assert_eq!(p.line, 327);
    assert_eq!(p.capacity.as_deref(), Some("40万立方米/天"));
    // "9.3万平方米" inside 专栏5 item 3 is not an item break.
    let b5: Vec<&str> = u
        .projects
        .iter()
        .filter(|p| p.box_id.as_deref() == Some("c5/s1/b5"))
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        b5,
        ["铁路枢纽建设工程", "公路枢纽建设工程", "航空枢纽建设工程"]
    );
    let t = txt("003");
    let rail: Vec<&str> = t
        .projects
        .iter()
        .filter(|p| p.group.as_deref() == Some("铁路方面"))
        .map(|p| p.name.as_str())
        .collect();
    assert!(rail.contains(&"塔城至阿亚古兹铁路（国内段）"), "{rail:?}");
    let boxed = t.projects.iter().filter(|p| p.box_id.is_some()).count();
    assert!(boxed > 100, "{boxed} items in Tacheng's 专栏2–12");
    // Yiwu has no project boxes: its named projects are in prose.
    let y = txt("002");
    assert!(y
        .projects
        .iter()
        .all(|p| p.box_id.is_none() && p.section.is_some()));
    assert!(y
        .projects
        .iter()
        .any(|p| p.name == "淖毛湖750千伏输变电工程"));
    assert!(!y.projects.iter().any(|p| p.name.contains("惠民工程")));
    assert!(u.projects.iter().any(|p| p.name == "楼庄子供水工程"));
}

#[test]
fn seeds_reencoded() {
    for e in &SEEDS {
        let text = seed(e.prefix);
        let (gb, _, bad) = encoding_rs::GB18030.encode(&text);
        assert!(!bad);
        check(e, &read("plan.txt", &gb), "gb18030");
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        check(e, &read("plan.txt", &le), "utf-16le");
        check(e, &read("plan.txt", &be), "utf-16be");
        let crlf = text.replace('\n', "\r\n");
        check(e, &read("plan.txt", crlf.as_bytes()), "crlf");
    }
}

#[test]
fn seeds_wrapped_as_docx() {
    for e in &SEEDS {
        let plan = read("plan.docx", &docx(&seed(e.prefix)));
        check(e, &plan, "docx");
        // One paragraph per line: line numbers survive the wrapping.
        assert_eq!(rows(&plan), rows(&txt(e.prefix)));
        let lines = |p: &Plan| p.indicators.iter().map(|i| i.line).collect::<Vec<_>>();
        assert_eq!(
            lines(&plan),
            lines(&txt(e.prefix)),
            "seed {} docx lines",
            e.prefix
        );
    }
}

#[test]
fn seeds_wrapped_as_html() {
    for e in &SEEDS {
        let page = html(&seed(e.prefix));
        check(e, &read("plan.html", page.as_bytes()), "html");
        let gbk_page = page.replace("charset=\"utf-8\"", "charset=\"gbk\"");
        let (gbk, _, _) = encoding_rs::GBK.encode(&gbk_page);
        check(e, &read("plan.htm", &gbk), "html in gbk");
    }
}
