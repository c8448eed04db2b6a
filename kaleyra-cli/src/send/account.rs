//! The account a campaign sends from: the client the environment
//! configures, the callback URL each message names, the optional check of
//! the credentials before the first row, and what to change in them when
//! Kaleyra refuses them.

use kaleyra_campaign::STOP_AFTER_REFUSALS;
use kaleyra_definitions::codes::{self, AnswerCode};
use kaleyra_runtime::callbacks::{CallbackSecret, CallbackUrl};
use kaleyra_runtime::{ApiVersion, Client};

use crate::callbacks::{MAKE_A_SECRET, secret_problem};
use crate::failure::Failure;

/// The client `KALEYRA_SID`, `KALEYRA_API_KEY`, `KALEYRA_FROM` and the
/// optional variables configure.
pub fn client() -> Result<Client, Failure> {
    Client::from_env().map_err(|error| Failure::config(error.to_string()))
}

/// The callback URL each message names: `base/<secret>`. Without
/// KALEYRA_CALLBACK_SECRET it is refused, before anything is sent: every
/// status would get 404 from `serve-callbacks` and be lost. `base` itself
/// only when `unauthenticated` is asked for.
pub fn callback_url(base: &str, unauthenticated: bool) -> Result<CallbackUrl, Failure> {
    if unauthenticated {
        eprintln!(
            "warning: --allow-unauthenticated-callbacks: anyone who learns {base} can post statuses to it"
        );
        return Ok(CallbackUrl::from(base));
    }
    let secret = CallbackSecret::from_env().map_err(|error| {
        Failure::config(format!(
            "--callback-url {base} needs a callback secret, and {}; nothing was sent.\n  \
             Without it `kaleyra journal serve-callbacks` refuses every status, so none would be recorded.\n  \
             Make one and give the same to both commands:\n    \
             export {}=$({MAKE_A_SECRET})\n  \
             (or --allow-unauthenticated-callbacks, with `serve-callbacks --allow-unauthenticated`)",
            secret_problem(&error),
            CallbackSecret::ENV_VAR
        ))
    })?;
    secret
        .callback_url(base)
        .map_err(|error| Failure::config(format!("--callback-url {base}: {error}")))
}

/// `--check-credentials`: lists the account's templates, the one harmless
/// authenticated request Kaleyra documents (v2), before anything is sent.
pub async fn check_credentials(client: &Client, waba_id: Option<&str>) -> Result<(), Failure> {
    if client.api().version() != ApiVersion::V2 {
        return Err(Failure::config(format!(
            "--check-credentials reads the account's template list, which Kaleyra documents on v2 only \
             (KALEYRA_API=v2); on v1 leave it out: the first requests go one at a time, so a wrong key \
             costs at most {STOP_AFTER_REFUSALS} refused requests"
        )));
    }
    let waba_id = waba_id.ok_or_else(|| {
        Failure::config(
            "--check-credentials needs the WhatsApp business account id: --waba-id or KALEYRA_WABA_ID",
        )
    })?;
    match client.list_templates(waba_id).await {
        Ok(list) => {
            eprintln!(
                "credentials checked: Kaleyra listed {} templates of business account {waba_id}",
                list.templates().len()
            );
            Ok(())
        }
        Err(error) => Err(match error.stops_campaign() {
            Some(code) => Failure::blocked(format!(
                "--check-credentials: Kaleyra refused the template list with {} ({}); nothing was sent.\n  \
                 what to do: {}\n  the answer: {error}",
                code.code,
                code.meaning,
                what_to_do(code)
            )),
            None => Failure::config(format!(
                "--check-credentials: the template list failed, so the credentials are not checked; nothing was sent: {error}"
            )),
        }),
    }
}

/// What to change for `code`, in this command's terms where it has them.
pub fn what_to_do(code: &AnswerCode) -> &'static str {
    if *code == codes::RBC001 {
        "check KALEYRA_SID and KALEYRA_API_KEY"
    } else if *code == codes::WA401 || *code == codes::E13008 {
        "check KALEYRA_FROM: it must be a business number of the account, in E.164"
    } else if *code == codes::WA_401 {
        "check KALEYRA_API (v1 or v2): KALEYRA_FROM is bound to the other API version, or the API is not enabled for the account"
    } else if *code == codes::META_132001 {
        "check --template and --language against the account (`kaleyra templates check`)"
    } else {
        code.remedy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_names_the_setting_to_check() {
        assert!(what_to_do(&codes::RBC001).contains("KALEYRA_API_KEY"));
        assert!(what_to_do(&codes::WA401).contains("KALEYRA_FROM"));
        assert!(what_to_do(&codes::WA_401).contains("KALEYRA_API (v1 or v2)"));
        assert!(what_to_do(&codes::META_132001).contains("kaleyra templates check"));
    }

    #[test]
    fn unauthenticated_callbacks_are_sent_to_the_url_as_given() {
        let url = callback_url("https://example.com/statuses", true).unwrap();
        assert_eq!(url.expose_url(), "https://example.com/statuses");
        assert!(url.secret().is_none());
    }
}
