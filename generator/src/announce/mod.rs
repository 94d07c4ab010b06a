//! Telling people: what a night's report says, in the forms maintainers read without opening
//! a dashboard: Atom feeds, mail-ready reports with regzbot lines, the nightly digest (and
//! RFC 5322 messages of it), and the regressions as KCIDB issues and incidents.
//!
//! A stage between the report and the site: it reads the report, its routing and the ledger
//! (whose events make the feeds and digests the same on every build), and hands the site
//! files to write; `regtrack report` uses it without a site. Nothing here sends anything:
//! regtrack writes files, a mailer or a KCIDB submitter takes them from there.

pub mod digest;
pub mod events;
pub mod feeds;
pub mod kcidb_out;
pub mod mbox;
pub mod options;
pub mod regzbot;
pub mod report_txt;
pub mod text;

use options::section_names;
pub use options::{AnnounceOptions, DEFAULT_ORIGIN};

use crate::report::Report;
use crate::report::ledger::Ledger;

/// Writes what only routing and the finished report know into the ledger before it is saved:
/// each current regression's sections (so its events stay in their subsystems' feeds after
/// it leaves the data) and its KCIDB issue's version (bumped when the issue changed).
pub fn remember(ledger: &mut Ledger, report: &Report, opts: &AnnounceOptions) {
    for r in &report.regressions {
        let Some(e) = ledger.entries.get_mut(&r.id) else {
            continue;
        };
        if let Some(route) = report.routing.as_ref().and_then(|x| x.get(&r.id)) {
            e.subsystems = route.subsystems.iter().map(|s| s.slug.clone()).collect();
        }
        if r.is_published() {
            let digest = kcidb_out::digest(r, report, opts);
            match &mut e.kcidb {
                Some(k) if k.digest == digest => {}
                Some(k) => {
                    k.version += 1;
                    k.digest = digest;
                }
                None => {
                    e.kcidb = Some(crate::report::ledger::KcidbVersion { version: 1, digest });
                }
            }
        }
    }
}

/// The feeds (`feed.xml`, `feeds/<tree>.xml`, `s/<slug>/feed.xml`), `digest.txt` and
/// `api/v1/kcidb.json`, as (site-relative path, bytes), in a fixed order.
pub fn site_files(
    report: &Report,
    ledger: &Ledger,
    opts: &AnnounceOptions,
) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let trees: Vec<(Option<&str>, Option<&str>)> = report
        .regressions
        .iter()
        .map(|r| (r.tree.as_deref(), r.branch.as_deref()))
        .chain(
            report
                .archived
                .iter()
                .map(|e| (e.tree.as_deref(), e.branch.as_deref())),
        )
        .collect();
    // Feeds, the digest and the KCIDB export read the same report: made side by side.
    let tonight = report.report_date.map(|d| d.pred_opt().unwrap_or(d));
    let (mut out, (digest, kcidb)) = rayon::join(
        || {
            feeds::all_feeds(
                ledger,
                &trees,
                &section_names(report),
                &opts.site_title,
                opts.base_url(),
                report.report_date,
            )
        },
        || {
            rayon::join(
                || digest::Digest::new(report, ledger, tonight, opts).text(),
                || kcidb_out::kcidb_json(report, ledger, opts),
            )
        },
    );
    out.push(("digest.txt".into(), digest.into_bytes()));
    out.push(("api/v1/kcidb.json".into(), kcidb?));
    Ok(out)
}

/// The mail-ready report of every regression with a page, by id, in the report's order.
pub fn report_texts(
    report: &Report,
    archived: &[crate::correlate::Regression],
    opts: &AnnounceOptions,
) -> Vec<String> {
    use rayon::prelude::*;
    let route_of = |id: &str| report.routing.as_ref().and_then(|x| x.get(id));
    report
        .regressions
        .par_iter()
        .chain(archived.par_iter())
        .map(|r| report_txt::report_text(r, route_of(&r.id), opts.base_url()))
        .collect()
}
