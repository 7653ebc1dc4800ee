//! Projects (stub).
use guihua_model::{Diagnostic, Project};
pub(crate) fn extract(_ctx: &crate::Context) -> (Vec<Project>, Vec<Diagnostic>) {
    (Vec::new(), Vec::new())
}
