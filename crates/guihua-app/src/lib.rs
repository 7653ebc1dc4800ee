//! The guihua application layer: what every front end calls.
//!
//! Like rust-analyzer's `ide` crate, this is the API boundary: the CLI and the web
//! application call these functions with plain data (names, bytes, options) and get
//! plain data or a typed [`Error`] back. Nothing here parses arguments, prints, reads the
//! environment or the clock, or touches files: front ends read the file a person names (or
//! the upload they send) into bytes, and write what they are given. So a rule — which row
//! is acceptable, which subject a name means, which cells are neutralised — exists once,
//! and two front ends cannot drift apart.
//!
//! What lives here so far: plans entering the library ([`plans`]), data entry one value
//! at a time ([`entry`]), managing links, departments, users and backups ([`admin`]),
//! strict input ([`input`]: numbers, years, spreadsheet and CSV
//! reading with row/column errors), resolving what a person typed to a plan's subject
//! ([`subjects`]), checking and committing imports ([`import`]), plausibility warnings
//! ([`plausibility`]), who may do what ([`policy`]), evaluation assembly and comparison
//! ([`evaluation`]), the method's parameters ([`method`]), report assembly ([`report`]) with staff's
//! words ([`narrative`]), the fill-in template and exports ([`sheets`]), and text leaving for
//! spreadsheets, terminals and file names ([`output`]). Annual targets read from a work
//! report ([`annual`]), the previous plan closed from a new plan's review table
//! ([`review`]), alignment with the plan above ([`evaluation::align`]). For the web
//! application: the public portal ([`portal`]), publication of evaluations
//! ([`publication`]), collection rounds ([`collection`]), public comments, ratings and
//! internal remarks ([`comments`]), and sign-in ([`session`]). Search across every plan
//! ([`search`]: who sees which plans; the engine is `guihua-search`).

pub mod admin;
pub mod annual;
pub mod collection;
pub mod comments;
pub mod entry;
pub mod evaluation;
pub mod import;
pub mod input;
pub mod method;
pub mod narrative;
pub mod output;
pub mod plans;
pub mod plausibility;
pub mod policy;
pub mod portal;
pub mod publication;
pub mod report;
pub mod review;
pub mod search;
pub mod session;
pub mod sheets;
pub mod subjects;

use guihua_store::StoreError;

/// What went wrong, by kind: front ends map the kind (not the message) to an exit code or
/// an HTTP status, in one place each ([`ErrorKind`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such plan, subject, file or user.
    #[error("{0}")]
    NotFound(String),
    /// A name that matches several things.
    #[error("{0}")]
    Ambiguous(String),
    /// The request or its input is wrong; nothing was written.
    #[error("{0}")]
    Invalid(String),
    /// An input file whose rows are wrong, each with its row, column and reason; nothing
    /// was written.
    #[error("{}", rejected_summary(.0))]
    Rejected(Vec<input::table::RowError>),
    /// Another writer changed what this write depends on; nothing was written.
    #[error("{0}")]
    Conflict(String),
    /// The user may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The request says who it is from, and that is not so: an unknown, malformed or
    /// revoked API token (HTTP 401). Nothing was done.
    #[error("{0}")]
    Unauthenticated(String),
    /// A value that looks implausible (the warning says why): stored only once the writer
    /// confirms it (`--accept-outliers`, a confirmation field in a form). Nothing was written.
    #[error("{0}")]
    Unconfirmed(String),
    /// Too many requests from one sender (sign-ins, comments): try later. Nothing written.
    #[error("{0}")]
    Limited(String),
    /// The library failed.
    #[error(transparent)]
    Store(StoreError),
    /// A fault of this program (writing a workbook failed, …), not of the input.
    #[error("{0}")]
    Internal(String),
}

fn rejected_summary(errs: &[input::table::RowError]) -> String {
    errs.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The kinds of [`Error`], for front ends to map (exit codes, HTTP statuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    Ambiguous,
    Invalid,
    Conflict,
    Forbidden,
    /// Credentials that are not valid (HTTP 401).
    Unauthenticated,
    /// Too many requests from one sender (HTTP 429).
    Limited,
    Internal,
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NotFound(_) | Error::Store(StoreError::NotFound(_)) => ErrorKind::NotFound,
            Error::Ambiguous(_) | Error::Store(StoreError::Ambiguous(_)) => ErrorKind::Ambiguous,
            Error::Invalid(_)
            | Error::Rejected(_)
            | Error::Unconfirmed(_)
            | Error::Store(StoreError::Invalid(_)) => ErrorKind::Invalid,
            Error::Conflict(_) | Error::Store(StoreError::Conflict(_)) => ErrorKind::Conflict,
            Error::Forbidden(_) => ErrorKind::Forbidden,
            Error::Unauthenticated(_) => ErrorKind::Unauthenticated,
            Error::Limited(_) | Error::Store(StoreError::Limited(_)) => ErrorKind::Limited,
            Error::Store(_) | Error::Internal(_) => ErrorKind::Internal,
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        Error::Store(e)
    }
}

pub type Result<T> = std::result::Result<T, Error>;
