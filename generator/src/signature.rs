//! TEMPORARY stub until the extractor lands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crash {
    pub title: String,
    pub kind: &'static str,
    pub line: usize,
}
pub fn extract(log: &str) -> Option<Crash> {
    log.lines().enumerate().find_map(|(i, l)| {
        let at = l.find("WARNING:").or_else(|| l.find("BUG:"))?;
        Some(Crash {
            title: l[at..].to_string(),
            kind: "OTHER",
            line: i,
        })
    })
}
