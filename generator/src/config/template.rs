//! The commented `regtrack.toml` that `regtrack init` writes: every key, what it does, its
//! default, all commented out except the two a build needs.

/// The file `regtrack init` writes.
pub const TEMPLATE: &str = r#"# regtrack.toml: the nightly build's options (`regtrack build` reads it from the current
# folder, or from --config FILE). A flag on the command line overrides the key of the same
# name (`--history-days 60` over `history_days = 30`). Relative paths are taken from this
# file's folder. Every key but `results` and `out` is optional; defaults are shown.

# Folders of results (KCIDB JSON, KTAP, JUnit, kirk, TuxRun), searched recursively. Name
# nightly folders YYYY-MM-DD/ so files merge in date order (and history_days can skip them).
results = ["results"]

# Where the site is published. Each build replaces it atomically: readers see last night's
# site or tonight's, whole. Keep it; it also holds the permalink ledger by default.
out = "site"

# Only read the last N days of results (older folders are not even opened). Regressions that
# age out keep their pages through the ledger.
# history_days = 30

# Maintainer content: regressions/<id>.md annotations, known-issues.toml, extra pages.
# content = "content"

# A theme folder whose templates/ replace the built-in templates of the same name.
# theme = "theme"

# Site title and public URL (used to print absolute permalinks).
# title = "Kernel regressions"
# base_url = "https://kci.example.org/regressions/"

# KCIDB origin of the regressions exported as issues and incidents to api/v1/kcidb.json.
# kcidb_origin = "regtrack"

# The permalink ledger: every regression ever published. Default: inside the site
# (out/api/v1/ledger.json). Keep it between nights when the site is built into a fresh folder.
# ledger = "state/ledger.json"

# Cache of parsed KCIDB files, kept between nights so a build only parses the new night.
# Default: $REGTRACK_CACHE_DIR, $XDG_CACHE_HOME/regtrack or ~/.cache/regtrack.
# cache = "state/cache"
# no_cache = false

# Exit non-zero when any record or file was rejected (the site is still published).
# strict = false

# Refuse result files larger than this (bytes, after decompression).
# max_file_size = 1073741824

# Seconds to wait for another build that holds the site's or the ledger's lock (0: refuse at
# once, naming the holder).
# lock_wait = 0

# A one-line JSON summary of each build (also written when it fails), for cron and CI.
# summary_json = "state/last-build.json"

# A progress bar on a terminal (never in cron or CI logs).
# progress = true

# Routing: each regression's MAINTAINERS sections, maintainers and lists (docs/routing.md).
# The kernel's MAINTAINERS file (default with kernel_source: the tree's own).
# maintainers = "/srv/linux/MAINTAINERS"
# An unpacked kernel tree: crash frames and KUnit suites mapped to their files (indexed once,
# then cached).
# kernel_source = "/srv/linux"
# A local clone of the tested tree: the commits of each regression's window, ranked. Never
# fetched by regtrack.
# kernel_git = "/srv/linux.git"

# Context for results that do not carry it (KTAP, JUnit, kirk, TuxRun); regtrack-context.toml
# files beside the results override it.
# [context]
# tree_name = "mainline"
# branch = "master"
# platform = "juno-r2"
# arch = "arm64"
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::BuildOptions;

    #[test]
    fn the_template_lists_every_key_and_every_example_is_valid() {
        for key in BuildOptions::KEYS {
            let listed = TEMPLATE.lines().any(|l| {
                let l = l.trim_start_matches("# ");
                l.starts_with(&format!("{key} =")) || l == format!("[{key}]")
            });
            assert!(listed, "regtrack.toml's template does not list `{key}`");
        }
        let as_is = crate::config::file::parse(std::path::Path::new("regtrack.toml"), TEMPLATE);
        assert!(as_is.is_ok(), "{as_is:?}");
        // Every example value, uncommented, is accepted.
        let example = regex::Regex::new(r"^([a-z_]+ = |\[[a-z_]+\]$)").unwrap();
        let uncommented: String = TEMPLATE
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if example.is_match(rest) => rest,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let all = crate::config::file::parse(std::path::Path::new("regtrack.toml"), &uncommented);
        let all = all.unwrap();
        assert_eq!(all.history_days.map(|d| d.get()), Some(30));
        assert_eq!(all.context.len(), 4);
    }
}
