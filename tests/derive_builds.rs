//! The derive inside a real build: editing a template file alone rebuilds
//! (and fails) the struct, and `cargo doc` shows the template on the
//! struct's page.
//!
//! Each test builds a small application crate under `target/` that depends on
//! `kaleyra-runtime` by path, offline, with its own target directory (shared
//! by these tests, so only the first build compiles the dependencies).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

const LIB_RS: &str = r#"//! An application with one approved template.

use kaleyra_runtime::Template;

/// A greeting with a code.
#[derive(Template)]
#[kaleyra(template = "greeting")]
pub struct Greeting {
    /// The customer's name.
    pub name: String,
    /// The code.
    pub code: u32,
}
"#;

fn greeting_json(params: usize) -> String {
    let body: Vec<String> = (1..=params).map(|n| format!("{{{{{n}}}}}")).collect();
    format!(
        r#"{{"name": "greeting", "kind": "template", "language": "en", "params": {params},
  "body": "Hello {}, your code is ready."}}"#,
        body.join(" ")
    )
}

/// A throwaway crate that uses `#[derive(Template)]`.
struct App {
    dir: PathBuf,
    target: PathBuf,
}

impl App {
    fn new(name: &str) -> App {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let dir = tmp.join("derive-apps").join(name);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::create_dir_all(dir.join("templates")).unwrap();
        let runtime = workspace.join("kaleyra-runtime");
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [dependencies]\nkaleyra-runtime = {{ path = {:?} }}\n\n\
                 # Its own workspace, not the repository's.\n[workspace]\n",
                runtime.display().to_string()
            ),
        )
        .unwrap();
        // The repository's lock file, so the build uses the crates already fetched.
        std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
        std::fs::write(dir.join("src/lib.rs"), LIB_RS).unwrap();
        App {
            dir,
            target: tmp.join("derive-apps-target"),
        }
    }

    /// Makes the app depend only on `my-sdk`, a crate that re-exports the
    /// runtime as `my_sdk::kaleyra`, so the app cannot name `kaleyra_runtime`.
    fn depend_only_on_a_facade(&self) {
        let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("kaleyra-runtime");
        let sdk = self.dir.join("my-sdk");
        std::fs::create_dir_all(sdk.join("src")).unwrap();
        std::fs::write(
            sdk.join("Cargo.toml"),
            format!(
                "[package]\nname = \"my-sdk\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [dependencies]\nkaleyra-runtime = {{ path = {:?} }}\n",
                runtime.display().to_string()
            ),
        )
        .unwrap();
        std::fs::write(
            sdk.join("src/lib.rs"),
            "//! A facade.\n\npub use kaleyra_runtime as kaleyra;\n",
        )
        .unwrap();
        let name = self.dir.file_name().unwrap().to_str().unwrap();
        std::fs::write(
            self.dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [dependencies]\nmy-sdk = {{ path = \"my-sdk\" }}\n\n[workspace]\n"
            ),
        )
        .unwrap();
    }

    fn write_lib(&self, lib: &str) {
        std::fs::write(self.dir.join("src/lib.rs"), lib).unwrap();
    }

    fn write_template(&self, params: usize) {
        std::fs::write(
            self.dir.join("templates/greeting.json"),
            greeting_json(params),
        )
        .unwrap();
    }

    fn cargo(&self, args: &[&str]) -> Output {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        Command::new(cargo)
            .args(args)
            .arg("--offline")
            .arg("--target-dir")
            .arg(&self.target)
            .current_dir(&self.dir)
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("RUSTC_WRAPPER")
            .output()
            .unwrap()
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn editing_a_template_file_rebuilds_and_fails_on_the_struct() {
    let app = App::new("derive-rebuild");
    app.write_template(2);
    let first = app.cargo(&["check"]);
    assert!(
        first.status.success(),
        "the app should build:\n{}",
        stderr(&first)
    );

    let lib = app.dir.join("src/lib.rs");
    let lib_before = modified(&lib);
    app.write_template(3);
    let second = app.cargo(&["check"]);
    let message = stderr(&second);
    assert!(
        !second.status.success(),
        "the build should fail after the edit:\n{message}"
    );
    assert!(
        message.contains("no field for body `{{3}}`")
            && message.contains("`templates/greeting.json` takes 3 body values; `Greeting` has 2"),
        "{message}"
    );
    assert_eq!(modified(&lib), lib_before, "no Rust file was touched");

    app.write_template(2);
    let third = app.cargo(&["check"]);
    assert!(
        third.status.success(),
        "restoring the file fixes the build:\n{}",
        stderr(&third)
    );
}

#[test]
fn cargo_doc_shows_the_template_on_the_struct_page() {
    let app = App::new("derive-docs");
    app.write_template(2);
    let output = app.cargo(&["doc", "--no-deps"]);
    assert!(
        output.status.success(),
        "cargo doc failed:\n{}",
        stderr(&output)
    );
    let page = app.target.join("doc/derive_docs/struct.Greeting.html");
    let html = std::fs::read_to_string(&page)
        .unwrap_or_else(|error| panic!("{}: {error}", page.display()));
    for expected in [
        "Sends the approved WhatsApp template <code>greeting</code>",
        "templates/greeting.json",
        // The preview, with the fields in place of the placeholders.
        "background:#d9fdd3",
        ">name</span> <span",
        ">code</span>, your code is ready.",
        // The placeholder map.
        "<td>body <code>{{1}}</code></td><td><code>name</code></td>",
        "<td>body <code>{{2}}</code></td><td><code>code</code></td>",
        // The send example.
        "Client::from_env()",
        "message.send(",
    ] {
        assert!(
            html.contains(expected),
            "`{expected}` is not on the struct's page"
        );
    }
    for hidden in ["_kaleyra", "__private", "2usize"] {
        assert!(!html.contains(hidden), "`{hidden}` is on the struct's page");
    }
}

#[test]
fn a_crate_that_re_exports_the_runtime_derives_through_its_path() {
    let app = App::new("derive-via-sdk");
    app.write_template(2);
    app.depend_only_on_a_facade();
    let through_sdk = LIB_RS.replace(
        "use kaleyra_runtime::Template;",
        "use my_sdk::kaleyra::Template;",
    );

    // Without `crate`, the derive's default path is not nameable here.
    app.write_lib(&through_sdk);
    let default = app.cargo(&["check"]);
    let message = stderr(&default);
    assert!(
        !default.status.success(),
        "the default path should not resolve:\n{message}"
    );
    assert!(
        message.contains("unresolved import `kaleyra_runtime`"),
        "{message}"
    );

    app.write_lib(&through_sdk.replace(
        "#[kaleyra(template = \"greeting\")]",
        "#[kaleyra(template = \"greeting\", crate = \"my_sdk::kaleyra\")]",
    ));
    let output = app.cargo(&["check"]);
    assert!(
        output.status.success(),
        "the derive should build through `my_sdk::kaleyra`:\n{}",
        stderr(&output)
    );
}

/// `greeting` in one language, as the account lists it (Meta's shape).
fn meta_greeting(language: &str, body: &str) -> String {
    format!(
        r#"{{"name":"greeting","language":"{language}","status":"APPROVED","category":"UTILITY","components":[{{"type":"BODY","text":"{body}"}}]}}"#
    )
}

#[test]
fn editing_one_language_file_rebuilds_the_struct_that_sends_every_language() {
    let app = App::new("derive-languages");
    let dir = app.dir.join("templates");
    std::fs::write(
        dir.join("greeting.en.json"),
        meta_greeting("en", "Hello {{1}}, your code is {{2}}."),
    )
    .unwrap();
    let hindi = dir.join("greeting.hi.json");
    std::fs::write(&hindi, meta_greeting("hi", "नमस्ते {{1}}, आपका कोड {{2}} है।")).unwrap();
    app.write_lib(
        r#"//! An application sending one template in each of its languages.

use kaleyra_runtime::Template;

/// A greeting with a code, in the language its field chooses.
#[derive(Template)]
#[kaleyra(template = "greeting")]
pub struct Greeting {
    /// The language.
    #[kaleyra(language)]
    pub language: GreetingLanguage,
    /// The customer's name.
    pub name: String,
    /// The code.
    pub code: u32,
}

/// Each language can be named, and only those.
pub const LANGUAGES: [GreetingLanguage; 2] = [GreetingLanguage::En, GreetingLanguage::Hi];
"#,
    );
    let first = app.cargo(&["check"]);
    assert!(
        first.status.success(),
        "the app should build:\n{}",
        stderr(&first)
    );

    std::fs::write(
        &hindi,
        meta_greeting("hi", "नमस्ते {{1}}, आपका कोड {{2}} {{3}} है।"),
    )
    .unwrap();
    let second = app.cargo(&["check"]);
    let message = stderr(&second);
    assert!(
        !second.status.success(),
        "the build should fail after the edit:\n{message}"
    );
    assert!(
        message
            .contains("the languages `en` and `hi` of template `greeting` take different values")
            && message.contains("`en` has body parameters: 2, `hi` has body parameters: 3"),
        "{message}"
    );

    std::fs::write(&hindi, meta_greeting("hi", "नमस्ते {{1}}, आपका कोड {{2}} है।")).unwrap();
    let third = app.cargo(&["check"]);
    assert!(
        third.status.success(),
        "restoring the file fixes the build:\n{}",
        stderr(&third)
    );
}

/// `kaleyra_definitions::build::track_templates` in a build script: a
/// language file added to `templates/`, with no other edit, is seen by the
/// next build (here it takes other values, so the build fails as it
/// should), and removing it makes the build pass again. (Without a build
/// script the second build is stale and passes: a derive cannot watch a
/// directory. That was checked by hand when this test was written.)
#[test]
fn with_the_build_helper_an_added_language_file_is_seen_by_the_next_build() {
    let app = App::new("derive-tracked");
    let definitions = Path::new(env!("CARGO_MANIFEST_DIR")).join("kaleyra-definitions");
    let manifest = std::fs::read_to_string(app.dir.join("Cargo.toml")).unwrap();
    std::fs::write(
        app.dir.join("Cargo.toml"),
        manifest.replace(
            "# Its own workspace",
            &format!(
                "[build-dependencies]\nkaleyra-definitions = {{ path = {:?} }}\n\n# Its own workspace",
                definitions.display().to_string()
            ),
        ),
    )
    .unwrap();
    std::fs::write(
        app.dir.join("build.rs"),
        "fn main() {\n    kaleyra_definitions::build::track_templates(\"templates\").expect(\"the templates directory\");\n}\n",
    )
    .unwrap();
    let dir = app.dir.join("templates");
    std::fs::write(
        dir.join("greeting.en.json"),
        meta_greeting("en", "Hello {{1}}, your code is {{2}}."),
    )
    .unwrap();
    let first = app.cargo(&["check"]);
    assert!(
        first.status.success(),
        "the app should build:\n{}",
        stderr(&first)
    );

    let hindi = dir.join("greeting.hi.json");
    std::fs::write(&hindi, meta_greeting("hi", "नमस्ते {{1}}, {{2}} {{3}}")).unwrap();
    let second = app.cargo(&["check"]);
    let message = stderr(&second);
    assert!(
        !second.status.success(),
        "the added file should be read by the next build:\n{message}"
    );
    assert!(
        message.contains("`en` has body parameters: 2, `hi` has body parameters: 3"),
        "{message}"
    );

    std::fs::remove_file(&hindi).unwrap();
    let third = app.cargo(&["check"]);
    assert!(
        third.status.success(),
        "removing the file fixes the build:\n{}",
        stderr(&third)
    );
}
