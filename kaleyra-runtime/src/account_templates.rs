//! The templates the account holds, as Kaleyra's v2 API lists them:
//! `GET {base}/v2/{sid}/whatsapp/{waba_id}/message_templates`, every page.
//!
//! Decisions, where Kaleyra's pages are silent:
//! - Paging: Kaleyra's query parameters are not documented, so no `limit` is
//!   sent unless [`TemplateListOptions::page_size`] asks for one. A page's
//!   `paging.cursors.after` is followed on this client's own URL (`after=`,
//!   with `limit=` when set); a `paging.next` alone is followed only when it
//!   points at the client's own scheme, host and port, so the API key never
//!   goes elsewhere (one pointing elsewhere is [`Error::Decode`]).
//!   The list ends at a page with no data, no cursor, or a cursor already
//!   followed.
//! - No retries: the list changes nothing, so a failed listing is simply
//!   run again (`kaleyra templates check` exits 2 and CI reruns it).

use std::collections::HashSet;
use std::num::NonZeroUsize;
use std::sync::Arc;

use kaleyra_definitions::{
    ListedTemplate, PageError, TemplateDefinition, TemplatePage, TemplateSet,
};
use reqwest::Method;
use url::Url;

use crate::api::{Api, ApiVersion};
use crate::client::Client;
use crate::error::{Error, excerpt};
use crate::request::PreparedRequest;
use crate::transport::RawResponse;

/// How to list the account's templates; see [`Client::list_templates_with`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TemplateListOptions {
    /// The page size sent as `limit`; `None` lets Kaleyra choose.
    pub page_size: Option<NonZeroUsize>,
}

impl TemplateListOptions {
    /// The most pages one listing follows; an account holds a few hundred
    /// templates at most, so more means a server that never stops paging.
    pub const MAX_PAGES: usize = 10_000;

    /// Asks for pages of `size` templates (`limit=size`).
    pub fn page_size(mut self, size: NonZeroUsize) -> Self {
        self.page_size = Some(size);
        self
    }
}

/// Every template the account listed, over all pages, in the order listed.
///
/// Each element keeps the exact JSON text the account sent
/// ([`ListedTemplate::raw_json`]) and what it parses into
/// ([`ListedTemplate::definition`]); an element that does not parse is kept
/// with its problems instead of failing the whole list.
#[derive(Debug, Default)]
pub struct TemplateList {
    templates: Vec<ListedTemplate>,
    pages: usize,
}

impl TemplateList {
    /// Every element, parsed or not.
    pub fn templates(&self) -> &[ListedTemplate] {
        &self.templates
    }

    /// How many pages were read.
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// The elements that parse, as a set by name and language (a later
    /// element replaces an earlier one of the same name and language).
    pub fn definitions(&self) -> TemplateSet {
        TemplateSet::from_definitions(
            self.templates
                .iter()
                .filter_map(|listed| listed.definition().ok())
                .cloned(),
        )
    }

    /// The elements that do not parse, each with its problems.
    pub fn unreadable(&self) -> impl Iterator<Item = &ListedTemplate> {
        self.templates
            .iter()
            .filter(|listed| listed.definition().is_err())
    }

    /// The parsed definitions, in the order listed.
    pub fn iter_definitions(&self) -> impl Iterator<Item = &TemplateDefinition> {
        self.templates
            .iter()
            .filter_map(|listed| listed.definition().ok())
    }
}

/// One page read offline (a saved answer) is a list of one page.
impl From<TemplatePage> for TemplateList {
    fn from(page: TemplatePage) -> Self {
        TemplateList {
            templates: page.templates,
            pages: 1,
        }
    }
}

impl Client {
    /// Lists every template of the WhatsApp business account `waba_id`,
    /// following every page; see [`Client::list_templates_with`].
    ///
    /// v2 only: on a v1 client it is [`Error::Unsupported`], because
    /// Kaleyra does not document the list's JSON for v1.
    pub async fn list_templates(&self, waba_id: &str) -> Result<TemplateList, Error> {
        self.list_templates_with(waba_id, &TemplateListOptions::default())
            .await
    }

    /// Lists every template of the WhatsApp business account `waba_id`, with
    /// `options` (the page size).
    ///
    /// Kaleyra does not document the list's paging, so it is read as Meta
    /// pages: `paging.cursors.after` is followed on this client's own URL, a
    /// `paging.next` only on the client's scheme, host and port (the API key
    /// goes nowhere else), and the list ends at an empty page, a page without
    /// a cursor, or a cursor already followed. No `limit` is sent unless
    /// `options` gives a page size.
    ///
    /// Errors: a wrong key or SID is [`Error::Api`] (`RBC001`); a server
    /// error is [`Error::Api`] or, without Kaleyra's error body,
    /// [`Error::Decode`]; a page that is not JSON or not a list, or larger
    /// than the client's `max_response_bytes`, is [`Error::Decode`]. One
    /// element that does not parse is not an error: see [`TemplateList::unreadable`].
    pub async fn list_templates_with(
        &self,
        waba_id: &str,
        options: &TemplateListOptions,
    ) -> Result<TemplateList, Error> {
        let endpoint = self.endpoint();
        if endpoint.api == Api::V1 {
            return Err(Error::unsupported(
                "the template list (Kaleyra documents its JSON for v2 only)",
                ApiVersion::V1,
            ));
        }
        let list_url = self.message_templates_url(waba_id)?;
        let page_url = |after: Option<&str>| {
            let mut url = list_url.clone();
            {
                let mut query = url.query_pairs_mut();
                if let Some(size) = options.page_size {
                    query.append_pair("limit", &size.to_string());
                }
                if let Some(after) = after {
                    query.append_pair("after", after);
                }
            }
            if url.query() == Some("") {
                url.set_query(None);
            }
            url
        };
        let mut list = TemplateList::default();
        let mut url = page_url(None);
        let mut followed = HashSet::new();
        loop {
            if list.pages == TemplateListOptions::MAX_PAGES {
                return Err(Error::Decode {
                    status: 200,
                    reason: format!(
                        "the list goes on past {} pages, each with a new cursor",
                        TemplateListOptions::MAX_PAGES
                    ),
                    body: String::new(),
                });
            }
            let request = PreparedRequest {
                method: Method::GET,
                url: Arc::new(url),
                headers: Arc::clone(&endpoint.headers_with_body),
                body: bytes::Bytes::new(),
                api: ApiVersion::V2,
                recipients: Vec::new(),
                callback_secret: None,
            };
            tracing::debug!(url = %request.shown_url(), page = list.pages + 1, "listing templates");
            let response = self.transport().execute(&request).await?;
            let page = read_page(&response)?;
            list.pages += 1;
            let empty = page.templates.is_empty();
            list.templates.extend(page.templates);
            let next = match (page.paging.after, page.paging.next) {
                _ if empty => None,
                (Some(after), _) => followed
                    .insert(format!("after {after}"))
                    .then(|| page_url(Some(&after))),
                (None, Some(next)) => {
                    let next = same_origin(self.base_url(), &next, &response)?;
                    followed.insert(format!("next {next}")).then_some(next)
                }
                (None, None) => None,
            };
            match next {
                Some(next) => url = next,
                None => return Ok(list),
            }
        }
    }
}

/// A WABA id goes in the URL's path: Meta's are digits; letters, `_` and
/// `-` are allowed too, nothing that could change the path.
impl Client {
    /// `{base}/v2/{sid}/whatsapp/{waba_id}/message_templates`: the route the
    /// template list and template management share, for a valid `waba_id`.
    pub(crate) fn message_templates_url(&self, waba_id: &str) -> Result<Url, Error> {
        check_waba_id(waba_id)?;
        let mut url = self.base_url().clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend([
                "v2",
                self.sid(),
                "whatsapp",
                waba_id,
                "message_templates",
            ]);
        }
        Ok(url)
    }
}

fn check_waba_id(waba_id: &str) -> Result<(), Error> {
    if waba_id.is_empty() {
        return Err(Error::invalid("waba_id", "is empty"));
    }
    if !waba_id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(Error::invalid(
            "waba_id",
            format!(
                "`{waba_id}` is not a WhatsApp business account id (digits, such as 102290129340398)"
            ),
        ));
    }
    Ok(())
}

/// The page an answer holds, or the error it means.
fn read_page(response: &RawResponse) -> Result<TemplatePage, Error> {
    if !(200..300).contains(&response.status) {
        return Err(crate::response::refusal(response));
    }
    TemplatePage::parse(&response.body).map_err(|error| match error {
        PageError::Refused { .. } => crate::response::refusal(response),
        other => Error::Decode {
            status: response.status,
            reason: other.to_string(),
            body: excerpt(&response.body),
        },
    })
}

/// `paging.next` as a URL, when it is on the client's own scheme, host and port.
fn same_origin(base: &Url, next: &str, response: &RawResponse) -> Result<Url, Error> {
    let refused = |reason: String| Error::Decode {
        status: response.status,
        reason,
        body: excerpt(&response.body),
    };
    let url = Url::parse(next)
        .map_err(|error| refused(format!("`paging.next` is not a URL ({error})")))?;
    if url.origin() != base.origin() {
        return Err(refused(format!(
            "`paging.next` points at {}, not at {}; the API key is sent only to the configured host",
            url.origin().ascii_serialization(),
            base.origin().ascii_serialization()
        )));
    }
    Ok(url)
}
