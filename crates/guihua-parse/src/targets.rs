//! Prose targets (stub).
use guihua_model::{Period, Target};
pub(crate) fn extract(_ctx: &crate::Context, _p: Option<Period>) -> Vec<Target> {
    Vec::new()
}
