//! Reading plan files: bytes in, [`Document`] out — or a clear error saying why the bytes
//! are not a document at all.
//!
//! This is the I/O edge before the pure parser. Plans arrive as text in whatever encoding
//! the publishing office used (UTF-8, GB18030, UTF-16 from Windows tools), as Word
//! documents, as saved government web pages, or as PDFs. Each reader turns its container
//! into the same [`Document`] form so the parser never sees container details.
//!
//! Design rules:
//! - never silently lose text: undecodable input is rejected with a byte offset rather than
//!   decoded lossily;
//! - never trust sizes declared by the input (see [`limits`]);
//! - the extension chooses the reader, but content sniffing wins when the extension lies
//!   (a `.txt` that is really a zip, an unknown extension that is a PDF).

use std::io::Read;
use std::path::Path;

use guihua_model::Document;
use sha2::{Digest, Sha256};

mod docx;
mod encoding;
mod entities;
mod html;
pub mod limits;
pub mod pdf;

/// The container a document came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Txt,
    Md,
    Docx,
    Html,
    Pdf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Md => "md",
            Format::Docx => "docx",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }
}

/// A document read from a file, with what is known about its source.
#[derive(Debug, Clone)]
pub struct ReadDocument {
    pub document: Document,
    pub format: Format,
    /// "utf-8", "utf-16le", "utf-16be", "gb18030"; for docx "utf-8".
    pub encoding: String,
    /// Hex sha256 of the file's bytes.
    pub sha256: String,
}

/// Why a file could not be read. Messages are one line, shown as `guihua: FILE: <message>`,
/// and say what is wrong and, where there is something to do, what to do.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    #[error("file is empty")]
    Empty,
    #[error("file is {size} bytes, over the {} MiB limit; split the document or convert it to text first", cap / limits::MIB)]
    TooLarge { size: u64, cap: u64 },
    #[error("not a text document: binary data at byte {0}")]
    Binary(usize),
    #[error("invalid UTF-8 at byte {0}, and not GB18030 either; re-save the file as UTF-8")]
    InvalidText(usize),
    #[error("invalid {encoding} at byte {offset}; re-save the file as UTF-8")]
    InvalidEncoding {
        encoding: &'static str,
        offset: usize,
    },
    #[error("not a Word document (not a zip archive)")]
    NotZip,
    #[error("not a Word document: no word/document.xml")]
    NotDocx,
    #[error("damaged Word document (truncated or corrupt zip: {0}); re-save it in Word")]
    BrokenZip(String),
    #[error("Word document is password-protected or in the old .doc format; save it as an unprotected .docx")]
    Encrypted,
    #[error("Word document has {entries} zip entries, over the limit of {limit}")]
    TooManyEntries { entries: usize, limit: usize },
    #[error("{entry} inflates beyond {} MiB (zip bomb?)", limit / limits::MIB)]
    ZipBomb { entry: String, limit: u64 },
    #[error("malformed XML in {entry} at byte {offset}: {message}")]
    Xml {
        entry: String,
        offset: u64,
        message: String,
    },
    #[error("HTML page has no text")]
    HtmlNoText,
    #[error("reading PDF needs pdftotext from poppler-utils: apt-get install poppler-utils")]
    PdftotextMissing,
    #[error("pdftotext failed: {0}")]
    Pdftotext(String),
    #[error("PDF has no text layer (scanned pages?); run OCR on it first")]
    PdfNoText,
}

/// Read a document from bytes; `name` (the file name) selects the container by extension,
/// with content sniffing as a fallback.
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<ReadDocument, ReadError> {
    read_inner(name, bytes, None)
}

/// Read a document from a file. The size is checked from metadata before anything is read,
/// so a huge file is rejected without reading it.
pub fn read_path(path: &Path) -> Result<ReadDocument, ReadError> {
    let size = std::fs::metadata(path)?.len();
    if size > limits::MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            size,
            cap: limits::MAX_INPUT_BYTES,
        });
    }
    let file = std::fs::File::open(path)?;
    // The file may grow between metadata and read: never read more than the cap + 1.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limits::MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    read_inner(&name, &bytes, Some(path))
}

/// What the bytes look like, regardless of the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniffed {
    Zip,
    Pdf,
    Html,
    /// OLE compound file: an old `.doc`, or an encrypted Office document.
    Ole,
    Other,
}

fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Sniffed::Ole;
    }
    // PDF readers accept the header anywhere in the first KiB.
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Sniffed::Pdf;
    }
    if encoding::looks_like_html(bytes) {
        return Sniffed::Html;
    }
    Sniffed::Other
}

fn extension(name: &str) -> String {
    Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn read_inner(name: &str, bytes: &[u8], path: Option<&Path>) -> Result<ReadDocument, ReadError> {
    let size = bytes.len() as u64;
    if size > limits::MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            size,
            cap: limits::MAX_INPUT_BYTES,
        });
    }
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let ext = extension(name);
    let sniffed = sniff(bytes);
    let text_format = if matches!(ext.as_str(), "md" | "markdown") {
        Format::Md
    } else {
        Format::Txt
    };
    let format = match (ext.as_str(), sniffed) {
        // A .docx must be a zip; say so plainly rather than decoding it as text.
        ("docx", Sniffed::Zip) => Format::Docx,
        (_, Sniffed::Ole) => return Err(ReadError::Encrypted),
        ("docx", _) => return Err(ReadError::NotZip),
        (_, Sniffed::Zip) => Format::Docx,
        (_, Sniffed::Pdf) => Format::Pdf,
        (_, Sniffed::Html) => Format::Html,
        ("html" | "htm" | "shtml" | "xhtml", _) => Format::Html,
        _ => text_format,
    };
    let (document, enc) = match format {
        Format::Txt | Format::Md => {
            let (text, enc) = encoding::decode_text(bytes, None)?;
            (encoding::text_document(&text), enc)
        }
        Format::Docx => (docx::read_docx(bytes)?, "utf-8".to_string()),
        Format::Html => html::read_html(bytes)?,
        Format::Pdf => (pdf::read_pdf(bytes, path)?, "utf-8".to_string()),
    };
    Ok(ReadDocument {
        document,
        format,
        encoding: enc,
        sha256: hex_sha256(bytes),
    })
}

/// Number blocks in their text rendering: one line per paragraph, one per table row.
pub(crate) fn number_lines(blocks: &mut [guihua_model::Block]) {
    use guihua_model::Block;
    let mut line: u32 = 1;
    for block in blocks {
        match block {
            Block::Paragraph(p) => {
                p.line = line;
                line = line.saturating_add(1);
            }
            Block::Table(t) => {
                t.line = line;
                for row in &mut t.rows {
                    row.line = line;
                    line = line.saturating_add(1);
                }
            }
        }
    }
}

/// Append `piece` to `buf` as one line of cell text: pieces are concatenated (Chinese has
/// no spaces between words), with a single space only where two ASCII words would
/// otherwise run together.
pub(crate) fn push_joined(buf: &mut String, piece: &str) {
    let piece = piece.trim();
    if piece.is_empty() {
        return;
    }
    let last = buf.chars().next_back();
    let first = piece.chars().next();
    if let (Some(a), Some(b)) = (last, first) {
        if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
            buf.push(' ');
        }
    }
    buf.push_str(piece);
}

fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            hex_sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn dispatch_by_extension_and_sniffing() {
        let r = read_bytes("a.txt", "第一章 总则\n".as_bytes()).unwrap();
        assert_eq!(r.format, Format::Txt);
        let r = read_bytes("a.md", b"# x\n").unwrap();
        assert_eq!(r.format, Format::Md);
        let r = read_bytes("page.bin", b"<!DOCTYPE html><html><p>abc</p></html>").unwrap();
        assert_eq!(r.format, Format::Html);
        let r = read_bytes("x.htm", b"<p>abc").unwrap();
        assert_eq!(r.format, Format::Html);
        assert!(matches!(
            read_bytes("a.docx", b"hello"),
            Err(ReadError::NotZip)
        ));
        assert!(matches!(read_bytes("a.txt", b""), Err(ReadError::Empty)));
    }

    #[test]
    fn messages_are_one_line() {
        let e = ReadError::TooLarge {
            size: 70 * limits::MIB,
            cap: limits::MAX_INPUT_BYTES,
        };
        let m = e.to_string();
        assert!(m.contains("73400320") && m.contains("64 MiB") && !m.contains('\n'));
    }
}
