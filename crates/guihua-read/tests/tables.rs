//! Real tables in Word and HTML: spans, merges, and their line numbers.

mod common;

use common::*;
use guihua_model::{Block, Table};
use guihua_read::read_bytes;

fn grid(t: &Table) -> Vec<Vec<(String, u16, bool)>> {
    t.rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| (c.text.clone(), c.col_span, c.merged_from_above))
                .collect()
        })
        .collect()
}

fn c(text: &str, span: u16, merged: bool) -> (String, u16, bool) {
    (text.to_string(), span, merged)
}

fn tc(props: &str, paras: &[&str]) -> String {
    let mut s = format!("<w:tc><w:tcPr>{props}</w:tcPr>");
    if paras.is_empty() {
        s.push_str("<w:p/>");
    }
    for p in paras {
        s.push_str(&format!(
            "<w:p><w:r><w:t>{}</w:t></w:r></w:p>",
            xml_escape(p)
        ));
    }
    s.push_str("</w:tc>");
    s
}

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>
  <w:style w:type="paragraph" w:styleId="2"><w:name w:val="标题 2"/></w:style>
</w:styles>"#;

#[test]
fn docx_table_with_grid_span_and_vmerge() {
    let row1 = format!(
        "<w:tr>{}{}{}</w:tr>",
        tc("", &["类别"]),
        tc(r#"<w:gridSpan w:val="2"/>"#, &["指标"]),
        tc("", &["属性"])
    );
    let row2 = format!(
        "<w:tr>{}{}{}{}</w:tr>",
        tc(r#"<w:vMerge w:val="restart"/>"#, &["经济", "发展"]),
        tc("", &["1"]),
        tc("", &["GDP", "growth"]),
        tc("", &["预期性"])
    );
    let row3 = format!(
        "<w:tr>{}{}{}{}</w:tr>",
        tc("<w:vMerge/>", &[]),
        tc("", &["2"]),
        tc("", &["常住人口城镇化率"]),
        tc("", &["预期性"])
    );
    let body = format!(
        r#"<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>第一章 发展目标</w:t></w:r></w:p>
        <w:p><w:pPr><w:pStyle w:val="2"/></w:pPr><w:r><w:t>第一节</w:t></w:r><w:r><w:tab/><w:t>主要指标</w:t></w:r></w:p>
        <w:p/>
        <w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>{row1}{row2}{row3}</w:tbl>
        <w:p><w:r><w:t>到2025年，</w:t></w:r><w:del><w:r><w:delText>删除的</w:delText></w:r></w:del><w:ins><w:r><w:t>新增的</w:t></w:r></w:ins><w:r><w:br/><w:t>目标。</w:t></w:r></w:p>"#
    );
    let bytes = docx_with(&[
        ("word/document.xml", document_xml(&body).as_bytes()),
        ("word/styles.xml", STYLES.as_bytes()),
    ]);
    let r = read_bytes("plan.docx", &bytes).unwrap();
    let blocks = &r.document.blocks;
    assert_eq!(blocks.len(), 5, "{blocks:?}");
    let Block::Paragraph(p) = &blocks[0] else {
        panic!()
    };
    assert_eq!(
        (p.text.as_str(), p.heading_level, p.line),
        ("第一章 发展目标", Some(1), 1)
    );
    let Block::Paragraph(p) = &blocks[1] else {
        panic!()
    };
    assert_eq!(
        (p.text.as_str(), p.heading_level, p.line),
        ("第一节\t主要指标", Some(2), 2)
    );
    // `<w:p/>` is an empty line of the rendering, not dropped.
    let Block::Paragraph(p) = &blocks[2] else {
        panic!()
    };
    assert_eq!((p.text.as_str(), p.heading_level, p.line), ("", None, 3));
    let Block::Table(t) = &blocks[3] else {
        panic!()
    };
    assert_eq!(
        grid(t),
        vec![
            vec![
                c("类别", 1, false),
                c("指标", 2, false),
                c("属性", 1, false)
            ],
            vec![
                c("经济\n发展", 1, false),
                c("1", 1, false),
                c("GDP\ngrowth", 1, false),
                c("预期性", 1, false)
            ],
            vec![
                c("经济\n发展", 1, true),
                c("2", 1, false),
                c("常住人口城镇化率", 1, false),
                c("预期性", 1, false)
            ],
        ]
    );
    assert_eq!(t.line, 4);
    assert_eq!(
        t.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        vec![4, 5, 6]
    );
    let Block::Paragraph(p) = &blocks[4] else {
        panic!()
    };
    assert_eq!(
        (p.text.as_str(), p.heading_level, p.line),
        ("到2025年，新增的目标。", None, 7)
    );
}

#[test]
fn docx_nested_table_is_flattened_into_its_cell() {
    let inner = format!(
        "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
        tc("", &["甲"]),
        tc("", &["乙"])
    );
    let body = format!(
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>外</w:t></w:r></w:p>{inner}<w:p/></w:tc>{}</w:tr></w:tbl>",
        tc("", &["右"])
    );
    let r = read_bytes("n.docx", &docx(&document_xml(&body))).unwrap();
    let Block::Table(t) = &r.document.blocks[0] else {
        panic!()
    };
    assert_eq!(
        grid(t),
        vec![vec![c("外甲乙", 1, false), c("右", 1, false)]]
    );
}

#[test]
fn html_table_with_colspan_and_rowspan() {
    let page = r#"<html><body><p>专栏1 主要指标</p>
<TABLE border=1>
<tr><th rowspan="2">类别<th colspan=2>指标</th><th>2025年</th></tr>
<tr><td>1<td>地区生产总值<br>（亿元）<td rowspan=2>700</tr>
<tr><td>民生<td>2<td>城镇新增就业</tr>
</TABLE><p>注：﹝﹞内为累计数。</p></body></html>"#;
    let r = read_bytes("plan.html", page.as_bytes()).unwrap();
    let blocks = &r.document.blocks;
    assert_eq!(blocks.len(), 3, "{blocks:?}");
    let Block::Table(t) = &blocks[1] else {
        panic!("{blocks:?}")
    };
    assert_eq!(
        grid(t),
        vec![
            vec![
                c("类别", 1, false),
                c("指标", 2, false),
                c("2025年", 1, false)
            ],
            vec![
                c("类别", 1, true),
                c("1", 1, false),
                c("地区生产总值\n（亿元）", 1, false),
                c("700", 1, false)
            ],
            vec![
                c("民生", 1, false),
                c("2", 1, false),
                c("城镇新增就业", 1, false),
                c("700", 1, true)
            ],
        ]
    );
    assert_eq!((blocks[0].line(), t.line, blocks[2].line()), (1, 2, 5));
}
