//! Decoding text bytes: which encoding, and is it text at all.
//!
//! Chinese government plans circulate as UTF-8, as GB18030/GBK (the default "ANSI" code page
//! of Chinese Windows), and as UTF-16 (Notepad's "Unicode"). Files rarely say which, so we
//! decide from the bytes, in an order chosen so that no valid file is misread:
//!
//! 1. a BOM is authoritative (UTF-8, UTF-16LE, UTF-16BE);
//! 2. NUL bytes mean UTF-16 without BOM if they sit at alternating positions and the text
//!    decodes cleanly, otherwise binary data;
//! 3. valid UTF-8 is UTF-8 (GB18030 text is almost never valid UTF-8); then a charset the
//!    container declared (HTML `<meta>`), if the bytes decode with it;
//! 4. otherwise, if most non-ASCII bytes form valid UTF-8 sequences the file is UTF-8 with
//!    corruption: reject it with the offset rather than reading mojibake as GB18030;
//! 5. otherwise GB18030, accepted only when it decodes without errors *and* the result is
//!    plausibly Chinese text (mostly CJK, punctuation and ASCII);
//! 6. last, BOM-less UTF-16 of pure CJK text (no ASCII, hence no NULs).
//!
//! We never decode lossily: a replacement character in a plan would silently change a
//! number or a name, so broken input is an error with a byte offset.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};
use guihua_model::Document;

use crate::ReadError;

/// Decode text bytes to a string with LF line ends and no BOM, and name the encoding.
///
/// `declared` is an encoding the container announced (HTML `<meta charset>`); it is tried
/// first after a BOM, and ignored if the bytes do not decode with it.
pub(crate) fn decode_text(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
) -> Result<(String, String), ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let (text, enc) = decode_raw(bytes, declared)?;
    check_controls(&text, enc)?;
    Ok((normalise_newlines(&text), enc.to_string()))
}

/// One paragraph per line; a final line end does not start an extra empty paragraph.
pub(crate) fn text_document(text: &str) -> Document {
    let text = text.strip_suffix('\n').unwrap_or(text);
    Document::from_text(text)
}

fn decode_raw(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
) -> Result<(String, &'static str), ReadError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((s.to_string(), "utf-8")),
            Err(e) => Err(ReadError::InvalidEncoding {
                encoding: "UTF-8",
                offset: e.valid_up_to() + 3,
            }),
        };
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(rest, UTF_16LE, 2);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(rest, UTF_16BE, 2);
    }
    if let Some(first_nul) = memchr_nul(bytes) {
        for enc in utf16_by_nuls(bytes) {
            if let Ok(r) = decode_utf16(bytes, enc, 0) {
                if plausible(&r.0) {
                    return Ok(r);
                }
            }
        }
        return Err(ReadError::Binary(first_nul));
    }
    // Valid UTF-8 wins even over a declared legacy charset: pages are often re-encoded
    // without fixing their <meta>, and non-ASCII GBK text is essentially never valid UTF-8.
    let utf8_err = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok((s.to_string(), "utf-8")),
        Err(e) => e.valid_up_to(),
    };
    if let Some(enc) = declared {
        if enc != UTF_16LE && enc != UTF_16BE && enc != UTF_8 {
            if let Some(s) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
                return Ok((s.into_owned(), encoding_name(enc)));
            }
        }
    }
    if !mostly_utf8(bytes) {
        if let Some(s) = GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
            if plausible(&s) {
                return Ok((s.into_owned(), "gb18030"));
            }
        }
        if bytes.len().is_multiple_of(2) {
            for enc in [UTF_16LE, UTF_16BE] {
                if let Ok(r) = decode_utf16(bytes, enc, 0) {
                    if plausible(&r.0) && cjk_share(&r.0) > 0.5 {
                        return Ok(r);
                    }
                }
            }
        }
    }
    Err(ReadError::InvalidText(utf8_err))
}

/// The name we report for an encoding_rs encoding. GBK is decoded by the GB18030 decoder
/// in encoding_rs (GB18030 is a superset), so both are reported as "gb18030".
pub(crate) fn encoding_name(enc: &'static Encoding) -> &'static str {
    if enc == UTF_8 {
        "utf-8"
    } else if enc == GB18030 || enc == encoding_rs::GBK {
        "gb18030"
    } else if enc == UTF_16LE {
        "utf-16le"
    } else if enc == UTF_16BE {
        "utf-16be"
    } else {
        // Big5, windows-1252…: rare for plans; report encoding_rs' canonical name.
        enc.name()
    }
}

fn decode_utf16(
    bytes: &[u8],
    enc: &'static Encoding,
    base: usize,
) -> Result<(String, &'static str), ReadError> {
    let name = if enc == UTF_16LE {
        "UTF-16LE"
    } else {
        "UTF-16BE"
    };
    if !bytes.len().is_multiple_of(2) {
        return Err(ReadError::InvalidEncoding {
            encoding: name,
            offset: base + bytes.len() - 1,
        });
    }
    match enc.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(s) => Ok((s.into_owned(), encoding_name(enc))),
        None => {
            // Find the first bad unit for the message.
            let offset = first_bad_utf16(bytes, enc == UTF_16LE);
            Err(ReadError::InvalidEncoding {
                encoding: name,
                offset: base + offset,
            })
        }
    }
}

fn first_bad_utf16(bytes: &[u8], le: bool) -> usize {
    let units = bytes.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let mut pos = 0;
    for r in char::decode_utf16(units) {
        match r {
            Ok(c) => pos += c.len_utf16() * 2,
            Err(_) => return pos,
        }
    }
    pos
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// UTF-16 without BOM, recognised by NULs: ASCII characters have a NUL high byte, so NULs
/// cluster on one parity (CJK characters such as 一 U+4E00 put a few on the other). Returns
/// the candidates to try, likelier first; the caller accepts one only if it decodes
/// cleanly into plausible text. Looks at the first 64 KiB.
fn utf16_by_nuls(bytes: &[u8]) -> Vec<&'static Encoding> {
    if !bytes.len().is_multiple_of(2) {
        return Vec::new();
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in sample.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    if odd >= even {
        vec![UTF_16LE, UTF_16BE]
    } else {
        vec![UTF_16BE, UTF_16LE]
    }
}

/// True when most non-ASCII bytes form valid UTF-8 sequences: the file is UTF-8 with a few
/// broken bytes, not a legacy encoding.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().bytes().filter(|b| !b.is_ascii()).count();
        bad += chunk.invalid().len();
    }
    good > 0 && good >= bad * 4
}

/// Plausible Chinese (or ASCII) text: at least 95% of characters are ASCII text, CJK
/// ideographs, CJK or full-width punctuation, or common typographic punctuation.
fn plausible(s: &str) -> bool {
    let (mut total, mut good) = (0usize, 0usize);
    for c in s.chars() {
        total += 1;
        if is_plain_char(c) {
            good += 1;
        }
    }
    total > 0 && good * 100 >= total * 95
}

fn is_plain_char(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | '\x0c'
        | ' '..='~'
        | '\u{a0}'..='\u{ff}'
        | '\u{2000}'..='\u{206f}'   // general punctuation — “ ” ‘ ’ …
        | '\u{2100}'..='\u{22ff}'   // letterlike, number forms, arrows, maths ≥ ≤
        | '\u{2460}'..='\u{24ff}'   // ① ②
        | '\u{2500}'..='\u{25ff}'   // box drawing, shapes ■ ●
        | '\u{3000}'..='\u{303f}'   // CJK punctuation 、。〔〕
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{fe30}'..='\u{fe4f}'   // CJK compatibility forms
        | '\u{fe50}'..='\u{fe6f}'   // small forms ﹝﹞
        | '\u{ff00}'..='\u{ffef}'   // full-width forms
    )
}

fn cjk_share(s: &str) -> f64 {
    let (mut total, mut cjk) = (0usize, 0usize);
    for c in s.chars() {
        total += 1;
        if matches!(c, '\u{3000}'..='\u{303f}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
        {
            cjk += 1;
        }
    }
    if total == 0 {
        0.0
    } else {
        cjk as f64 / total as f64
    }
}

/// Reject decoded text that is mostly control characters (more than 1% and at least 4):
/// that is binary data that happened to decode. Offset is the byte offset of the first
/// control character in the decoded text (exact for UTF-8).
fn check_controls(s: &str, _enc: &str) -> Result<(), ReadError> {
    let mut count = 0usize;
    let mut first = None;
    let mut total = 0usize;
    for (i, c) in s.char_indices() {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') {
            count += 1;
            first.get_or_insert(i);
        }
    }
    match first {
        Some(at) if count >= 4 && count * 100 > total => Err(ReadError::Binary(at)),
        _ => Ok(()),
    }
}

/// CRLF and lone CR become LF.
pub(crate) fn normalise_newlines(s: &str) -> String {
    if !s.contains('\r') {
        return s.to_string();
    }
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Does the start of the file look like an HTML page?
pub(crate) fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let lower = head[start..].to_ascii_lowercase();
    lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || (lower.starts_with(b"<?xml") && lower.windows(5).any(|w| w == b"<html"))
        || (lower.starts_with(b"<!--") && lower.windows(5).any(|w| w == b"<html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(b: &[u8]) -> Result<(String, String), ReadError> {
        decode_text(b, None)
    }

    #[test]
    fn utf8_plain_and_bom() {
        assert_eq!(
            dec("第一章\r\n总则\r".as_bytes()).unwrap(),
            ("第一章\n总则\n".into(), "utf-8".into())
        );
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice("规划".as_bytes());
        assert_eq!(dec(&b).unwrap().0, "规划");
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let s = "第一章 总则 2025年\n";
        let le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let mut with = vec![0xFF, 0xFE];
        with.extend_from_slice(&le);
        assert_eq!(dec(&with).unwrap(), (s.into(), "utf-16le".into()));
        assert_eq!(dec(&le).unwrap(), (s.into(), "utf-16le".into()));
        assert_eq!(dec(&be).unwrap(), (s.into(), "utf-16be".into()));
        // Pure CJK without BOM: no NULs at all.
        let cjk = "发展规划纲要";
        let le: Vec<u8> = cjk.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(dec(&le).unwrap(), (cjk.into(), "utf-16le".into()));
    }

    #[test]
    fn gb18030_detected() {
        let s = "第一章 指导思想，到2025年生产总值达到510亿元。";
        let (bytes, _, _) = GB18030.encode(s);
        assert_eq!(dec(&bytes).unwrap(), (s.into(), "gb18030".into()));
    }

    #[test]
    fn broken_utf8_is_rejected_with_offset() {
        let mut b = "第一章总则，发展目标和主要任务。".as_bytes().to_vec();
        let at = b.len();
        b.push(0xFF);
        b.extend_from_slice("继续".as_bytes());
        match dec(&b) {
            Err(ReadError::InvalidText(n)) => assert_eq!(n, at),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn binary_rejected() {
        assert!(matches!(
            dec(b"abc\0\x01\x02\x03def\0"),
            Err(ReadError::Binary(3))
        ));
        assert!(matches!(
            dec(b"\x01\x02\x03\x04\x05\x06ab"),
            Err(ReadError::Binary(0))
        ));
        // One stray control character is kept, not rejected.
        assert!(dec("文本\x1b文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本文本".as_bytes()).is_ok());
    }

    #[test]
    fn html_sniff() {
        assert!(looks_like_html(b"  <!DOCTYPE HTML>"));
        assert!(looks_like_html(b"\xEF\xBB\xBF<html lang=zh>"));
        assert!(!looks_like_html(b"<p>not sure</p>"));
    }
}
