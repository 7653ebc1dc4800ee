//! Real tables (Word `w:tbl`, HTML `<table>`) with merged cells become the same indicators
//! as the text layouts: a vertically merged 类别, a name column split into group and sub-row
//! (Tacheng's 城镇就业), a 2025 cell merged with 年均/累计, a repeated header, a note row.

mod common;

use common::rows;
use std::io::Write;

fn tc(text: &str, span: u16, vmerge: Option<&str>) -> String {
    let mut pr = String::new();
    if span > 1 {
        pr.push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
    }
    match vmerge {
        Some("restart") => pr.push_str("<w:vMerge w:val=\"restart\"/>"),
        Some(_) => pr.push_str("<w:vMerge/>"),
        None => {}
    }
    format!("<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
}

fn tr(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn docx(body: &str) -> Vec<u8> {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", o).expect("zip");
        z.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>").expect("zip");
        z.start_file("word/document.xml", o).expect("zip");
        z.write_all(doc.as_bytes()).expect("zip");
        z.finish().expect("zip");
    }
    buf.into_inner()
}

const EXPECTED: &[&str] = &[
    "1|经济发展|地区生产总值增长|%|预期性|level:4.3:eq|none|qualitative|",
    "2|经济发展|常住人口城镇化率|%|预期性|level:50:eq|level:55:eq|none|",
    "3|民生福祉|城镇新增就业人数|万人次|预期性|level:3.12:eq|cumulative:10.5:eq|none|城镇就业",
    "3|民生福祉|城镇登记失业率|%|预期性|level:3:le|level:4:le|none|城镇就业",
    "4|绿色生态|单位地区生产总值能耗降低率|%|约束性|level:1.01:eq|delegated@自治区|delegated@自治区|",
    "5|绿色生态|森林覆盖率|%|约束性|level:12.68:eq|level:12.68:eq|level:12.68:eq|",
];

#[test]
fn word_table_with_merged_cells() {
    let header = tr(&[
        tc("类别", 1, None),
        tc("指标名称", 2, None),
        tc("2020年", 1, None),
        tc("2025年", 1, None),
        tc("年均/累计", 1, None),
        tc("属性", 1, None),
    ]);
    let body = [
        p("第二章 发展目标"),
        p("专栏1 “十四五”时期经济社会发展主要指标"),
        "<w:tbl>".to_string(),
        header.clone(),
        tr(&[
            tc("经济发展", 1, Some("restart")),
            tc("1.地区生产总值增长（%）", 2, None),
            tc("4.3", 1, None),
            tc("—", 1, None),
            tc("保持在合理区间", 1, None),
            tc("预期性", 1, None),
        ]),
        tr(&[
            tc("经济发展", 1, Some("cont")),
            tc("2.常住人口城镇化率（%）", 2, None),
            tc("50", 1, None),
            tc("55", 1, None),
            tc("-", 1, None),
            tc("预期性", 1, None),
        ]),
        header,
        tr(&[
            tc("民生福祉", 1, Some("restart")),
            tc("3.城镇就业（万人次，%）", 1, Some("restart")),
            tc("城镇新增就业人数", 1, None),
            tc("3.12", 1, None),
            tc("〔10.5〕", 1, None),
            tc("—", 1, None),
            tc("预期性", 1, None),
        ]),
        tr(&[
            tc("民生福祉", 1, Some("cont")),
            tc("", 1, Some("cont")),
            tc("城镇登记失业率", 1, None),
            tc("3以内", 1, None),
            tc("4以内", 1, None),
            tc("—", 1, None),
            tc("预期性", 1, None),
        ]),
        tr(&[
            tc("绿色生态", 1, Some("restart")),
            tc("4.单位地区生产总值能耗降低率（%）", 2, None),
            tc("1.01", 1, None),
            tc("控制在自治区约束指标内", 2, None),
            tc("约束性", 1, None),
        ]),
        tr(&[
            tc("绿色生态", 1, Some("cont")),
            tc("5.森林覆盖率（%）", 2, None),
            tc("12.68", 1, None),
            tc("12.68", 2, None),
            tc("约束性", 1, None),
        ]),
        tr(&[tc("注：〔〕内为五年累计数。", 7, None)]),
        "</w:tbl>".to_string(),
        p("第三章 产业发展"),
    ]
    .concat();
    let doc = guihua_read::read_bytes("t.docx", &docx(&body)).expect("docx");
    let plan = guihua_parse::parse_document(&doc.document);
    assert_eq!(rows(&plan), EXPECTED);
    assert_eq!(plan.indicators[0].box_id.as_deref(), Some("c2/b1"));
    assert_eq!(plan.indicator_notes.len(), 1);
    // The table's rows are lines of the text rendering, after the two paragraphs and the header row (line 3).
    assert_eq!(plan.indicators[0].line, 4);
}

#[test]
fn html_table_with_rowspan_and_colspan() {
    let page = r#"<html><body>
<p>第二章 发展目标</p>
<p>专栏1 “十四五”时期经济社会发展主要指标</p>
<table>
<tr><th>类别</th><th colspan="2">指标名称</th><th>2020年</th><th>2025年</th><th>年均/累计</th><th>属性</th></tr>
<tr><td rowspan="2">经济发展</td><td colspan="2">1.地区生产总值增长（%）</td><td>4.3</td><td>—</td><td>保持在合理区间</td><td>预期性</td></tr>
<tr><td colspan="2">2.常住人口城镇化率（%）</td><td>50</td><td>55</td><td>-</td><td>预期性</td></tr>
<tr><td rowspan="2">民生福祉</td><td rowspan="2">3.城镇就业（万人次，%）</td><td>城镇新增就业人数</td><td>3.12</td><td>〔10.5〕</td><td>—</td><td>预期性</td></tr>
<tr><td>城镇登记失业率</td><td>3以内</td><td>4以内</td><td>—</td><td>预期性</td></tr>
<tr><td rowspan="2">绿色生态</td><td colspan="2">4.单位地区生产总值能耗降低率（%）</td><td>1.01</td><td colspan="2">控制在自治区约束指标内</td><td>约束性</td></tr>
<tr><td colspan="2">5.森林覆盖率（%）</td><td>12.68</td><td colspan="2">12.68</td><td>约束性</td></tr>
</table>
<p>第三章 产业发展</p>
</body></html>"#;
    let doc = guihua_read::read_bytes("t.html", page.as_bytes()).expect("html");
    let plan = guihua_parse::parse_document(&doc.document);
    assert_eq!(rows(&plan), EXPECTED);
}

/// A name that contains words values use ("规模以上", "以下") is still the name; 属性 in the
/// middle of the columns; a note saying the base year's data are estimates.
#[test]
fn html_names_with_value_words_and_an_estimated_base_year() {
    let page = "<html><body><p>第二章 发展目标</p><p>表1 主要指标</p><table>\
        <tr><td>类别</td><td>序号</td><td>指标</td><td>单位</td><td>属性</td><td>2025年</td><td>2030年</td><td>年均增长</td></tr>\
        <tr><td rowspan=2>经济发展</td><td>1</td><td>规模以上工业增加值增长</td><td>%</td><td>预期性</td><td>6.2</td><td>—</td><td>6</td></tr>\
        <tr><td>2</td><td>3岁以下婴幼儿入托率</td><td>%</td><td>预期性</td><td>10</td><td>20</td><td>—</td></tr>\
        </table><p>注：2025年数据为预计数。</p><p>第三章 产业</p></body></html>";
    let doc = guihua_read::read_bytes("p.html", page.as_bytes()).expect("html");
    let plan = guihua_parse::parse_document(&doc.document);
    assert_eq!(
        common::rows_x(&plan),
        [
            "1|经济发展|规模以上工业增加值增长|%|预期性|level:6.2:eq[est]|none|growth:6:eq|",
            "2|经济发展|3岁以下婴幼儿入托率|%|预期性|level:10:eq[est]|level:20:eq|none|",
        ]
    );
}
