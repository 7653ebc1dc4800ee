//! Hostile and broken input: every case is a clear error (or a correct read), never a
//! panic, and never unbounded work.

mod common;

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use common::*;
use guihua_read::{read_bytes, read_path, ReadError};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

fn err(name: &str, bytes: &[u8]) -> ReadError {
    match read_bytes(name, bytes) {
        Ok(r) => panic!(
            "{name}: expected an error, got {:?}",
            r.document.blocks.first()
        ),
        Err(e) => {
            let msg = e.to_string();
            assert!(
                !msg.is_empty() && !msg.contains('\n'),
                "one-line message: {msg}"
            );
            e
        }
    }
}

#[test]
fn empty_file_for_every_extension() {
    for name in ["a.txt", "a.md", "a.docx", "a.html", "a.pdf", "a"] {
        let e = err(name, b"");
        assert_eq!(e.to_string(), "file is empty", "{name}");
    }
}

#[test]
fn binary_data() {
    let e = err(
        "a.txt",
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0",
    );
    assert_eq!(e.to_string(), "not a text document: binary data at byte 7");
    let e = err("a.txt", b"abc\0def");
    assert!(matches!(e, ReadError::Binary(3)), "{e}");
    let e = err("a.md", b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f");
    assert!(matches!(e, ReadError::Binary(0)), "{e}");
}

#[test]
fn broken_utf8() {
    let mut bytes = "第一章　总体要求\n到2025年，".as_bytes().to_vec();
    let at = bytes.len();
    bytes.extend_from_slice(b"\xE4\xB8");
    bytes.extend_from_slice("地区生产总值达到510亿元。\n".as_bytes());
    let e = err("plan.txt", &bytes);
    assert_eq!(
        e.to_string(),
        format!("invalid UTF-8 at byte {at}, and not GB18030 either; re-save the file as UTF-8")
    );
}

#[test]
fn zip_that_is_not_a_docx() {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file("xl/workbook.xml", SimpleFileOptions::default())
        .unwrap();
    w.write_all(b"<workbook/>").unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let e = err("plan.docx", &bytes);
    assert_eq!(e.to_string(), "not a Word document: no word/document.xml");
    // Also when the extension lies.
    assert!(matches!(err("plan.txt", &bytes), ReadError::NotDocx));
}

#[test]
fn docx_that_is_not_a_zip() {
    assert_eq!(
        err("plan.docx", "第一章".as_bytes()).to_string(),
        "not a Word document (not a zip archive)"
    );
    let ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0";
    assert!(matches!(err("plan.docx", ole), ReadError::Encrypted));
}

#[test]
fn truncated_docx() {
    let full = docx(&document_xml(&paragraphs_xml(["第一章 总体要求"; 200])));
    for cut in [full.len() / 2, full.len() - 10, 30] {
        let e = err("plan.docx", &full[..cut]);
        assert!(matches!(e, ReadError::BrokenZip(_)), "cut at {cut}: {e:?}");
        assert!(e.to_string().starts_with("damaged Word document"), "{e}");
    }
}

#[test]
fn malformed_xml_reports_position() {
    let xml = document_xml("<w:p><w:r><w:t>ok</w:t></w:r></w:p><w:p><w:r><w:t>bad</w:r></w:p>");
    let e = err("plan.docx", &docx(&xml));
    match &e {
        ReadError::Xml { entry, offset, .. } => {
            assert_eq!(entry, "word/document.xml");
            assert!(*offset > 0);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string()
            .starts_with("malformed XML in word/document.xml at byte "),
        "{e}"
    );
}

#[test]
fn zip_bomb_is_stopped_quickly() {
    // 300 MiB of zeros deflate to ~300 KiB.
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(false);
    w.start_file("word/document.xml", opts).unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..300 {
        w.write_all(&zeros).unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    assert!(
        bytes.len() < 2 * 1024 * 1024,
        "bomb is small: {}",
        bytes.len()
    );
    let start = Instant::now();
    let e = err("bomb.docx", &bytes);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(
        e.to_string(),
        "word/document.xml inflates beyond 256 MiB (zip bomb?)"
    );
}

#[test]
fn billion_laughs_is_inert() {
    let mut dtd = String::from("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    dtd.push_str("]>");
    let xml = format!(
        "<?xml version=\"1.0\"?>{dtd}<w:document xmlns:w=\"{W_NS}\"><w:body>\
         <w:p><w:r><w:t>&lol9; 与 &amp; 和 &#20013;</w:t></w:r></w:p></w:body></w:document>"
    );
    let start = Instant::now();
    let r = read_bytes("lol.docx", &docx(&xml)).unwrap();
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_eq!(
        paragraph_texts(&r.document),
        vec!["&lol9; 与 & 和 中".to_string()]
    );
}

#[test]
fn html_without_plan_text() {
    let page =
        "<!DOCTYPE html><html><head><title>首页</title><script>var p='<p>x</p>'</script></head>\
        <body><nav>首页 政务公开</nav><div>扫一扫在手机打开当前页</div><div>打印本页</div>\
        <footer>版权所有</footer></body></html>";
    assert_eq!(
        err("page.html", page.as_bytes()).to_string(),
        "HTML page has no text"
    );
}

#[test]
fn huge_file_rejected_from_metadata() {
    let dir = std::env::temp_dir().join(format!("guihua-read-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.txt");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(70 * 1000 * 1000).unwrap(); // sparse: costs no disk
    drop(f);
    let start = Instant::now();
    let e = read_path(&path).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(1));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        e.to_string(),
        "file is 70000000 bytes, over the 64 MiB limit; split the document or convert it to text first"
    );
    // The same cap applies to bytes handed over directly.
    let big = vec![b'a'; 64 * 1024 * 1024 + 1];
    assert!(matches!(
        read_bytes("big.txt", &big),
        Err(ReadError::TooLarge { .. })
    ));
}

#[test]
fn read_path_reads_a_file() {
    let dir = std::env::temp_dir().join(format!("guihua-read-path-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("plan.txt");
    std::fs::write(&path, "第一章\n第二章\n").unwrap();
    let r = read_path(&path).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(paragraph_texts(&r.document), vec!["第一章", "第二章"]);
    assert_eq!(r.sha256.len(), 64);
    let missing = read_path(std::path::Path::new("/nonexistent/guihua/plan.txt")).unwrap_err();
    assert!(
        missing.to_string().starts_with("cannot read file: "),
        "{missing}"
    );
}

#[test]
fn fifteen_megabyte_single_line() {
    let line = "发展规划".repeat(15 * 1024 * 1024 / 12);
    let r = read_bytes("long.txt", line.as_bytes()).unwrap();
    assert_eq!(r.document.blocks.len(), 1);
    assert_eq!(paragraph_texts(&r.document)[0].len(), line.len());
}

#[test]
fn pdf_without_pdftotext_or_broken_pdf_is_an_error() {
    // Either pdftotext is missing (clear message) or it rejects the garbage.
    let e = err("x.pdf", b"%PDF-1.4\nthis is not really a pdf\n");
    let msg = e.to_string();
    assert!(
        msg.contains("pdftotext") || msg.contains("no text layer"),
        "{msg}"
    );
}

#[test]
fn many_scripts_and_buttons_stay_linear() {
    let mut page = String::from("<html><body>");
    for _ in 0..20_000 {
        page.push_str("<script>x</script><button>b</button><p>规划。</p>");
    }
    page.push_str("</body></html>");
    let start = Instant::now();
    let r = read_bytes("p.html", page.as_bytes()).unwrap();
    assert_eq!(r.document.blocks.len(), 20_000);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
}
