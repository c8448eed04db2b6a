//! The modules of every crate of the workspace depend on each other one way
//! only: no module reaches (through `crate::...`) a module that reaches back
//! to it, directly or through others.
//!
//! A module is a file or directory directly under `src/`; a reference through
//! a name the crate root re-exports (`crate::Error`) counts as a reference to
//! the module that defines it. Comments are not read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

#[test]
fn the_definitions_modules_have_no_import_cycle() {
    assert_no_cycle("kaleyra-definitions");
}

#[test]
fn the_macros_modules_have_no_import_cycle() {
    assert_no_cycle("kaleyra-macros");
}

#[test]
fn the_runtime_modules_have_no_import_cycle() {
    assert_no_cycle("kaleyra-runtime");
}

#[test]
fn the_emulator_modules_have_no_import_cycle() {
    assert_no_cycle("kaleyra-emulator");
}

#[test]
fn the_test_support_modules_have_no_import_cycle() {
    assert_no_cycle("kaleyra-test-support");
}

#[test]
fn the_campaign_modules_have_no_import_cycle() {
    assert_no_cycle("kaleyra-campaign");
}

#[test]
fn the_cli_modules_have_no_import_cycle() {
    assert_no_cycle("kaleyra-cli");
}

#[test]
fn every_crate_of_the_workspace_is_checked() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let members: BTreeSet<&str> = manifest
        .split_once("members = [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(members, _)| members)
        .unwrap()
        .split(',')
        .map(|member| member.trim().trim_matches('"'))
        .filter(|member| !member.is_empty())
        .collect();
    let checked: BTreeSet<&str> = CHECKED.iter().copied().collect();
    assert_eq!(members, checked, "add a test above for each new crate");
}

/// The crates the tests above check.
const CHECKED: &[&str] = &[
    "kaleyra-definitions",
    "kaleyra-macros",
    "kaleyra-runtime",
    "kaleyra-emulator",
    "kaleyra-test-support",
    "kaleyra-campaign",
    "kaleyra-cli",
];

#[test]
fn a_cycle_is_found_and_named() {
    let graph: Graph = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")]
        .into_iter()
        .fold(Graph::new(), |mut graph, (from, to)| {
            graph.entry(from.into()).or_default().insert(to.into());
            graph
        });
    assert_eq!(
        find_cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}

#[test]
fn grouped_and_re_exported_references_are_both_read() {
    let reexports = [("Error".to_owned(), "error".to_owned())]
        .into_iter()
        .collect();
    let text = "use crate::{client::Client, receipt};\nfn f() -> crate::Error { make() }\n// crate::inbound\n";
    assert_eq!(
        referenced_modules(text, &reexports),
        ["client", "error", "receipt"]
            .map(String::from)
            .into_iter()
            .collect()
    );
}

fn assert_no_cycle(crate_dir: &str) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(crate_dir)
        .join("src");
    let graph = module_graph(&src);
    assert!(
        graph.len() > 5,
        "{}: too few modules read: {graph:?}",
        src.display()
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!("{crate_dir} has an import cycle: {}", cycle.join(" -> "));
    }
}

/// Each top-level module and the top-level modules it references.
fn module_graph(src: &Path) -> Graph {
    let root = ["lib.rs", "main.rs"]
        .iter()
        .filter_map(|file| std::fs::read_to_string(src.join(file)).ok())
        .collect::<Vec<_>>()
        .join("\n");
    let reexports = root_reexports(&root);
    let mut graph = Graph::new();
    for file in rust_files(src) {
        let relative = file.strip_prefix(src).unwrap();
        let mut parts = relative.components();
        let first = parts.next().unwrap().as_os_str().to_string_lossy();
        if matches!(&*first, "lib.rs" | "main.rs") {
            continue;
        }
        let module = first.trim_end_matches(".rs").to_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        let references = referenced_modules(&text, &reexports);
        let entry = graph.entry(module.clone()).or_default();
        entry.extend(references.into_iter().filter(|name| *name != module));
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for references in graph.values_mut() {
        references.retain(|name| modules.contains(name));
    }
    graph
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
    files
}

/// `pub use module::{A, B};` in the crate root: each name and its module.
fn root_reexports(root: &str) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for statement in root.split(';') {
        let Some(path) = statement.trim().rsplit("pub use ").next() else {
            continue;
        };
        if !statement.contains("pub use ") {
            continue;
        }
        let Some((module, rest)) = path.split_once("::") else {
            continue;
        };
        for name in rest.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            if !name.is_empty() && name != "self" && module.trim() != "crate" {
                // The first definition wins (a derive re-exported under a
                // trait's name does not hide the trait's module).
                names
                    .entry(name.to_owned())
                    .or_insert_with(|| module.trim().to_owned());
            }
        }
    }
    names
}

/// The modules a file names through `crate::...`, outside comments.
fn referenced_modules(text: &str, reexports: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut modules = BTreeSet::new();
    let code = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        // `$crate::` in a macro, or `kaleyra_crate::`, is not this crate's path.
        if before.is_some_and(|c| c == '$' || c.is_alphanumeric() || c == '_') {
            continue;
        }
        let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            group
                .split(',')
                .filter_map(|item| item.split("::").next())
                .map(str::trim)
                .collect()
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            vec![&rest[..end]]
        };
        for name in names.into_iter().filter(|name| !name.is_empty()) {
            let module = reexports.get(name).map_or(name, String::as_str);
            modules.insert(module.to_owned());
        }
    }
    modules
}

/// A path `a -> b -> ... -> a`, if the graph has a cycle.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|seen| seen == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}
