//! Plans entering the library: a document the front end has read (from a path, an upload)
//! → the parser → the plan and where it came from → the store.
//!
//! The parser never fails on text, but a bug may panic; a panic on one document becomes an
//! [`Error::Internal`] naming the file, so a batch of a hundred plans or a web request
//! does not die with it.

use std::panic::{catch_unwind, AssertUnwindSafe};

use guihua_contract::Source;
use guihua_model::{Document, Plan};
use guihua_store::{Added, Store};

use crate::{Error, Result};

/// Parse a read document. `file` is the name shown and stored (no directories).
pub fn parse(
    file: &str,
    document: &Document,
    format: &str,
    encoding: &str,
    sha256: &str,
) -> Result<(Plan, Source)> {
    let plan =
        catch_unwind(AssertUnwindSafe(|| guihua_parse::parse_document(document))).map_err(|p| {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Error::Internal(format!(
                "internal error while parsing {file} (please report this file): {what}"
            ))
        })?;
    let source = Source {
        file: file.to_string(),
        format: format.to_string(),
        encoding: encoding.to_string(),
        sha256: sha256.to_string(),
    };
    Ok((plan, source))
}

/// Store a parsed plan. `revises` names the plan this one is the next version of (as
/// [`Store::resolve`] takes it); without it the store links a plan with the same region,
/// period and title. The same file again is [`Added::Duplicate`], not an error.
pub fn add(
    store: &dyn Store,
    principal: &crate::policy::Principal,
    why: Option<&str>,
    plan: &Plan,
    source: &Source,
    revises: Option<&str>,
) -> Result<Added> {
    principal.authorize(crate::policy::Action::ManagePlans)?;
    let actor = principal.actor(why);
    let revises = match revises {
        Some(k) => Some(store.resolve(k)?.id),
        None => None,
    };
    Ok(store.add_plan(plan, source, revises, &actor)?)
}

/// Keep the text of a stored plan as read ([`Document::text_lines`]), so readers can check
/// every extraction against its line (the portal's source page). Planners.
pub fn keep_text(
    store: &dyn Store,
    principal: &crate::policy::Principal,
    plan: guihua_store::PlanId,
    document: &Document,
) -> Result<()> {
    principal.authorize(crate::policy::Action::ManagePlans)?;
    Ok(store.set_plan_text(plan, &document.text_lines())?)
}
