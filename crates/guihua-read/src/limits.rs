//! Hard limits on what a reader will accept.
//!
//! Plan files come from the web and from colleagues' mail boxes; a reader must survive hostile
//! or broken input without exhausting memory. Every size a container *declares* (zip entry
//! sizes, HTML `colspan`) is untrusted: we cap what we actually read or allocate, and check
//! the file size from metadata before reading it at all. Real plans are far below every cap
//! (the reference plans are ~150 KB of text).

/// Largest input file accepted, in bytes (64 MiB).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Largest decompressed XML part of a Word document (256 MiB). Read through `Read::take`,
/// so a zip bomb stops after this many bytes whatever its headers claim.
pub const MAX_XML_BYTES: u64 = 256 * 1024 * 1024;

/// Most entries a `.docx` archive may have; real documents have tens to a few hundred.
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// Largest column span honoured (HTML `colspan`, Word `w:gridSpan`); larger values are clamped.
pub const MAX_COL_SPAN: u16 = 1_000;

/// Bytes in a MiB, for messages.
pub const MIB: u64 = 1024 * 1024;
