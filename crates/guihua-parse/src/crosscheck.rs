//! Cross checks (stub).
use guihua_model::{Diagnostic, Plan};
pub(crate) fn check(_p: &Plan) -> Vec<Diagnostic> {
    Vec::new()
}
