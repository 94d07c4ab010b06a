//! The shape of the source tree, checked: modules follow the pipeline without import cycles,
//! the product never reaches into development-only code, and every module says what it is for.
//!
//! A module is one source file. It depends on another when its code (comments and
//! `#[cfg(test)]` parts aside) names it: `crate::a::b::Item` depends on the deepest module the
//! path names (`a::b`), `super::x::Item` on the sibling `x`, `super::Item` on the parent, and a
//! bare `child::Item` in a parent on that child. A child that reaches its parent's items while
//! the parent uses the child is a cycle too: shared items live in a sibling module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;

type Module = Vec<String>;

/// Top-level modules only development uses (the demo history, the accuracy and bench
/// harnesses, synthetic viewer data). The product stages must not depend on them.
const DEV_ONLY: [&str; 2] = ["demo", "tools"];

fn src_dir(crate_dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(crate_dir)
        .join("src")
}

/// Every module file of a crate, by module path (`lib.rs` is the empty path).
fn modules(src: &Path) -> BTreeMap<Module, PathBuf> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("main.rs") {
            continue;
        }
        let rel = path.strip_prefix(src).unwrap().with_extension("");
        let mut module: Module = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
            module.pop();
        }
        out.insert(module, path.to_path_buf());
    }
    out
}

/// The code a module's dependencies are read from: without comments, and without the
/// `#[cfg(test)]` part (tests may reach anywhere).
fn product_code(text: &str) -> String {
    let comment = Regex::new(r"//[^\n]*").unwrap();
    let text = comment.replace_all(text, "");
    // Each `#[cfg(test)]` item is cut out up to its end: the `;` or the brace that closes it.
    let mut out = String::new();
    let mut rest: &str = &text;
    while let Some(i) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..i]);
        let item = &rest[i + "#[cfg(test)]".len()..];
        let mut depth = 0usize;
        let mut end = item.len();
        for (j, c) in item.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = j + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = j + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Every path a module's code names, as (anchor, segments): `crate`, `super`, or a child.
fn named_paths(code: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let path = Regex::new(r"\b(crate|super)((?:::\w+)+)").unwrap();
    for m in path.captures_iter(code) {
        let segs = m[2].split("::").skip(1).map(String::from).collect();
        out.push((m[1].to_string(), segs));
    }
    // `use crate::a::{b::C, d}`: each item of the group, one level of nesting.
    let group = Regex::new(r"\b(crate|super)((?:::\w+)*)::\{([^;]*?)\}\s*;").unwrap();
    let item = Regex::new(r"\w+(?:::\w+)*").unwrap();
    for m in group.captures_iter(code) {
        let base: Vec<String> = m[2].split("::").skip(1).map(String::from).collect();
        for i in item.find_iter(&m[3]) {
            let mut segs = base.clone();
            segs.extend(i.as_str().split("::").map(String::from));
            out.push((m[1].to_string(), segs));
        }
    }
    out
}

/// The deepest module a path names, seen from `from`.
fn resolve(
    mods: &BTreeMap<Module, PathBuf>,
    from: &Module,
    anchor: &str,
    segs: &[String],
) -> Module {
    let mut base: Module = match anchor {
        "crate" => Vec::new(),
        _ => from[..from.len().saturating_sub(1)].to_vec(),
    };
    let mut segs = segs;
    while anchor == "super" && segs.first().is_some_and(|s| s == "super") {
        base.pop();
        segs = &segs[1..];
    }
    let mut best = base.clone();
    for s in segs {
        base.push(s.clone());
        if !mods.contains_key(&base) {
            break;
        }
        best = base.clone();
    }
    best
}

fn dependencies(mods: &BTreeMap<Module, PathBuf>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut deps: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (m, path) in mods {
        let code = product_code(&std::fs::read_to_string(path).unwrap());
        let d = deps.entry(m.clone()).or_default();
        for (anchor, segs) in named_paths(&code) {
            let to = resolve(mods, m, &anchor, &segs);
            if &to != m {
                d.insert(to);
            }
        }
        for child in mods
            .keys()
            .filter(|c| c.len() == m.len() + 1 && c.starts_with(m))
        {
            let bare = Regex::new(&format!(r"(?:^|[^:\w]){}::", child.last().unwrap())).unwrap();
            if bare.is_match(&code) {
                d.insert(child.clone());
            }
        }
    }
    deps
}

fn name(m: &Module) -> String {
    if m.is_empty() {
        "crate".into()
    } else {
        m.join("::")
    }
}

/// A cycle in `deps`, if any, as the modules along it.
fn find_cycle<N: Ord + Clone>(deps: &BTreeMap<N, BTreeSet<N>>) -> Option<Vec<N>> {
    fn visit<N: Ord + Clone>(
        n: &N,
        deps: &BTreeMap<N, BTreeSet<N>>,
        state: &mut BTreeMap<N, u8>,
        stack: &mut Vec<N>,
    ) -> Option<Vec<N>> {
        state.insert(n.clone(), 1);
        stack.push(n.clone());
        for next in deps.get(n).into_iter().flatten() {
            match state.get(next) {
                Some(1) => {
                    let at = stack.iter().position(|s| s == next).unwrap();
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(next, deps, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in deps.keys() {
        if !state.contains_key(n) {
            let mut stack = Vec::new();
            if let Some(c) = visit(n, deps, &mut state, &mut stack) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn no_module_depends_on_itself_through_others() {
    for krate in ["generator", "wasm-viewer", "wasm-viewer/format"] {
        let mods = modules(&src_dir(krate));
        assert!(mods.len() > 5, "{krate}: modules not found");
        let deps = dependencies(&mods);
        if let Some(cycle) = find_cycle(&deps) {
            let names: Vec<String> = cycle.iter().map(name).collect();
            panic!("{krate}: import cycle {}", names.join(" -> "));
        }
    }
}

#[test]
fn pipeline_stages_depend_only_forward() {
    let mods = modules(&src_dir("generator"));
    let deps = dependencies(&mods);
    let stage = |m: &Module| m.first().cloned().unwrap_or_else(|| "crate".into());
    let mut stages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in &deps {
        for t in to {
            if stage(from) != stage(t) {
                stages.entry(stage(from)).or_default().insert(stage(t));
            }
        }
    }
    if let Some(cycle) = find_cycle(&stages) {
        panic!(
            "stages depend on each other in a circle: {}",
            cycle.join(" -> ")
        );
    }
    // The known order of the pipeline: nothing reaches back to a later stage.
    let order = [
        "ingest",
        "series",
        "crash",
        "correlate",
        "route",
        "report",
        "announce",
        "site",
        "publish",
        "config",
        "demo",
        "tools",
    ];
    for (i, earlier) in order.iter().enumerate() {
        for later in &order[i + 1..] {
            assert!(
                !stages.get(*earlier).is_some_and(|s| s.contains(*later)),
                "{earlier} depends on {later}, which comes after it in the pipeline"
            );
        }
    }
}

#[test]
fn the_product_never_uses_development_only_code() {
    let mods = modules(&src_dir("generator"));
    let deps = dependencies(&mods);
    let dev = |m: &Module| m.first().is_some_and(|s| DEV_ONLY.contains(&s.as_str()));
    for (from, to) in &deps {
        if dev(from) || from.is_empty() {
            continue;
        }
        if let Some(t) = to.iter().find(|t| dev(t)) {
            panic!(
                "{} (product) depends on {} (development only)",
                name(from),
                name(t)
            );
        }
    }
}

#[test]
fn every_module_says_what_it_is_for() {
    for krate in ["generator", "wasm-viewer", "wasm-viewer/format"] {
        for (m, path) in modules(&src_dir(krate)) {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                text.trim_start().starts_with("//!"),
                "{krate}: module {} ({}) has no `//!` doc comment",
                name(&m),
                path.display()
            );
        }
    }
}

#[test]
fn the_checker_finds_what_it_looks_for() {
    // A parent that uses its child, and a child that reaches its parent's item: a cycle.
    let mods: BTreeMap<Module, PathBuf> = [vec![], vec!["a".to_string()]]
        .into_iter()
        .map(|m| (m, PathBuf::new()))
        .collect();
    let from = vec!["a".to_string()];
    assert_eq!(
        resolve(&mods, &from, "super", &["Item".into()]),
        Vec::<String>::new()
    );
    assert_eq!(
        resolve(&mods, &vec![], "crate", &["a".into(), "X".into()]),
        from
    );
    let mut deps = BTreeMap::new();
    deps.insert(vec![], BTreeSet::from([from.clone()]));
    deps.insert(from.clone(), BTreeSet::from([vec![]]));
    assert!(find_cycle(&deps).is_some());
    deps.insert(from, BTreeSet::new());
    assert!(find_cycle(&deps).is_none());
    let paths = named_paths("use crate::x::{y::Z, w};\nlet v = super::q::R;");
    assert!(paths.contains(&("crate".into(), vec!["x".into(), "y".into(), "Z".into()])));
    assert!(paths.contains(&("crate".into(), vec!["x".into(), "w".into()])));
    assert!(paths.contains(&("super".into(), vec!["q".into(), "R".into()])));
}
