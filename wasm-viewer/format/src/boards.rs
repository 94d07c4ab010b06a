//! `data/boards.js`: every board's health (what the health analysis says about it), for the
//! viewer's board view. A JSON array, one object per board, by name; the shell
//! (`themes/default/static/js/`, joined into `assets/app.js`) reads it with `JSON.parse`. Lists that name many boards (a
//! flaky test's, an outage's) are not repeated per board.
//!
//! The values are the health analysis' own (floats among them), so the generator writes this
//! file with serde; what is defined here is every key, which it and the shell both use.
//! Objects are written with their keys sorted.

/// The name the file registers under (and, plus `.js`, its file name).
pub const SCRIPT_NAME: &str = "boards";

/// The file `data/boards.js`, given the JSON array.
pub fn script(json: &str) -> String {
    crate::script::register_json(SCRIPT_NAME, json)
}

/// Defines a module of key constants and `KEYS`, every key of that object, sorted.
macro_rules! keys {
    ($(#[$m:meta])* $module:ident { $( $(#[$km:meta])* $k:ident = $v:literal, )* }) => {
        $(#[$m])*
        pub mod $module {
            $( $(#[$km])* pub const $k: &str = $v; )*
            /// Every key, sorted (as written).
            pub const KEYS: &[&str] = &[$($v),*];
        }
    };
}

keys! {
    /// A board.
    board {
        /// `[{always_failing}...]`: tests failing in every run on it.
        ALWAYS_FAILING = "always_failing",
        /// `[{flaky_test}...]`.
        FLAKY_TESTS = "flaky_tests",
        /// `[{lab_outage}...]`.
        LAB_OUTAGES = "lab_outages",
        NAME = "name",
        /// Regressions with an occurrence on it.
        REGRESSIONS = "regressions",
        /// Its static page: `boards/<slug>/index.html`.
        SLUG = "slug",
        /// A `suspect` object, or `null`.
        SUSPECT = "suspect",
    }
}

keys! {
    /// A flaky test on a board.
    flaky_test {
        BRANCH = "branch",
        FAILS = "fails",
        /// Fails / runs.
        FAILURE_RATE = "failure_rate",
        FLAKY_SCORE = "flaky_score",
        /// Pass/fail changes between consecutive runs.
        FLIPS = "flips",
        RUNS = "runs",
        TEST = "test",
        TREE = "tree",
    }
}

keys! {
    /// Why a board is suspect: failures that point at the board rather than the kernel.
    suspect {
        LABS = "labs",
        /// Jobs where many unrelated tests failed at once.
        MASS_FAILURE_JOBS = "mass_failure_jobs",
        PLATFORM = "platform",
        RUNS = "runs",
        SPORADIC_FAILURES = "sporadic_failures",
        /// Tests that failed sporadically on this board and on no other.
        SPORADIC_TESTS = "sporadic_tests",
    }
}

keys! {
    /// A lab-day where most runs could not run or broke.
    lab_outage {
        DAY = "day",
        ERRORS = "errors",
        LAB = "lab",
        MISSES = "misses",
        RUNS = "runs",
    }
}

keys! {
    /// A test failing in every run on a board.
    always_failing {
        BRANCH = "branch",
        RUNS = "runs",
        SINCE = "since",
        TEST = "test",
        TREE = "tree",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted() {
        for keys in [
            board::KEYS,
            flaky_test::KEYS,
            suspect::KEYS,
            lab_outage::KEYS,
            always_failing::KEYS,
        ] {
            assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        }
        assert_eq!(script("[]"), "regtrack.register(\"boards\", \"[]\");\n");
    }
}
