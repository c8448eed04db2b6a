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

/// The client a campaign sends with.
pub struct Account {
    /// The client `KALEYRA_SID`, `KALEYRA_API_KEY`, `KALEYRA_FROM` and the
    /// optional variables configure.
    pub client: Client,
    /// The variables a dry run found unset, each with what stands in for it.
    pub stand_ins: Vec<(&'static str, &'static str)>,
}

/// What a dry run uses for each credential that is not set: the request
/// is built and checked all the same, and printed with these in their place
/// (the API key never is printed). `+10000000000` is no one's number: no
/// area code of +1 starts with 0.
const DRY_RUN_STAND_INS: [(&str, &str); 3] = [
    ("KALEYRA_SID", "SID"),
    ("KALEYRA_API_KEY", "not-set"),
    ("KALEYRA_FROM", "+10000000000"),
];

impl Account {
    /// The account the environment configures; every variable that is
    /// missing named in one error. For a `dry_run`, which sends nothing,
    /// the credentials may be missing (see [`DRY_RUN_STAND_INS`]); a value
    /// that is set but wrong is refused all the same.
    pub fn from_env(dry_run: bool) -> Result<Account, Failure> {
        Account::from_lookup(|name| std::env::var(name).ok(), dry_run)
    }

    /// [`Account::from_env`] with the variables read through `lookup`.
    fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        dry_run: bool,
    ) -> Result<Account, Failure> {
        let unset = |name: &str| lookup(name).is_none_or(|value| value.is_empty());
        let stand_ins = DRY_RUN_STAND_INS
            .into_iter()
            .filter(|(name, _)| dry_run && unset(name))
            .collect::<Vec<_>>();
        let client =
            Client::from_lookup(
                |name| match stand_ins.iter().find(|(unset, _)| *unset == name) {
                    Some((_, stand_in)) => Some((*stand_in).to_owned()),
                    None => lookup(name),
                },
            )
            .map_err(|error| Failure::config(error.to_string()))?;
        Ok(Account { client, stand_ins })
    }

    /// The business number, unless a dry run stands in for it.
    pub fn business_number(&self) -> Option<&str> {
        let stood_in = self
            .stand_ins
            .iter()
            .any(|(name, _)| *name == "KALEYRA_FROM");
        (!stood_in).then(|| self.client.from_number())
    }

    /// For a dry run's request: which variables are not set and what
    /// stands in for them, if any (the API key is never shown anyway).
    pub fn stand_in_note(&self) -> Option<String> {
        let shown = self
            .stand_ins
            .iter()
            .filter(|(name, _)| *name != "KALEYRA_API_KEY")
            .map(|(name, stand_in)| format!("{name} (`{stand_in}`)"))
            .collect::<Vec<_>>();
        let unset = self
            .stand_ins
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>();
        (!unset.is_empty()).then(|| {
            let shown = if shown.is_empty() {
                String::new()
            } else {
                format!("; the request shows a stand-in for {}", shown.join(" and "))
            };
            format!(
                "note: a dry run sends nothing and needs no credentials: {} not set{shown}",
                unset.join(", ")
            )
        })
    }
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

    fn lookup(set: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let set = set
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect::<Vec<_>>();
        move |name| {
            set.iter()
                .find(|(set, _)| set == name)
                .map(|(_, value)| value.clone())
        }
    }

    #[test]
    fn a_dry_run_needs_no_credentials_and_says_what_stands_in() {
        let account = Account::from_lookup(lookup(&[]), true).unwrap();
        assert_eq!(account.client.sid(), "SID");
        assert_eq!(account.business_number(), None);
        let note = account.stand_in_note().unwrap();
        assert!(
            note.contains("KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_FROM not set"),
            "{note}"
        );
        assert!(note.contains("KALEYRA_FROM (`+10000000000`)"), "{note}");
        assert!(!note.contains("not-set"), "{note}");
    }

    #[test]
    fn a_dry_run_uses_the_credentials_that_are_set_and_refuses_a_wrong_one() {
        let account =
            Account::from_lookup(lookup(&[("KALEYRA_FROM", "+912025550100")]), true).unwrap();
        assert_eq!(account.business_number(), Some("+912025550100"));
        assert!(
            account
                .stand_in_note()
                .unwrap()
                .contains("KALEYRA_SID, KALEYRA_API_KEY not set")
        );
        let refused = Account::from_lookup(lookup(&[("KALEYRA_FROM", "12")]), true)
            .err()
            .unwrap();
        assert!(refused.message.contains("KALEYRA_FROM"), "{refused}");
    }

    #[test]
    fn a_send_names_every_missing_variable_in_one_error() {
        let refused = Account::from_lookup(lookup(&[]), false).err().unwrap();
        assert_eq!(refused.code, crate::failure::code::CONFIG);
        for name in ["KALEYRA_SID", "KALEYRA_API_KEY", "KALEYRA_FROM"] {
            assert!(refused.message.contains(name), "{refused}");
        }
        let all_set = [
            ("KALEYRA_SID", "HXAP1"),
            ("KALEYRA_API_KEY", "key"),
            ("KALEYRA_FROM", "+912025550100"),
        ];
        let account = Account::from_lookup(lookup(&all_set), true).unwrap();
        assert!(account.stand_in_note().is_none());
    }
}
