//! The demo's maintainer content: the example rules and notes kept in the repository's
//! `content/` folder, and an `about-demo` page listing what was planted.

use std::fmt::Write as _;
use std::path::Path;

use super::config::{DemoConfig, MIN_DAYS};
use super::dates::ymd;
use super::truth::{GroundTruth, SituationKind};

/// The demo site's maintainer content, kept in the repository's `content/` folder so it reads
/// as the example it is: `(path under content/, text)`.
const CONTENT: &[(&str, &str)] = &[
    (
        "known-issues.toml",
        include_str!("../../../content/known-issues.toml"),
    ),
    (
        "test-owners.toml",
        include_str!("../../../content/test-owners.toml"),
    ),
    (
        "regressions/c13142317a497be3.md",
        include_str!("../../../content/regressions/c13142317a497be3.md"),
    ),
];

/// A markdown page (TOML front matter) describing what the generator planted.
fn about_page(cfg: &DemoConfig, truth: &GroundTruth) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "+++\ntitle = \"About this demo\"\n+++\n");
    let _ = writeln!(
        s,
        "This site was built from a generated history: {} days of KCIDB results from KernelCI \
         (`maestro`) and LKFT (`linaro`) ending {}, seed {}. The generator planted the \
         situations below; every other test passes or is skipped.\n",
        cfg.days.max(MIN_DAYS),
        ymd(cfg.end_date),
        cfg.seed
    );
    let _ = writeln!(s, "## Regressions a good tracker reports\n");
    for r in truth.regressions() {
        let _ = write!(
            s,
            "- **{}** on {} ({}, scope {}): `{}` on {} board(s)",
            r.name,
            r.tree_name,
            r.expected_status.as_deref().unwrap_or("?"),
            r.scope.as_deref().unwrap_or("?"),
            r.tests.join("`, `"),
            r.platforms.len()
        );
        if let Some(sig) = &r.signature {
            let _ = write!(s, ", crash `{sig}`");
        }
        s.push('\n');
    }
    let _ = writeln!(s, "\n## Failures that are not regressions\n");
    for o in truth
        .situations
        .iter()
        .filter(|s| s.kind != SituationKind::Regression)
    {
        let what = match o.kind {
            SituationKind::FlakyTest => "flaky test",
            SituationKind::FlakyBoard => "flaky board",
            SituationKind::LabOutage => "lab outage (ERROR/MISS)",
            SituationKind::OneOff => "one failed run, passing again the next night",
            _ => "always failing",
        };
        let subject = match o.kind {
            SituationKind::FlakyBoard => o.platforms.join(", "),
            SituationKind::LabOutage => o.labs.join(", "),
            _ if o.platforms.len() > 5 => {
                format!("`{}` on {} boards", o.tests.join("`, `"), o.platforms.len())
            }
            _ => format!("`{}` on {}", o.tests.join("`, `"), o.platforms.join(", ")),
        };
        let _ = writeln!(s, "- **{}**: {what}, {subject}", o.name);
    }
    s
}

/// Writes the content files into `dir` (the `content/` folder of a demo).
pub(super) fn write_content(
    dir: &Path,
    cfg: &DemoConfig,
    truth: &GroundTruth,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (path, text) in CONTENT {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("content files sit in a folder"))?;
        std::fs::write(path, text)?;
    }
    std::fs::write(dir.join("about-demo.md"), about_page(cfg, truth))
}
