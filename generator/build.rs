//! Builds the in-browser viewer (`wasm-viewer`) for wasm32 and runs wasm-bindgen on it, so the
//! `regtrack` binary embeds a ready viewer and users never run wasm-pack or a second build.
//! Also joins the viewer's JavaScript shell (`themes/default/static/js/*.js`) into the one
//! classic script `$OUT_DIR/app.js` (see that folder's README.md).
//!
//! The nested cargo gets its own target dir under OUT_DIR (sharing the outer one deadlocks on
//! the build lock) and a clean environment (outer RUSTFLAGS or wrappers are for the host build).

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const VIEWER: &str = "regtrack_viewer";
/// The shell's parts, relative to the workspace.
const SHELL_DIR: &str = "themes/default/static/js";

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let workspace = manifest_dir.parent().unwrap().to_path_buf();
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());

    for path in [
        "wasm-viewer/src",
        "wasm-viewer/Cargo.toml",
        "wasm-viewer/format/src",
        "wasm-viewer/format/Cargo.toml",
        "Cargo.lock",
        SHELL_DIR,
    ] {
        println!("cargo:rerun-if-changed={}", workspace.join(path).display());
    }

    join_shell(&workspace.join(SHELL_DIR), &out_dir.join("app.js"));

    check_wasm_target();
    let wasm = build_viewer(&workspace, &out_dir);
    bindgen(&wasm, &out_dir.join("viewer"));
}

/// Concatenates the shell's `NN-name.js` parts, sorted by name, into `out`: byte for byte, with
/// nothing added, since the parts are consecutive slices of one closure. A `.js` file named
/// otherwise fails the build rather than landing wherever its name happens to sort.
fn join_shell(dir: &Path, out: &Path) {
    let mut parts: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "js"))
        .collect();
    parts.sort();
    let mut joined = Vec::new();
    for part in &parts {
        let name = part.file_name().unwrap().to_string_lossy();
        let b = name.as_bytes();
        if !(b.len() > 7 && b[..2].iter().all(u8::is_ascii_digit) && b[2] == b'-') {
            panic!("{}: shell parts are named NN-name.js", part.display());
        }
        joined.extend(std::fs::read(part).unwrap());
    }
    if parts.is_empty() {
        panic!("no shell parts (NN-name.js) in {}", dir.display());
    }
    std::fs::write(out, joined).unwrap();
}

/// Fails early, with the fix, when the wasm32 standard library is not installed.
fn check_wasm_target() {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let sysroot = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if let Some(sysroot) = sysroot
        && !sysroot.join("lib/rustlib").join(WASM_TARGET).is_dir()
    {
        panic!(
            "\n\nregtrack embeds a WebAssembly viewer and needs the `{WASM_TARGET}` target.\n\
             Fix: rustup target add {WASM_TARGET}\n\n"
        );
    }
}

/// Runs the nested `cargo build` of the viewer and returns the path of the `.wasm` file.
fn build_viewer(workspace: &Path, out_dir: &Path) -> PathBuf {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target_dir = out_dir.join("wasm-target");
    let mut cmd = Command::new(cargo);
    cmd.current_dir(workspace)
        .args([
            "build",
            "--package",
            "regtrack-viewer",
            "--lib",
            "--release",
        ])
        .args(["--target", WASM_TARGET])
        .arg("--target-dir")
        .arg(&target_dir)
        // Small code matters more than speed for a module every page downloads.
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "s")
        .env("CARGO_PROFILE_RELEASE_LTO", "true")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1")
        .env("CARGO_PROFILE_RELEASE_PANIC", "abort")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_STRIP", "true");
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "CARGO_BUILD_RUSTFLAGS",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_MAKEFLAGS",
        "CARGO_LLVM_COV",
    ] {
        cmd.env_remove(var);
    }
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("cannot run cargo to build the viewer: {e}"));
    if !status.success() {
        panic!("building the wasm viewer (wasm-viewer/) for {WASM_TARGET} failed: see above");
    }
    target_dir
        .join(WASM_TARGET)
        .join("release")
        .join(format!("{VIEWER}.wasm"))
}

/// Generates the `no-modules` JavaScript glue: a classic script defining `wasm_bindgen`, which
/// (unlike ES modules) loads from `file://`.
fn bindgen(wasm: &Path, out: &Path) {
    std::fs::create_dir_all(out).unwrap();
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(wasm)
        .no_modules(true)
        .expect("no-modules output is supported")
        .typescript(false)
        .generate(out)
        .unwrap_or_else(|e| panic!("wasm-bindgen on {} failed: {e:#}", wasm.display()));
}
