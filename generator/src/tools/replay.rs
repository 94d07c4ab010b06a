//! The night-by-night replay: what the front page said on every night of a generated history,
//! scored against its ground truth.
//!
//! The final-night accuracy check (`accuracy`) sees a history once, from its end, where a flaky
//! test that failed once a week ago has long been recognised. A nightly job publishes every
//! night, with whatever the history holds so far, and each entry it publishes gets a permalink
//! that stays forever. So the replay builds every night in order, as a nightly job does (the
//! night's results arrive, `--date` is that night, one output folder, its ledger and the ingest
//! cache kept between nights), and scores each night from what that night's site says: its
//! export (`api/v1/regressions.json`), its ledger (`api/v1/ledger.json`) and its pages
//! (`r/<id>/index.html`).
//!
//! The rules, applied by [`Scorer`] (docs/accuracy.md says the same for readers):
//! - An entry is *published* when the export lists it with a status of [`PUBLISHED`] (`new`,
//!   `ongoing`, `fixed`, `reopened`). Any other status (say `unconfirmed`) is held back, and
//!   an entry only in the ledger (archived) is a kept page, not a publication.
//! - A published id is *false* when, on the first night it is published, it matches no planted
//!   regression that has started failing by that night (match: same repository and branch, and
//!   a test in common). Each false id counts once, on that night.
//! - A planted regression's *delay* is the nights from its first failing night to the first
//!   night an entry matching it is published (the same night is 0). Its target is the truth's
//!   `publish_within`: 0 when two environments or a crash signature show it on its first
//!   night, 1 when one failing run on one board does. One whose target night lies after the
//!   last night is *pending*, not late.
//! - Its *id changes* when a night publishes it under none of the ids it was last published
//!   under.
//! - A *broken permalink* is a page that existed after an earlier night and is missing after a
//!   later one, or a published id that a later night neither lists nor keeps in its ledger
//!   (a build into a fresh folder would lose its page).
//!
//! Targets: at most one false entry per ten nights, every due regression within its delay, no
//! id change, no broken permalink.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde_json::Value;

pub use super::accuracy::PUBLISHED;
use super::accuracy::Seen;
use crate::demo::{DemoConfig, GroundTruth, Situation};
use crate::ingest::LoadOptions;
use crate::ingest::cache::Cache;
use crate::report::build_report_with;
use crate::report::ledger::Ledger;
use crate::site::{SiteOptions, write_site};

/// Most false entries published per ten nights that meets the target.
pub const MAX_FALSE_PER_10_NIGHTS: f64 = 1.0;

/// One entry of a night's export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub status: String,
    pub title: String,
    pub repository_url: Option<String>,
    pub branch: Option<String>,
    pub tests: Vec<String>,
    /// Boards of its occurrences.
    pub platforms: Vec<String>,
    /// What confirmed it (`confirmed.by`), when it is confirmed.
    pub confirmed_by: Option<String>,
}

impl Entry {
    pub fn is_published(&self) -> bool {
        PUBLISHED.contains(&self.status.as_str())
    }

    fn seen(&self) -> Seen<'_> {
        Seen {
            repository_url: self.repository_url.as_deref(),
            branch: self.branch.as_deref(),
            tests: &self.tests,
            platforms: self.platforms.iter().map(String::as_str).collect(),
        }
    }
}

/// What one night's site says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NightSite {
    pub date: Option<NaiveDate>,
    /// Every entry of `api/v1/regressions.json`, whatever its status.
    pub entries: Vec<Entry>,
    /// Ids the ledger (`api/v1/ledger.json`) keeps.
    pub ledger: BTreeSet<String>,
    /// Ids with a page on disk (`r/<id>/index.html`).
    pub pages: BTreeSet<String>,
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

impl NightSite {
    /// Reads the export, the ledger and the permalink pages of the site in `site`.
    pub fn read(site: &Path) -> Result<NightSite> {
        let api = site.join("api/v1");
        let read_json = |name: &str| -> Result<Value> {
            let path = api.join(name);
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_slice(&bytes).with_context(|| format!("parsing {}", path.display()))
        };
        let doc = read_json("regressions.json")?;
        let date =
            text(&doc, "report_date").and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
        let strings = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        };
        let entries = doc
            .get("regressions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|r| Entry {
                id: text(r, "id").unwrap_or_default(),
                status: text(r, "status").unwrap_or_default(),
                title: text(r, "title").unwrap_or_default(),
                confirmed_by: r.get("confirmed").and_then(|c| text(c, "by")),
                repository_url: text(r, "repository_url"),
                branch: text(r, "branch"),
                tests: strings(r.get("tests")),
                platforms: r
                    .get("occurrences")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|o| text(o, "platform"))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
            })
            .collect();
        let ledger = read_json("ledger.json")?
            .get("entries")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let mut pages = BTreeSet::new();
        if let Ok(dir) = std::fs::read_dir(site.join("r")) {
            for e in dir {
                let e = e?;
                if e.path().join("index.html").is_file() {
                    pages.insert(e.file_name().to_string_lossy().into_owned());
                }
            }
        }
        Ok(NightSite {
            date,
            entries,
            ledger,
            pages,
        })
    }
}

/// A false entry: published on `night`, matching no planted regression that had started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FalseEntry {
    pub night: NaiveDate,
    pub id: String,
    pub title: String,
    /// What confirmed it.
    pub confirmed_by: Option<String>,
    /// The planted non-regression it comes from (`Seen::blame`), `<regression>, before it
    /// started` for a planted regression's tests failing before its first failing night, or
    /// `other`.
    pub cause: String,
}

/// How one planted regression fared over the replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlantedOutcome {
    pub name: String,
    pub first_fail: NaiveDate,
    /// The truth's target delay, in nights.
    pub publish_within: u32,
    /// The first night it was published.
    pub published: Option<NaiveDate>,
    /// The ids it was last published under.
    pub ids: BTreeSet<String>,
    /// Nights it was published under ids all different from the night it was last published.
    pub id_changes: Vec<NaiveDate>,
    /// Nights it was published as two or more entries.
    pub split_nights: usize,
}

impl PlantedOutcome {
    /// Nights from its first failure to its publication (0: the same night).
    pub fn delay(&self) -> Option<i64> {
        self.published.map(|p| (p - self.first_fail).num_days())
    }

    /// Published later than its target, or never although the replay reached its target night.
    pub fn late(&self, last_night: NaiveDate) -> bool {
        let due = self.first_fail + chrono::TimeDelta::days(i64::from(self.publish_within));
        match self.delay() {
            Some(d) => d > i64::from(self.publish_within),
            None => due <= last_night,
        }
    }
}

/// One night's publication.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NightScore {
    pub date: Option<NaiveDate>,
    /// Entries published (listed with a publishing status).
    pub published: usize,
    /// Entries listed but held back (any other status).
    pub held_back: usize,
    /// Published entries that are false ids (new tonight or from earlier nights).
    pub false_listed: usize,
    /// False ids first published tonight.
    pub new_false: Vec<String>,
    /// Planted regressions first published tonight (name, delay).
    pub first_published: Vec<(String, i64)>,
    /// Planted regressions failing by tonight and not published yet.
    pub unpublished: Vec<String>,
    /// Ids whose permalink broke tonight.
    pub broken: Vec<String>,
    /// Planted regressions whose id changed tonight.
    pub id_changes: Vec<String>,
}

/// The scores of one replayed history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplayScore {
    pub nights: Vec<NightScore>,
    pub false_entries: Vec<FalseEntry>,
    pub planted: Vec<PlantedOutcome>,
    /// (night, id) of every permalink that broke, once per id.
    pub broken_permalinks: Vec<(NaiveDate, String)>,
}

impl ReplayScore {
    fn last_night(&self) -> Option<NaiveDate> {
        self.nights.iter().filter_map(|n| n.date).max()
    }

    /// False entries per ten nights.
    pub fn false_per_10_nights(&self) -> f64 {
        if self.nights.is_empty() {
            return 0.0;
        }
        self.false_entries.len() as f64 * 10.0 / self.nights.len() as f64
    }

    /// Planted regressions published later than their target (or never, when due).
    pub fn late(&self) -> Vec<&PlantedOutcome> {
        let Some(last) = self.last_night() else {
            return Vec::new();
        };
        self.planted.iter().filter(|p| p.late(last)).collect()
    }

    /// Id changes over all planted regressions.
    pub fn id_changes(&self) -> usize {
        self.planted.iter().map(|p| p.id_changes.len()).sum()
    }

    /// Average nights from a first failure to its publication, over the published ones.
    pub fn average_wait(&self) -> Option<f64> {
        let d: Vec<i64> = self.planted.iter().filter_map(|p| p.delay()).collect();
        (!d.is_empty()).then(|| d.iter().sum::<i64>() as f64 / d.len() as f64)
    }

    /// False entries by cause, most first.
    pub fn false_causes(&self) -> Vec<(String, usize)> {
        let mut by: BTreeMap<&str, usize> = BTreeMap::new();
        for f in &self.false_entries {
            *by.entry(f.cause.as_str()).or_default() += 1;
        }
        let mut v: Vec<(String, usize)> = by.into_iter().map(|(c, n)| (c.to_string(), n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    /// Every target met: at most one false entry per ten nights, every due regression in
    /// time, no id change, no broken permalink.
    pub fn meets_targets(&self) -> bool {
        self.false_per_10_nights() <= MAX_FALSE_PER_10_NIGHTS
            && self.late().is_empty()
            && self.id_changes() == 0
            && self.broken_permalinks.is_empty()
    }
}

impl fmt::Display for ReplayScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let published = self
            .planted
            .iter()
            .filter(|p| p.published.is_some())
            .count();
        let max_delay = self.planted.iter().filter_map(|p| p.delay()).max();
        write!(
            f,
            "nights {} | false {} ({:.1}/10 nights) | published {}/{} planted, late {}, max delay {}, avg wait {} | ids changed {} | broken permalinks {} | {}",
            self.nights.len(),
            self.false_entries.len(),
            self.false_per_10_nights(),
            published,
            self.planted.len(),
            self.late().len(),
            max_delay.map_or("-".into(), |d| d.to_string()),
            self.average_wait()
                .map_or("-".into(), |w| format!("{w:.2}")),
            self.id_changes(),
            self.broken_permalinks.len(),
            if self.meets_targets() { "ok" } else { "MISSED" },
        )
    }
}

/// Scores nights in order against the truth (see the module documentation for the rules).
pub struct Scorer<'a> {
    truth: &'a GroundTruth,
    score: ReplayScore,
    /// Every id published so far: whether it is false.
    verdicts: BTreeMap<String, bool>,
    /// Pages seen on disk after an earlier night, and ids published on one.
    pages: BTreeSet<String>,
    published: BTreeSet<String>,
    broken: BTreeSet<String>,
}

impl<'a> Scorer<'a> {
    pub fn new(truth: &'a GroundTruth) -> Scorer<'a> {
        let planted = truth
            .regressions()
            .filter_map(|s| {
                let night = s.first_night.as_ref()?;
                Some(PlantedOutcome {
                    name: s.name.clone(),
                    first_fail: NaiveDate::parse_from_str(&night.date, "%Y-%m-%d").ok()?,
                    publish_within: s.publish_within.unwrap_or(0),
                    published: None,
                    ids: BTreeSet::new(),
                    id_changes: Vec::new(),
                    split_nights: 0,
                })
            })
            .collect();
        Scorer {
            truth,
            score: ReplayScore {
                planted,
                ..Default::default()
            },
            verdicts: BTreeMap::new(),
            pages: BTreeSet::new(),
            published: BTreeSet::new(),
            broken: BTreeSet::new(),
        }
    }

    /// The planted regression named `name`.
    fn situation(&self, name: &str) -> Option<&'a Situation> {
        self.truth.regressions().find(|s| s.name == name)
    }

    /// Scores the next night.
    pub fn night(&mut self, site: &NightSite) -> &NightScore {
        let date = site.date.unwrap_or_default();
        let mut ns = NightScore {
            date: site.date,
            ..Default::default()
        };
        let published: Vec<&Entry> = site.entries.iter().filter(|e| e.is_published()).collect();
        ns.published = published.len();
        ns.held_back = site.entries.len() - published.len();
        // Planted regressions failing by tonight.
        let started: Vec<&Situation> = self
            .score
            .planted
            .iter()
            .filter(|p| p.first_fail <= date)
            .filter_map(|p| self.situation(&p.name))
            .collect();
        for e in &published {
            let is_false = *self.verdicts.entry(e.id.clone()).or_insert_with(|| {
                let seen = e.seen();
                let false_id = !started.iter().any(|s| seen.touches(s));
                if false_id {
                    // A planted regression's own tests failing before it started (its
                    // flaky past), else what `blame` finds.
                    let cause = self
                        .truth
                        .regressions()
                        .find(|s| seen.touches(s))
                        .map_or_else(
                            || seen.blame(self.truth),
                            |s| format!("{}, before it started", s.name),
                        );
                    ns.new_false.push(e.id.clone());
                    self.score.false_entries.push(FalseEntry {
                        night: date,
                        id: e.id.clone(),
                        title: e.title.clone(),
                        confirmed_by: e.confirmed_by.clone(),
                        cause,
                    });
                }
                false_id
            });
            ns.false_listed += usize::from(is_false);
        }
        for p in &mut self.score.planted {
            if p.first_fail > date {
                continue;
            }
            let Some(s) = self.truth.regressions().find(|s| s.name == p.name) else {
                continue;
            };
            let ids: BTreeSet<String> = published
                .iter()
                .filter(|e| e.seen().touches(s))
                .map(|e| e.id.clone())
                .collect();
            if ids.is_empty() {
                if p.published.is_none() {
                    ns.unpublished.push(p.name.clone());
                }
                continue;
            }
            if p.published.is_none() {
                p.published = Some(date);
                ns.first_published
                    .push((p.name.clone(), (date - p.first_fail).num_days()));
            } else if p.ids.is_disjoint(&ids) {
                p.id_changes.push(date);
                ns.id_changes.push(p.name.clone());
            }
            p.split_nights += usize::from(ids.len() > 1);
            p.ids = ids;
        }
        // Permalinks: every page seen before is still there, and every id published before
        // is still listed or kept in the ledger.
        let listed: BTreeSet<&str> = site.entries.iter().map(|e| e.id.as_str()).collect();
        for id in &self.pages {
            if !site.pages.contains(id) && self.broken.insert(id.clone()) {
                ns.broken.push(id.clone());
            }
        }
        for id in &self.published {
            let kept = listed.contains(id.as_str()) || site.ledger.contains(id);
            if !kept && self.broken.insert(id.clone()) {
                ns.broken.push(id.clone());
            }
        }
        for id in &ns.broken {
            self.score.broken_permalinks.push((date, id.clone()));
        }
        self.pages.extend(site.pages.iter().cloned());
        self.published
            .extend(published.iter().map(|e| e.id.clone()));
        self.score.nights.push(ns);
        self.score.nights.last().expect("just pushed")
    }

    pub fn finish(self) -> ReplayScore {
        self.score
    }
}

/// Where a replay works: the history as it arrives (`results/YYYY-MM-DD/`), the one site
/// (`site/`) and the ingest cache (`cache/`), all under one scratch folder.
struct Workspace {
    results: PathBuf,
    site: PathBuf,
    cache: PathBuf,
}

impl Workspace {
    fn fresh(scratch: &Path) -> Result<Workspace> {
        let w = Workspace {
            results: scratch.join("results"),
            site: scratch.join("site"),
            cache: scratch.join("cache"),
        };
        for dir in [&w.results, &w.site, &w.cache] {
            if dir.exists() {
                std::fs::remove_dir_all(dir)
                    .with_context(|| format!("clearing {}", dir.display()))?;
            }
            std::fs::create_dir_all(dir)?;
        }
        Ok(w)
    }
}

/// Generates the history of `cfg` and replays it night by night in `scratch` (cleared first).
pub fn replay(cfg: &DemoConfig, scratch: &Path) -> Result<ReplayScore> {
    replay_with(cfg, scratch, &mut |_, _| Ok(()))
}

/// [`replay`], each night built by running another regtrack `binary` (`build --date <night>
/// --results <results> --out <site>`, the cache in `REGTRACK_CACHE_DIR`), so two releases
/// are scored on the same nights side by side. Its sites are read like this one's: an older
/// release without unconfirmed candidates simply publishes everything it lists.
pub fn replay_binary(cfg: &DemoConfig, scratch: &Path, binary: &Path) -> Result<ReplayScore> {
    replay_nights(
        cfg,
        scratch,
        &mut |date, w| {
            let out = std::process::Command::new(binary)
                .arg("build")
                .arg("--results")
                .arg(&w.results)
                .arg("--date")
                .arg(date.to_string())
                .arg("--out")
                .arg(&w.site)
                .env("REGTRACK_CACHE_DIR", &w.cache)
                .output()
                .with_context(|| format!("running {}", binary.display()))?;
            anyhow::ensure!(
                out.status.success(),
                "{} build for {date} failed:\n{}",
                binary.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            Ok(())
        },
        &mut |_, _| Ok(()),
    )
}

/// [`replay`], calling `after_build(night, site)` once each night's site is written and before
/// it is read (tests use it to tamper with a night's site and check the scores notice).
pub fn replay_with(
    cfg: &DemoConfig,
    scratch: &Path,
    after_build: &mut dyn FnMut(NaiveDate, &Path) -> Result<()>,
) -> Result<ReplayScore> {
    // The nightly build: `regtrack build --date <night> --out site`, its ledger kept in the
    // site, its cache kept between nights.
    let build = &mut |date: NaiveDate, w: &Workspace| -> Result<()> {
        let ledger_path = w.site.join("api/v1/ledger.json");
        let mut ledger = Ledger::load(&ledger_path)?;
        let opts = LoadOptions {
            cache: Some(Cache::new(w.cache.clone())),
            ..LoadOptions::new(std::slice::from_ref(&w.results), Some(date))
        };
        let report = build_report_with(&opts, Default::default(), &mut ledger);
        write_site(&report, &ledger, &w.site, &SiteOptions::default())
            .with_context(|| format!("writing the site of {date}"))?;
        Ok(())
    };
    replay_nights(cfg, scratch, build, after_build)
}

/// The replay loop: each night's files arrive, `build` builds that night's site, it is
/// scored.
fn replay_nights(
    cfg: &DemoConfig,
    scratch: &Path,
    build: &mut dyn FnMut(NaiveDate, &Workspace) -> Result<()>,
    after_build: &mut dyn FnMut(NaiveDate, &Path) -> Result<()>,
) -> Result<ReplayScore> {
    let demo = crate::demo::generate(cfg);
    let w = Workspace::fresh(scratch)?;
    // The files of each night, in order (`YYYY-MM-DD/<origin>.json`).
    let mut nights: BTreeMap<NaiveDate, Vec<&crate::demo::DemoFile>> = BTreeMap::new();
    for f in &demo.files {
        let day = f.rel_path.split('/').next().unwrap_or_default();
        let date = NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .with_context(|| format!("{} is not in a day folder", f.rel_path))?;
        nights.entry(date).or_default().push(f);
    }
    let mut scorer = Scorer::new(&demo.truth);
    for (date, files) in nights {
        // The night's results arrive.
        for f in files {
            let path = w.results.join(&f.rel_path);
            std::fs::create_dir_all(path.parent().expect("day folder"))?;
            std::fs::write(&path, &f.contents)?;
        }
        build(date, &w)?;
        after_build(date, &w.site)?;
        scorer.night(&NightSite::read(&w.site)?);
    }
    Ok(scorer.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{FirstNight, SituationKind};

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    fn situation(
        name: &str,
        kind: SituationKind,
        test: &str,
        first: u32,
        within: u32,
    ) -> Situation {
        Situation {
            name: name.into(),
            kind,
            expected_status: Some("ongoing".into()),
            tree_name: "mainline".into(),
            repository_url: "https://example.org/linux.git".into(),
            branch: "master".into(),
            tests: vec![test.into()],
            platforms: vec!["board-a".into()],
            labs: Vec::new(),
            first_fail_commit: None,
            last_pass_commit: None,
            fix_commit: None,
            signature: None,
            scope: None,
            first_night: Some(FirstNight {
                date: d(first).to_string(),
                platforms: vec!["board-a".into()],
                environments: 1,
                crash_signature: false,
            }),
            fix_date: None,
            publish_within: Some(within),
        }
    }

    fn entry(id: &str, status: &str, test: &str) -> Entry {
        Entry {
            id: id.into(),
            status: status.into(),
            title: format!("{test} fails"),
            repository_url: Some("https://example.org/linux.git".into()),
            branch: Some("master".into()),
            tests: vec![test.into()],
            platforms: vec!["board-a".into()],
            confirmed_by: None,
        }
    }

    fn night(day: u32, entries: Vec<Entry>, pages: &[&str]) -> NightSite {
        NightSite {
            date: Some(d(day)),
            ledger: entries.iter().map(|e| e.id.clone()).collect(),
            pages: pages.iter().map(|p| p.to_string()).collect(),
            entries,
        }
    }

    #[test]
    fn the_scores_notice_every_kind_of_mistake() {
        let truth = GroundTruth {
            situations: vec![
                situation("real", SituationKind::Regression, "t.real", 3, 1),
                situation("late", SituationKind::Regression, "t.late", 2, 0),
                situation("flaky", SituationKind::FlakyTest, "t.flaky", 1, 0),
            ],
        };
        let mut s = Scorer::new(&truth);
        // Night 1: a flaky failure published; an entry on the real test before the bug.
        s.night(&night(
            1,
            vec![
                entry("f1", "new", "t.flaky"),
                entry("early", "new", "t.real"),
            ],
            &["f1", "early"],
        ));
        // Night 2: `late` starts but is held back as unconfirmed; the false ids continue.
        s.night(&night(
            2,
            vec![
                entry("f1", "ongoing", "t.flaky"),
                entry("early", "ongoing", "t.real"),
                entry("u", "unconfirmed", "t.late"),
            ],
            &["f1", "early"],
        ));
        // Night 3: `real` published on its first night under a new id; `late` a night late;
        // f1's page deleted.
        s.night(&night(
            3,
            vec![
                entry("r1", "new", "t.real"),
                entry("l1", "new", "t.late"),
                entry("early", "ongoing", "t.flaky2"),
            ],
            &["r1", "l1", "early"],
        ));
        // Night 4: `real` published under another id.
        let mut n4 = night(
            4,
            vec![entry("r2", "new", "t.real")],
            &["r1", "l1", "early", "f1"],
        );
        n4.ledger
            .extend(["r1".to_string(), "l1".into(), "early".into()]);
        s.night(&n4);
        let sc = s.finish();
        let ids: Vec<&str> = sc.false_entries.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["f1", "early"]);
        assert_eq!(sc.false_entries[0].cause, "flaky");
        assert_eq!(sc.false_entries[1].cause, "real, before it started");
        assert_eq!(sc.nights[1].false_listed, 2);
        assert_eq!(sc.nights[1].held_back, 1);
        assert!(sc.nights[1].new_false.is_empty());
        let real = &sc.planted[0];
        assert_eq!(
            (real.delay(), real.id_changes.clone()),
            (Some(0), vec![d(4)])
        );
        let late = &sc.planted[1];
        assert_eq!(late.delay(), Some(1));
        assert_eq!(sc.late().len(), 1);
        // f1: its page went missing on night 3, and it was no longer listed nor in the ledger.
        assert_eq!(sc.broken_permalinks, vec![(d(3), "f1".to_string())]);
        assert_eq!(sc.id_changes(), 1);
        assert!(!sc.meets_targets());
        assert!((sc.false_per_10_nights() - 5.0).abs() < 1e-9);
        assert_eq!(sc.average_wait(), Some(0.5));
    }

    #[test]
    fn a_clean_replay_meets_the_targets() {
        let truth = GroundTruth {
            situations: vec![situation("real", SituationKind::Regression, "t.real", 2, 1)],
        };
        let mut s = Scorer::new(&truth);
        s.night(&night(1, vec![], &[]));
        s.night(&night(2, vec![entry("r", "unconfirmed", "t.real")], &[]));
        s.night(&night(3, vec![entry("r", "new", "t.real")], &["r"]));
        s.night(&night(4, vec![entry("r", "ongoing", "t.real")], &["r"]));
        let sc = s.finish();
        assert!(sc.meets_targets(), "{sc}");
        assert_eq!(sc.average_wait(), Some(1.0));
        // Never published although due: late.
        let mut s = Scorer::new(&truth);
        s.night(&night(2, vec![], &[]));
        s.night(&night(3, vec![], &[]));
        assert_eq!(s.finish().late().len(), 1);
        // Not due yet on the last night: pending, not late.
        let mut s = Scorer::new(&truth);
        s.night(&night(2, vec![], &[]));
        assert!(s.finish().meets_targets());
    }
}
