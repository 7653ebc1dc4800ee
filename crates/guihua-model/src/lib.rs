//! The domain model of guihua: what a five-year plan *is* once it has been read.
//!
//! Two halves live here because every other crate needs them and they must not depend on
//! anything that does I/O:
//!
//! * [`document`] — the neutral form every container (txt, docx, html, pdf) is turned into
//!   before parsing: a list of paragraphs and tables, each with the line it occupies in the
//!   text rendering of the document. Readers produce it, the parser consumes it, so the
//!   parser never knows which container a plan came in.
//! * [`plan`] — the plan itself: outline (篇/章/节/专栏), main indicator table (主要指标),
//!   prose targets (目标), projects (重大项目/工程), metadata and diagnostics.
//!
//! The model is deliberately free of serialisation: the public JSON contract is a separate
//! mapping layer (`guihua-contract`), so this model can evolve without breaking users.

pub mod document;
pub mod plan;
pub mod unit;

pub use document::{Block, Cell, Document, Paragraph, Row, Table};
pub use plan::*;
pub use unit::same_unit;
