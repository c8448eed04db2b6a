//! For a build script: make cargo rebuild the crate when a template file is
//! added to or removed from the templates directory.
//!
//! `#[derive(Template)]` makes cargo watch each file it reads, so an edit
//! to one rebuilds the crate; but a derive cannot watch a directory, so a
//! file `pull` or `new` adds (a new language of a template) is not seen
//! until something else changes. A build script that calls
//! [`track_templates`] closes that gap. Opt in with
//!
//! ```toml
//! [build-dependencies]
//! kaleyra-definitions = "0.1"
//! ```
//!
//! and a `build.rs` of
//!
//! ```no_run
//! // build.rs, in `fn main`:
//! kaleyra_definitions::build::track_templates("templates").expect("the templates directory");
//! ```
//!
//! (The derive already builds this crate for the host, so the build script
//! costs no extra compilation.)

use std::io;
use std::path::Path;

/// Prints `cargo:rerun-if-changed=` for `dir` (relative to the crate's
/// `Cargo.toml`, as a build script runs there) and for each definition file
/// in it, so cargo reruns the build script, and rebuilds the crate, when a
/// file is added, removed or changed. A directory that cannot be read is an
/// error naming it.
pub fn track_templates(dir: impl AsRef<Path>) -> io::Result<()> {
    for line in rerun_lines(dir.as_ref())? {
        println!("{line}");
    }
    Ok(())
}

/// The lines [`track_templates`] prints: the directory, then each
/// definition file, sorted.
pub fn rerun_lines(dir: &Path) -> io::Result<Vec<String>> {
    let files = crate::definition_files(dir).map_err(|error| {
        io::Error::new(
            error.kind(),
            format!(
                "cannot read the templates directory {}: {error}",
                dir.display()
            ),
        )
    })?;
    Ok(std::iter::once(dir.to_path_buf())
        .chain(files)
        .map(|path| format!("cargo:rerun-if-changed={}", path.display()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_directory_and_each_file_are_watched_and_a_new_file_joins_them() {
        let dir = std::env::temp_dir().join(format!("kaleyra-build-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("order_update.en.json"), b"{}").unwrap();
        let before = rerun_lines(&dir).unwrap();
        assert_eq!(
            before,
            [
                format!("cargo:rerun-if-changed={}", dir.display()),
                format!(
                    "cargo:rerun-if-changed={}",
                    dir.join("order_update.en.json").display()
                ),
            ]
        );
        std::fs::write(dir.join("order_update.hi.json"), b"{}").unwrap();
        let after = rerun_lines(&dir).unwrap();
        assert_eq!(after.len(), 3);
        assert!(after[2].ends_with("order_update.hi.json"), "{after:?}");
        std::fs::remove_dir_all(&dir).unwrap();
        let missing = rerun_lines(&dir).unwrap_err();
        assert!(
            missing
                .to_string()
                .contains("cannot read the templates directory"),
            "{missing}"
        );
    }
}
