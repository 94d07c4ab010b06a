//! placeholder until the demo generator lands
pub fn write_demo(_out: &std::path::Path, _seed: u64, _days: u32) -> anyhow::Result<usize> {
    anyhow::bail!("not yet")
}
