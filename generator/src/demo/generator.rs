//! The day-by-day history: for every day and tree, each origin's checkout, its builds, and
//! every test run on every board, with the planted situations deciding which runs fail (and
//! recording where they did for the ground truth).
//!
//! Each part of the history draws from its own random stream (see `random::sub_rng`), keyed by
//! what it is about (tree, day, origin, build, board), so one part can change without shifting
//! the others; within a stream, the order of draws is part of the output.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::commits::{Commit, commit_for};
use super::config::{DemoConfig, MIN_DAYS};
use super::console::ExcerptContext;
use super::dates::{
    day_number, is_weekend, kcidb_timestamp, midnight, random_micros, seconds, unix_seconds,
};
use super::excerpts::{excerpt, lava_infra_error};
use super::kcidb_writer::{
    DemoFile, KcidbBuild, KcidbCheckout, KcidbCulprit, KcidbEnvironment, KcidbEnvironmentMisc,
    KcidbIncident, KcidbIssue, KcidbTest, KcidbTestMisc, SubmissionBuffer, to_json,
};
use super::planted::{
    DIO_PREFIX, FAMILY_BOARDS, FLAKY_BOARD, FLAKY_BOARD_RATE, FLAKY_JUMP_BOARDS, FLAKY_JUMP_TREE,
    FLAKY_TEST_RATE, FailKind, INTERMITTENT, LATE_BOARD, ONE_OFF_BOARD, OUTAGE_LAB, Planted,
    SINGLE_BOARD, STICKINESS_PCT, TEST_EMERG, TEST_EXECVEAT, TEST_FANOTIFY, TEST_FS_INOD, TEST_KSM,
    TEST_KVM, TEST_MQ, TEST_POSIX_TIMERS, TEST_SECCOMP, TEST_SETSOCKOPT, TEST_SHIFT, TEST_TLS,
    TEST_UDPGSO, TWO_BOARDS, Timeline, flaky_board_may_fail,
};
use super::random::{fnv, hex_str, ksuid, pick, sub_rng, uuid4};
use super::tables::{
    Arch, Availability, BAYLIBRE, BROONIE, Board, BuildSpec, CIP, CLANG, COLLABORA, GCC, Origin,
    Planned, TREE_GITHUB, TREE_MAINLINE, TREE_NEXT, TREE_STABLE, TREES, builds_of, run_list,
};
use super::truth::{GroundTruth, TruthRecorder};

/// What a test run reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Pass,
    Skip,
    Fail(FailKind),
    /// The lab outage: the boot never happened.
    Error,
    /// The lab outage: tests after a boot that never happened.
    Miss,
}

impl Outcome {
    /// KCIDB `status`.
    fn status(self) -> &'static str {
        match self {
            Outcome::Pass => "PASS",
            Outcome::Skip => "SKIP",
            Outcome::Fail(_) => "FAIL",
            Outcome::Error => "ERROR",
            Outcome::Miss => "MISS",
        }
    }
}

/// Where a run happens: one board booting one build of one checkout.
struct RunPlace<'a> {
    tree: usize,
    /// Day relative to `end_date`.
    rel: i32,
    date: NaiveDate,
    origin: Origin,
    spec_idx: usize,
    spec: &'static BuildSpec,
    commit: &'a Commit,
    build_id: &'a str,
    /// The build's id without the origin prefix (it names the build's artifact folder).
    build_oid: &'a str,
    build_end: NaiveDateTime,
}

/// Generates the history of one [`DemoConfig`], keeping unfinished files in memory.
pub(super) struct HistoryGenerator {
    seed: u64,
    days: u32,
    end: NaiveDate,
    timeline: Timeline,
    boards: Vec<Board>,
    /// Files not handed over yet, by (day, origin).
    files: BTreeMap<(NaiveDate, Origin), SubmissionBuffer>,
    /// Consecutive flaky failures per (tree, board, build spec): capped so the flaky test keeps
    /// a steady-looking rate instead of long failure streaks.
    streaks: BTreeMap<(usize, usize, usize), u8>,
    /// Whether the last run of an intermittent series (tree, board, build spec, test) failed:
    /// the state of its two-state chain.
    chains: BTreeMap<(usize, usize, usize, &'static str), bool>,
    /// (tree, day, test) the flaky board already failed.
    flaky_used: BTreeSet<(usize, i32, &'static str)>,
    /// The maestro issue of the many-boards regression, once sent.
    issue_id: Option<String>,
    truth: TruthRecorder,
}

/// Receives finished files, in order.
type FileSink<'a> = &'a mut dyn FnMut(DemoFile) -> std::io::Result<()>;

impl HistoryGenerator {
    /// A generator for `cfg` (its `days` raised to `MIN_DAYS`).
    pub(super) fn new(cfg: &DemoConfig) -> HistoryGenerator {
        let days = cfg.days.max(MIN_DAYS);
        let timeline = Timeline::new(days);
        HistoryGenerator {
            seed: cfg.seed,
            days,
            end: cfg.end_date,
            timeline,
            boards: Board::all(cfg.scale),
            files: BTreeMap::new(),
            streaks: BTreeMap::new(),
            chains: BTreeMap::new(),
            flaky_used: BTreeSet::new(),
            issue_id: None,
            truth: TruthRecorder::new(cfg.end_date, timeline),
        }
    }

    /// Generates the whole history in memory; returns its files (in (day, origin) order) and
    /// its ground truth.
    pub(super) fn generate(mut self) -> (Vec<DemoFile>, GroundTruth) {
        self.generate_days(None).expect("no sink, no errors");
        let files = self
            .files
            .iter()
            .map(|(&(date, origin), buf)| buf.render_file(date, origin))
            .collect();
        (files, self.truth.ground_truth())
    }

    /// Generates the whole history, handing each file to `sink` as soon as its day is complete,
    /// so a benchmark-sized history never sits in memory whole.
    pub(super) fn stream(mut self, sink: FileSink) -> std::io::Result<()> {
        self.generate_days(Some(&mut *sink))?;
        self.flush_until(self.end, sink)
    }

    /// Generates every day; after each day, hands the files of days that are complete to
    /// `sink` (and forgets them). Objects go to the file of their checkout's day, which is
    /// never later than the day being generated, so a day is complete once the next one starts.
    fn generate_days(&mut self, mut sink: Option<FileSink>) -> std::io::Result<()> {
        let days = i64::from(self.days);
        for di in 0..days {
            if let Some(sink) = sink.as_deref_mut()
                && di > 0
            {
                let done = self.end - TimeDelta::days(days - di);
                self.flush_until(done, sink)?;
            }
            let rel = i32::try_from(di - (days - 1)).expect("small");
            let date = self.end - TimeDelta::days(days - 1 - di);
            for (ti, tree) in TREES.iter().enumerate() {
                if tree.weekdays_only && is_weekend(date) {
                    continue;
                }
                let commit = commit_for(self.seed, ti, date);
                for &origin in tree.origins {
                    self.checkout(ti, rel, date, origin, &commit);
                }
                self.truth.record_commit(ti, rel, commit.hash);
            }
        }
        Ok(())
    }

    /// Renders and hands over every file dated `day` or earlier.
    fn flush_until(&mut self, day: NaiveDate, sink: FileSink) -> std::io::Result<()> {
        let keys: Vec<(NaiveDate, Origin)> = self
            .files
            .range(..=(day, Origin::Linaro))
            .map(|(k, _)| *k)
            .collect();
        for key in keys {
            let buf = self.files.remove(&key).expect("listed key");
            sink(buf.render_file(key.0, key.1))?;
        }
        Ok(())
    }

    /// The file of `origin` for `date`, started on first use.
    fn submission(&mut self, date: NaiveDate, origin: Origin) -> &mut SubmissionBuffer {
        let seed = self.seed;
        self.files
            .entry((date, origin))
            .or_insert_with(|| SubmissionBuffer::new(seed, date, origin))
    }

    /// A maestro node id, from the maestro file of `date`.
    fn object_id(&mut self, date: NaiveDate, at: &NaiveDateTime) -> String {
        self.submission(date, Origin::Maestro).next_object_id(at)
    }

    /// One origin's checkout of tree `ti` on `date`, its builds, and the test runs of every
    /// board that tests each build.
    fn checkout(&mut self, ti: usize, rel: i32, date: NaiveDate, origin: Origin, commit: &Commit) {
        let tree = &TREES[ti];
        let mut rng = sub_rng(self.seed, &[10, ti as u64, day_number(date), origin as u64]);
        let lag = match origin {
            Origin::Maestro => 0,
            Origin::Linaro => rng.random_range(600..2400u64),
        };
        let checkout_start = midnight(date)
            + seconds(u64::from(tree.hour) * 3600 + rng.random_range(0..3000u64) + lag)
            + random_micros(&mut rng);
        let checkout_id = match origin {
            Origin::Maestro => format!("maestro:{}", self.object_id(date, &checkout_start)),
            Origin::Linaro => format!("linaro:{}", uuid4(&mut rng)),
        };
        let json = to_json(&KcidbCheckout {
            id: &checkout_id,
            origin: origin.as_str(),
            tree_name: tree.name,
            git_repository_url: tree.url,
            git_repository_branch: tree.branch,
            git_commit_hash: &commit.hash,
            git_commit_name: &commit.name,
            git_commit_tags: &commit.tags,
            git_repository_branch_tip: true,
            patchset_hash: "",
            start_time: kcidb_timestamp(&checkout_start),
            valid: true,
        });
        self.submission(date, origin).checkouts.push(json);

        for (si, spec) in builds_of(origin).iter().enumerate() {
            if ti == TREE_GITHUB && spec.compiler != GCC {
                continue;
            }
            let build_start = checkout_start
                + seconds(rng.random_range(120..1500u64) + 40 * si as u64)
                + random_micros(&mut rng);
            let duration = if spec.tested {
                rng.random_range(280..1500u64)
            } else {
                rng.random_range(1500..3600u64)
            };
            let (build_id, build_oid, config_url, log_url) = match origin {
                Origin::Maestro => {
                    let oid = self.object_id(date, &build_start);
                    let dir = format!(
                        "https://files.kernelci.org/kbuild-{}-{}-{oid}",
                        spec.compiler,
                        spec.arch.as_str()
                    );
                    (
                        format!("maestro:{oid}"),
                        oid,
                        format!("{dir}/.config"),
                        format!("{dir}/build.log.gz"),
                    )
                }
                Origin::Linaro => {
                    let k = ksuid(&mut rng, unix_seconds(&build_start));
                    let dir = format!("https://storage.tuxsuite.com/public/linaro/lkft/builds/{k}");
                    (
                        format!("linaro:{k}"),
                        k,
                        format!("{dir}/config"),
                        format!("{dir}/build.log"),
                    )
                }
            };
            let json = to_json(&KcidbBuild {
                id: &build_id,
                checkout_id: &checkout_id,
                origin: origin.as_str(),
                comment: (origin == Origin::Maestro).then_some(commit.name.as_str()),
                start_time: kcidb_timestamp(&build_start),
                duration,
                architecture: spec.arch.as_str(),
                compiler: spec.compiler,
                config_name: spec.config,
                config_url,
                log_url,
                status: "PASS",
            });
            self.submission(date, origin).builds.push(json);
            if !spec.tested {
                continue;
            }
            let place = RunPlace {
                tree: ti,
                rel,
                date,
                origin,
                spec_idx: si,
                spec,
                commit,
                build_id: &build_id,
                build_oid: &build_oid,
                build_end: build_start + seconds(duration),
            };
            let eligible: Vec<usize> = self
                .boards
                .iter()
                .enumerate()
                .filter(|(_, b)| {
                    let on_tree = match ti {
                        TREE_STABLE => b.has('S'),
                        TREE_GITHUB => b.has('G'),
                        _ => true,
                    };
                    b.def.origin == origin
                        && b.def.arch == spec.arch
                        && on_tree
                        && (spec.compiler != CLANG || b.has('C'))
                })
                .map(|(i, _)| i)
                .collect();
            for bi in eligible {
                self.board_run(&place, bi);
            }
        }
    }

    /// The status of one test, and the bookkeeping of the situation it belongs to.
    /// `job_failed`: the boot of the CIP-style job this test belongs to failed.
    fn outcome(
        &mut self,
        p: &RunPlace,
        bi: usize,
        test: &Planned,
        job_failed: bool,
        flaky_picks: &[&str],
        rng: &mut ChaCha8Rng,
    ) -> Outcome {
        let path = test.path;
        let b = &self.boards[bi];
        let t = self.timeline;
        if b.def.lab == OUTAGE_LAB && p.rel == t.outage_day {
            return if path == "boot" {
                Outcome::Error
            } else {
                Outcome::Miss
            };
        }
        if job_failed {
            return Outcome::Miss;
        }
        if test.avail == Availability::Skip {
            return Outcome::Skip;
        }
        let arch = p.spec.arch;
        let on = |boards: &[&str]| boards.iter().any(|n| b.base_is(n));
        let planted = match p.tree {
            TREE_MAINLINE
                if p.rel >= t.many_boards_from && (path == TEST_TLS || path == TEST_SETSOCKOPT) =>
            {
                Some(FailKind::Tls)
            }
            TREE_MAINLINE
                if p.rel >= t.single_compiler_from
                    && path == TEST_SHIFT
                    && p.spec.compiler == CLANG =>
            {
                Some(FailKind::Shift)
            }
            TREE_MAINLINE
                if p.rel >= t.single_arch_from
                    && path == TEST_POSIX_TIMERS
                    && arch == Arch::Riscv =>
            {
                Some(FailKind::PosixSleep)
            }
            TREE_MAINLINE
                if (t.two_boards_from..=t.two_boards_until).contains(&p.rel)
                    && path == TEST_SECCOMP
                    && on(&TWO_BOARDS) =>
            {
                Some(FailKind::Seccomp)
            }
            FLAKY_JUMP_TREE
                if p.rel >= t.flaky_jump_from
                    && path == TEST_MQ
                    && FLAKY_JUMP_BOARDS.iter().any(|(n, _)| b.base_is(n)) =>
            {
                Some(FailKind::MqBroken)
            }
            TREE_NEXT
                if p.rel >= t.single_board_from
                    && path == TEST_EMERG
                    && b.base_is(SINGLE_BOARD) =>
            {
                Some(FailKind::NullDeref)
            }
            TREE_NEXT
                if (t.fixed_from..=t.fixed_until).contains(&p.rel) && path == TEST_FANOTIFY =>
            {
                Some(FailKind::Fanotify)
            }
            TREE_NEXT
                if p.rel >= t.family_from && path.starts_with(DIO_PREFIX) && on(&FAMILY_BOARDS) =>
            {
                Some(FailKind::Dio)
            }
            TREE_NEXT if p.rel >= t.family_from && path == TEST_KSM && on(&FAMILY_BOARDS) => {
                Some(FailKind::Ksm)
            }
            TREE_NEXT
                if p.rel >= t.late_confirmed_from
                    && path == TEST_FS_INOD
                    && b.base_is(LATE_BOARD) =>
            {
                Some(FailKind::FsInod)
            }
            TREE_STABLE if p.rel >= t.job_boots_from && test.is_job_boot() && arch == Arch::Arm => {
                Some(FailKind::JobBoot)
            }
            TREE_STABLE
                if p.rel == t.one_off_day && path == TEST_EXECVEAT && b.base_is(ONE_OFF_BOARD) =>
            {
                Some(FailKind::OneOff)
            }
            _ => None,
        };
        if let Some(kind) = planted {
            return Outcome::Fail(kind);
        }
        if path == TEST_KVM && arch == Arch::Arm64 {
            return Outcome::Fail(FailKind::Kvm);
        }
        if path == TEST_UDPGSO {
            let key = (p.tree, bi, p.spec_idx);
            let streak = self.streaks.get(&key).copied().unwrap_or(0);
            let fail = rng.random_bool(FLAKY_TEST_RATE) && streak < 2;
            self.streaks.insert(key, if fail { streak + 1 } else { 0 });
            if fail {
                return Outcome::Fail(FailKind::Udpgso);
            }
        }
        let intermittent = INTERMITTENT.iter().enumerate().find_map(|(i, it)| {
            let rate = it.boards.iter().find(|(n, _)| b.base_is(n))?.1;
            (it.test == path).then_some((FailKind::Intermittent(i), rate))
        });
        let mq_noise = (path == TEST_MQ)
            .then(|| FLAKY_JUMP_BOARDS.iter().find(|(n, _)| b.base_is(n)))
            .flatten()
            .map(|&(_, rate)| (FailKind::MqNoise, rate));
        if let Some((kind, rate)) = intermittent.or(mq_noise)
            && self.intermittent_fails((p.tree, bi, p.spec_idx, path), rate, rng)
        {
            return Outcome::Fail(kind);
        }
        if flaky_picks.contains(&path) {
            return Outcome::Fail(FailKind::FlakyBoard);
        }
        Outcome::Pass
    }

    /// One step of an intermittent series' two-state chain: after a pass it fails with the
    /// chance that makes `rate_pct` its long-run failure rate, after a failure with
    /// `STICKINESS_PCT` (so failures come in streaks).
    fn intermittent_fails(
        &mut self,
        key: (usize, usize, usize, &'static str),
        rate_pct: u32,
        rng: &mut ChaCha8Rng,
    ) -> bool {
        let failed_last = self.chains.get(&key).copied().unwrap_or(false);
        // Long-run rate r = a / (a + 1 - s) for entry chance a and stickiness s.
        let permille = if failed_last {
            STICKINESS_PCT * 10
        } else {
            rate_pct * (100 - STICKINESS_PCT) * 10 / (100 - rate_pct)
        };
        let fail = rng.random_range(0..1000u32) < permille;
        self.chains.insert(key, fail);
        fail
    }

    /// One board (index `bi` into `boards`) booting the build of `p` and running every test it
    /// has, in catalogue order.
    fn board_run(&mut self, p: &RunPlace, bi: usize) {
        let b = self.boards[bi].clone();
        let def = b.def;
        let mut rng = sub_rng(
            self.seed,
            &[
                20,
                p.tree as u64,
                day_number(p.date),
                p.origin as u64,
                p.spec_idx as u64,
                b.machine_slug(),
            ],
        );
        let tests = run_list(&b);
        // A bad run of the flaky board fails 2-4 unrelated tests at once (never a test it
        // already failed in another run of the same tree and day).
        let mut flaky_picks: Vec<&str> = Vec::new();
        if b.base_is(FLAKY_BOARD) && rng.random_bool(FLAKY_BOARD_RATE) {
            let pool: Vec<&'static str> = tests
                .iter()
                .filter(|t| {
                    t.avail == Availability::Run
                        && flaky_board_may_fail(t.path)
                        && !self.flaky_used.contains(&(p.tree, p.rel, t.path))
                })
                .map(|t| t.path)
                .collect();
            let n = rng.random_range(2..=4u32);
            for _ in 0..n * 4 {
                if flaky_picks.len() == n as usize || pool.is_empty() {
                    break;
                }
                let t = *pick(&mut rng, &pool);
                if !flaky_picks.contains(&t) {
                    flaky_picks.push(t);
                    self.flaky_used.insert((p.tree, p.rel, t));
                }
            }
        }

        let run_start =
            p.build_end + seconds(rng.random_range(120..5400u64)) + random_micros(&mut rng);
        let boot_secs = rng.random_range(6..40u64);
        let slide = match def.arch {
            Arch::X86_64 => rng.random_range(0..500u64) * 0x20_0000,
            Arch::Arm64 => rng.random_range(0..4000u64) * 0x1_0000,
            _ => 0,
        };
        let lab = def.lab;
        let arch = p.spec.arch;
        let run_key = match p.origin {
            Origin::Maestro => self.object_id(p.date, &run_start),
            Origin::Linaro => ksuid(&mut rng, unix_seconds(&run_start)),
        };
        let lava_job = match lab {
            COLLABORA => 20_500_000,
            BAYLIBRE => 1_310_000,
            BROONIE => 1_720_000,
            CIP => 1_150_000,
            _ => 410_000,
        } + (day_number(p.date) % 1000) * 2500
            + rng.random_range(0..2400u64);
        let lava_job = lava_job.to_string();
        let linaro_log =
            format!("https://storage.tuxsuite.com/public/linaro/lkft/tests/{run_key}/logs.txt");
        let linaro_start = kcidb_timestamp(&run_start);
        // 1 in 20 maestro runs: the boot node is first sent while still running (no status),
        // then again when complete, as KCIDB submitters do.
        let partial_boot = p.origin == Origin::Maestro && rng.random_range(0..20u32) == 0;

        let mut t = run_start;
        let mut pending_full_boot: Option<String> = None;
        // The CIP-style job whose boot failed: its tests are MISS.
        let mut failed_job: Option<&str> = None;
        let env = format!("{} {} {}", b.name, p.spec.config, p.spec.compiler);
        for test in tests {
            let path = test.path;
            let job_failed = test.job.is_some_and(|j| Some(j.name) == failed_job);
            let outcome = self.outcome(p, bi, &test, job_failed, &flaky_picks, &mut rng);
            match outcome {
                Outcome::Fail(kind) => {
                    if test.is_job_boot() {
                        failed_job = test.job.map(|j| j.name);
                    }
                    let planted = kind.situation(p.tree);
                    self.truth.record(planted, p.tree, &b, path, p.rel, &env);
                }
                Outcome::Error | Outcome::Miss if !job_failed => {
                    self.truth
                        .record(Planted::LabOutage, p.tree, &b, path, p.rel, &env);
                }
                Outcome::Error | Outcome::Miss | Outcome::Pass | Outcome::Skip => {}
            }
            let uptime = boot_secs + u64::try_from((t - run_start).num_seconds()).unwrap_or(0);
            let context = ExcerptContext {
                origin: p.origin,
                arch,
                compiler: p.spec.compiler,
                uname: &p.commit.uname,
                hw: def.hw,
                cpus: def.cpus,
                qemu: b.has('Q'),
                slide,
                path,
                host: t,
                uptime_s: uptime,
                build_oid: p.build_oid,
                build_unix: unix_seconds(&p.build_end) - 300,
            };
            let log_excerpt = match outcome {
                Outcome::Fail(k) => Some(excerpt(k, &context, &mut rng)),
                Outcome::Error => Some(lava_infra_error(&context, &mut rng)),
                _ => None,
            };
            let (misc_code, misc_msg) = match outcome {
                Outcome::Error => (
                    Some("Infrastructure"),
                    Some("http-download timed out after 600 seconds"),
                ),
                Outcome::Miss if job_failed => (
                    Some("Test"),
                    Some("boot failed: auto-login-action timed out"),
                ),
                Outcome::Miss => (Some("Infrastructure"), Some("parent job did not complete")),
                Outcome::Fail(FailKind::JobBoot) => (
                    Some("Test"),
                    Some("auto-login-action timed out after 120 seconds"),
                ),
                _ => (None, None),
            };
            let start = match p.origin {
                Origin::Maestro => kcidb_timestamp(&t),
                Origin::Linaro => linaro_start.clone(),
            };
            let compatible = (!def.compatible.is_empty()).then_some(def.compatible);
            let misc = Some(KcidbTestMisc {
                runtime: lab,
                error_code: misc_code,
                error_msg: misc_msg,
            });
            match p.origin {
                Origin::Maestro => {
                    let oid = if path == "boot" {
                        run_key.clone()
                    } else {
                        self.object_id(p.date, &t)
                    };
                    let id = format!("maestro:{oid}");
                    let job = test
                        .job
                        .map_or_else(|| maestro_job(path, arch), |j| j.name.to_string());
                    let comment = format!("{job} on {} in {lab}", b.name);
                    let log_url = format!("https://files.kernelci.org/{job}-{run_key}/log.txt.gz");
                    let env = || KcidbEnvironment {
                        compatible,
                        misc: KcidbEnvironmentMisc {
                            platform: &b.name,
                            job_id: Some(&lava_job),
                        },
                    };
                    let full = to_json(&KcidbTest {
                        id: &id,
                        build_id: p.build_id,
                        origin: "maestro",
                        path,
                        comment: Some(&comment),
                        start_time: &start,
                        status: Some(outcome.status()),
                        environment: env(),
                        misc,
                        log_url: Some(&log_url),
                        log_excerpt: log_excerpt.as_deref(),
                    });
                    if path == "boot" && partial_boot {
                        let partial = to_json(&KcidbTest {
                            id: &id,
                            build_id: p.build_id,
                            origin: "maestro",
                            path,
                            comment: Some(&comment),
                            start_time: &start,
                            status: None,
                            environment: env(),
                            misc: None,
                            log_url: None,
                            log_excerpt: None,
                        });
                        self.submission(p.date, Origin::Maestro).tests.push(partial);
                        pending_full_boot = Some(full);
                    } else {
                        self.submission(p.date, Origin::Maestro).tests.push(full);
                    }
                    if outcome == Outcome::Fail(FailKind::Tls) && path == TEST_TLS {
                        self.incident(p.date, &id, &t);
                    }
                }
                Origin::Linaro => {
                    let id = format!("linaro:{run_key}_{}", linaro_suffix(path));
                    let json = to_json(&KcidbTest {
                        id: &id,
                        build_id: p.build_id,
                        origin: "linaro",
                        path,
                        comment: None,
                        start_time: &start,
                        status: Some(outcome.status()),
                        environment: KcidbEnvironment {
                            compatible,
                            misc: KcidbEnvironmentMisc {
                                platform: &b.name,
                                job_id: None,
                            },
                        },
                        misc,
                        log_url: Some(&linaro_log),
                        log_excerpt: log_excerpt.as_deref(),
                    });
                    self.submission(p.date, Origin::Linaro).tests.push(json);
                }
            }
            t += seconds(test_duration(path, &mut rng)) + random_micros(&mut rng);
        }
        if let Some(full) = pending_full_boot {
            self.submission(p.date, Origin::Maestro).tests.push(full);
        }
    }

    /// The maestro issue of the many-boards regression (sent once, with its first failure) and
    /// one incident per failing `kselftest.net.tls` maestro test.
    fn incident(&mut self, date: NaiveDate, test_id: &str, at: &NaiveDateTime) {
        let mut rng = sub_rng(self.seed, &[30, fnv(test_id)]);
        if self.issue_id.is_none() {
            let mut issue_rng = sub_rng(self.seed, &[31]);
            let id = format!("maestro:{}", hex_str(&mut issue_rng, 40));
            let msg_id = format!(
                "{}.{}.{}@kernelci.org",
                unix_seconds(at),
                issue_rng.random_range(1000..9999u32),
                issue_rng.random_range(1_000_000_000..4_000_000_000u64)
            );
            let report_url = format!("https://lore.kernel.org/regressions/{msg_id}/");
            let json = to_json(&KcidbIssue {
                id: &id,
                version: 1,
                origin: "maestro",
                comment: "WARNING at net/tls/tls_sw.c:2123 tls_sw_recvmsg [logspec:kselftest,linux.kernel.warning]",
                report_url: &report_url,
                report_subject: "[REGRESSION] mainline: WARNING in tls_sw_recvmsg (kselftest.net.tls)",
                culprit: KcidbCulprit {
                    code: true,
                    harness: false,
                    tool: false,
                },
                categories: &["runtime.warning", "runtime.networking.tls"],
            });
            self.submission(date, Origin::Maestro).issues.push(json);
            self.issue_id = Some(id);
        }
        let issue_id = self.issue_id.clone().unwrap_or_default();
        let id = format!("maestro:{}", hex_str(&mut rng, 40));
        let json = to_json(&KcidbIncident {
            id: &id,
            issue_id: &issue_id,
            issue_version: 1,
            test_id,
            origin: "maestro",
            present: true,
            comment: "test incident, automatically generated",
        });
        self.submission(date, Origin::Maestro).incidents.push(json);
    }
}

/// The KernelCI job a test runs in (named in test comments and log URLs).
fn maestro_job(path: &str, arch: Arch) -> String {
    let mut it = path.split('.');
    let suite = it.next().unwrap_or(path);
    let group = it.next().unwrap_or("");
    let arch = if arch == Arch::X86_64 {
        "x86"
    } else {
        arch.as_str()
    };
    match suite {
        "boot" | "baseline" => format!("baseline-{arch}"),
        "kunit" => format!("kunit-{arch}"),
        _ => format!("{suite}-{group}"),
    }
}

/// LKFT test id suffix: `ltp.syscalls.fanotify22` -> `ltp-syscalls_fanotify22`.
fn linaro_suffix(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        [a, b, c] => format!("{a}-{b}_{c}"),
        [a, b] => format!("{a}_{b}"),
        _ => path.to_string(),
    }
}

/// How long a test runs, in seconds.
fn test_duration(path: &str, rng: &mut ChaCha8Rng) -> u64 {
    let suite = path.split('.').next().unwrap_or(path);
    match suite {
        "boot" => rng.random_range(25..110),
        "baseline" => rng.random_range(1..6),
        "kselftest" => rng.random_range(4..240),
        "kunit" => rng.random_range(0..3),
        _ => rng.random_range(1..150),
    }
}
