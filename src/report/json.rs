//! JSON output: the [`RunReport`] as is, with stable key names (documented in
//! the README). Means over no paths are written as `null`.

use super::{Exporter, RunReport};

/// Writes the full report as pretty-printed JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonExporter;

impl Exporter for JsonExporter {
    fn serialize(&self, report: &RunReport) -> anyhow::Result<Vec<u8>> {
        let mut bytes = serde_json::to_vec_pretty(report)?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}
