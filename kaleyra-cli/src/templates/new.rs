//! `kaleyra templates new NAME`: a template to submit, scaffolded in Meta's
//! create shape (the objects `pull` writes, without `id` and `status`), with
//! an example for each placeholder as Meta requires, in a file the derive
//! already reads.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use kaleyra_definitions::{Category, TemplateDefinition, limits};
use serde_json::{Value, json};

use super::{code, could_not};
use crate::failure::Failure;

/// The arguments of `kaleyra templates new`.
#[derive(Debug, Args)]
#[command(after_long_help = NEW_HELP)]
pub struct NewArgs {
    /// The template's name: lowercase letters, digits and `_`.
    pub name: String,
    /// What the template is for, as Meta reviews it.
    #[arg(long, value_enum)]
    pub category: NewCategory,
    /// The language code, such as `en` or `en_US`.
    #[arg(long)]
    pub language: String,
    /// A header above the body (not on an authentication template).
    #[arg(long, value_enum)]
    pub header: Option<NewHeader>,
    /// The directory of template definitions (created if missing).
    #[arg(long, default_value = "templates", env = "KALEYRA_TEMPLATES_DIR")]
    pub dir: PathBuf,
}

/// A template's category, as `--category` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum NewCategory {
    /// Promotions and offers.
    Marketing,
    /// Updates about something the customer did.
    Utility,
    /// One-time passwords: Meta writes the text; the file gives the code button.
    Authentication,
}

impl NewCategory {
    fn category(self) -> Category {
        match self {
            NewCategory::Marketing => Category::Marketing,
            NewCategory::Utility => Category::Utility,
            NewCategory::Authentication => Category::Authentication,
        }
    }
}

/// A header kind, as `--header` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewHeader {
    /// A line of text.
    Text,
    /// An image (JPEG or PNG).
    Image,
    /// A video (MP4 or 3GPP).
    Video,
    /// A document (PDF).
    Document,
    /// A place on a map, given by each message.
    Location,
}

const NEW_HELP: &str = "\
Example:
  kaleyra templates new diwali_offer --category MARKETING --language en --header image

Writes templates/<name>.<language>.json in Meta's create shape: the texts to
edit, an example for each placeholder (Meta requires one), and no id or status,
as it is not submitted yet. #[derive(Template)] reads it at once, so the struct
can be written before the template is approved. A media header's example is a
header handle, which Meta's resumable upload gives: replace the one written.
An authentication template's body is Meta's own text; the file gives its
security note, the code's expiry and its copy-code button.

Exit codes: 0 written, 2 a bad name or language, or the file exists or cannot
be written (an existing file is never overwritten).";

/// Runs `kaleyra templates new`.
pub fn run(args: NewArgs) -> Result<u8, Failure> {
    if !limits::is_template_name(&args.name) {
        return Err(could_not(format!(
            "`{}` is not a template name: use lowercase letters, digits and `_` only, at most {} characters",
            args.name,
            limits::TEMPLATE_NAME
        )));
    }
    if !limits::is_language_code(&args.language) {
        return Err(could_not(format!(
            "--language `{}` is not a language code such as `en` or `en_US`",
            args.language
        )));
    }
    if args.category == NewCategory::Authentication && args.header.is_some() {
        return Err(could_not(
            "an authentication template has no header: Meta writes its text and shows the code",
        ));
    }
    let object = scaffold(&args);
    let bytes = serde_json::to_vec_pretty(&object)
        .map_err(|error| could_not(format!("cannot write the template: {error}")))?;
    let path = args
        .dir
        .join(format!("{}.{}.json", args.name, args.language));
    // The scaffold must be a definition the derive reads, or it is not written.
    TemplateDefinition::from_slice(&bytes, &path)
        .map_err(|error| could_not(format!("the scaffold does not read back: {error}")))?;
    write_new(&args.dir, &path, &bytes)?;
    println!(
        "wrote {}: a {} template, not submitted yet; edit its texts and examples, then #[derive(Template)] #[kaleyra(template = \"{}\")]",
        path.display(),
        args.category.category().as_str(),
        args.name
    );
    Ok(code::OK)
}

/// Meta's create object for `args`.
fn scaffold(args: &NewArgs) -> Value {
    let mut components = Vec::new();
    if args.category == NewCategory::Authentication {
        components.push(json!({"type": "BODY", "add_security_recommendation": true}));
        components.push(json!({"type": "FOOTER", "code_expiration_minutes": 10}));
        components.push(json!({
            "type": "BUTTONS",
            "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy code"}]
        }));
    } else {
        if let Some(header) = args.header {
            components.push(header_component(header));
        }
        components.push(json!({
            "type": "BODY",
            "text": "Hello {{1}}, replace this text with your message.",
            "example": {"body_text": [["Asha"]]}
        }));
    }
    json!({
        "name": args.name,
        "language": args.language,
        "category": args.category.category().as_str(),
        "components": components,
    })
}

fn header_component(header: NewHeader) -> Value {
    let media = |format: &str| {
        json!({
            "type": "HEADER",
            "format": format,
            "example": {"header_handle": ["replace with the header handle of a sample file"]}
        })
    };
    match header {
        NewHeader::Text => {
            json!({"type": "HEADER", "format": "TEXT", "text": "Replace this header"})
        }
        NewHeader::Image => media("IMAGE"),
        NewHeader::Video => media("VIDEO"),
        NewHeader::Document => media("DOCUMENT"),
        NewHeader::Location => json!({"type": "HEADER", "format": "LOCATION"}),
    }
}

/// Writes `bytes` to `path`, which must not exist yet.
fn write_new(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let failed =
        |error: std::io::Error| could_not(format!("cannot write {}: {error}", path.display()));
    std::fs::create_dir_all(dir).map_err(failed)?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::AlreadyExists => could_not(format!(
                "{} exists; it is never overwritten (choose another name, or edit it)",
                path.display()
            )),
            _ => failed(error),
        })?;
    file.write_all(bytes).map_err(failed)?;
    file.write_all(b"\n").map_err(failed)?;
    Ok(())
}
