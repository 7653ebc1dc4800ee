//! Reading plan files: bytes in, [`Document`] out — or a clear error saying why the bytes
//! are not a document at all.
//!
//! This is the I/O edge before the pure parser. (Stub: the real readers land next.)

use guihua_model::Document;

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

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Invalid(String),
}

/// Read a document from bytes; `name` (the file name) selects the container by extension,
/// with content sniffing as a fallback.
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<ReadDocument, ReadError> {
    let _ = name;
    let text = String::from_utf8_lossy(bytes);
    Ok(ReadDocument {
        document: Document::from_text(&text),
        format: Format::Txt,
        encoding: "utf-8".into(),
        sha256: String::new(),
    })
}
