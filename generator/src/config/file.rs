//! `regtrack.toml`: finding it, reading it, and what its values may look like.
//!
//! The file is found with `--config FILE`, else as `regtrack.toml` in the current folder.
//! It is parsed straight into [`super::BuildOptions`] by serde and `toml`, so an unknown key,
//! a value of the wrong type or an invalid one (`history_days = 0`) is one error naming the
//! file, the line and column, the key and the reason. Relative paths in the file are taken
//! from the file's folder (so a config works wherever it is run from); on the command line,
//! from the current folder, as usual.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The name looked for in the current folder.
pub const FILE_NAME: &str = "regtrack.toml";

/// The config file to read: `explicit` (which must exist), else `./regtrack.toml` if there.
pub fn find(explicit: Option<&Path>) -> Result<Option<PathBuf>> {
    match explicit {
        Some(p) => {
            anyhow::ensure!(
                p.is_file(),
                "the config file {} does not exist",
                p.display()
            );
            Ok(Some(p.to_path_buf()))
        }
        None => Ok(Some(PathBuf::from(FILE_NAME)).filter(|p| p.is_file())),
    }
}

/// Parses a config file's text; `path` is where it came from (its folder anchors paths).
pub fn parse(path: &Path, text: &str) -> Result<super::BuildOptions> {
    let base = std::path::absolute(path)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    let parsed = super::values::with_base(base, || toml::from_str(text));
    parsed.map_err(|e: toml::de::Error| {
        // toml's message names the line, the column and the key, with the line quoted.
        anyhow::anyhow!("{}: {}", path.display(), e.to_string().trim_end())
    })
}

/// Reads and parses the config file at `path`.
pub fn load(path: &Path) -> Result<super::BuildOptions> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the config file {}", path.display()))?;
    parse(path, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        format!(
            "{:#}",
            parse(Path::new("/etc/kci/regtrack.toml"), text).unwrap_err()
        )
    }

    #[test]
    fn bad_keys_and_values_are_named_with_their_place() {
        let e = err("out = 'site'\nresluts = ['r']\n");
        assert!(e.starts_with("/etc/kci/regtrack.toml: "), "{e}");
        assert!(
            e.contains("line 2, column 1") && e.contains("unknown field `resluts`"),
            "{e}"
        );
        let e = err("history_days = 0\n");
        assert!(e.contains("line 1") && e.contains("nonzero"), "{e}");
        let e = err("strict = 'yes'\n");
        assert!(
            e.contains("line 1, column 10") && e.contains("expected a boolean"),
            "{e}"
        );
        let e = err("[context]\nplatform = 3\n");
        assert!(e.contains("key=value") && e.contains("line 1"), "{e}");
        let e = err("out = \n");
        assert!(e.contains("line 1"), "{e}");
    }

    #[test]
    fn relative_paths_start_at_the_file() {
        let o = parse(
            Path::new("/etc/kci/regtrack.toml"),
            "out = 'site'\nresults = ['/data/r', 'more']\n",
        )
        .unwrap();
        assert_eq!(o.out().unwrap(), Path::new("/etc/kci/site"));
        assert_eq!(
            o.results().unwrap(),
            [PathBuf::from("/data/r"), PathBuf::from("/etc/kci/more")]
        );
    }
}
