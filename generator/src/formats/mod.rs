//! TEMPORARY stub: the real parsers are being written (KTAP, JUnit, kirk, TuxRun).
use crate::model::Status;

#[derive(Debug, Clone, PartialEq)]
pub struct ResultRecord {
    pub path: String,
    pub status: Status,
    pub log_excerpt: Option<String>,
    pub start_time: Option<String>,
    pub duration: Option<f64>,
    pub line: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormatError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub records: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormatOutput {
    pub format: &'static str,
    pub results: Vec<ResultRecord>,
    pub errors: Vec<FormatError>,
    pub expected: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Ktap,
    Junit,
    Kirk,
    Tuxrun,
}

pub fn detect(_file_name: &str, _head: &str) -> Option<Format> {
    None
}

pub fn parse(_format: Format, _text: &str, _suite_prefix: Option<&str>) -> FormatOutput {
    FormatOutput {
        format: "stub",
        results: vec![],
        errors: vec![],
        expected: None,
    }
}
