//! Character references in XML and HTML text, decoded by hand.
//!
//! quick-xml 0.37 rejects unknown entities when unescaping, which would abort a whole Word
//! document over one `&foo;` declared in a DOCTYPE; and HTML has named entities XML lacks
//! (`&nbsp;`, `&ldquo;`). Here unknown references are kept literally, nothing is ever
//! expanded recursively (so a "billion laughs" DOCTYPE costs nothing), and `&nbsp;` becomes
//! a plain space so that it collapses like any other HTML whitespace.

/// Decode `&name;`, `&#N;` and `&#xH;`. With `html`, the common HTML named entities are
/// known too (and a missing `;` is tolerated for numeric references).
pub(crate) fn decode(s: &str, html: bool) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match reference(after, html) {
            Some((c, used)) => {
                out.push_str(c.as_ref());
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parse a reference after '&'; returns the replacement and the bytes consumed.
fn reference(after: &str, html: bool) -> Option<(std::borrow::Cow<'static, str>, usize)> {
    use std::borrow::Cow;
    let bytes = after.as_bytes();
    if bytes.first() == Some(&b'#') {
        let (digits_start, radix) = match bytes.get(1) {
            Some(b'x') | Some(b'X') => (2, 16),
            _ => (1, 10),
        };
        let len = bytes[digits_start..]
            .iter()
            .take(8)
            .take_while(|b| (*b).is_ascii_hexdigit() && (radix == 16 || b.is_ascii_digit()))
            .count();
        if len == 0 {
            return None;
        }
        let end = digits_start + len;
        let code = u32::from_str_radix(&after[digits_start..end], radix).ok()?;
        let used = if bytes.get(end) == Some(&b';') {
            end + 1
        } else if html {
            end
        } else {
            return None;
        };
        let c = match code {
            0 => '\u{fffd}',
            // Windows-1252 references that HTML pages use for quotes.
            0x93 | 0x94 if html => '"',
            0x91 | 0x92 if html => '\'',
            _ => char::from_u32(code)?,
        };
        let c = if c == '\u{a0}' { ' ' } else { c };
        return Some((Cow::Owned(c.to_string()), used));
    }
    let name_len = bytes
        .iter()
        .take(12)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0 || bytes.get(name_len) != Some(&b';') {
        return None;
    }
    let name = &after[..name_len];
    let s: &'static str = match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "quot" => "\"",
        "apos" => "'",
        _ if !html => return None,
        "nbsp" | "ensp" | "emsp" | "thinsp" => " ",
        "ldquo" => "“",
        "rdquo" => "”",
        "lsquo" => "‘",
        "rsquo" => "’",
        "mdash" => "—",
        "ndash" => "–",
        "hellip" => "…",
        "middot" => "·",
        "bull" => "•",
        "times" => "×",
        "divide" => "÷",
        "plusmn" => "±",
        "deg" => "°",
        "permil" => "‰",
        "le" => "≤",
        "ge" => "≥",
        "yen" => "¥",
        "copy" => "©",
        "reg" => "®",
        "laquo" => "«",
        "raquo" => "»",
        "sup2" => "²",
        "sup3" => "³",
        _ => return None,
    };
    Some((Cow::Borrowed(s), name_len + 1))
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn xml_and_html_references() {
        assert_eq!(
            decode("a &lt;b&gt; &amp; &#20013;&#x6587;", false),
            "a <b> & 中文"
        );
        assert_eq!(decode("&lol9; stays", false), "&lol9; stays");
        assert_eq!(decode("&nbsp;x", false), "&nbsp;x");
        assert_eq!(decode("&nbsp;x&ldquo;y&rdquo;", true), " x“y”");
        assert_eq!(decode("AT&T & co &#; &#xZZ;", true), "AT&T & co &#; &#xZZ;");
        assert_eq!(decode("&#99999999999;", true), "&#99999999999;");
    }
}
