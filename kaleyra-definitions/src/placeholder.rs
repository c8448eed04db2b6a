//! The placeholders of template texts, numbered (`{{1}}`..`{{n}}`) or named
//! (`{{customer_name}}`): finding them and filling them in.

use std::ops::Range;

/// The placeholders found in one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placeholders {
    /// Each distinct placeholder number, ascending.
    pub numbers: Vec<usize>,
    /// Every `{{n}}` in the text, in order, with its byte range.
    pub occurrences: Vec<(usize, Range<usize>)>,
    /// Every `{{...}}` whose content is not a number, such as `{{name}}` or `{{}}`.
    pub malformed: Vec<String>,
}

impl Placeholders {
    /// Whether the numbers run 1, 2, .., n with none missing.
    pub fn are_consecutive(&self) -> bool {
        self.numbers.iter().enumerate().all(|(i, &n)| n == i + 1)
    }
}

/// Finds the placeholders in `text`.
///
/// ```
/// let found = kaleyra_definitions::placeholder::scan("Hi {{1}}, order {{2}} is {{ready}}");
/// assert_eq!(found.numbers, [1, 2]);
/// assert_eq!(found.malformed, ["{{ready}}"]);
/// ```
pub fn scan(text: &str) -> Placeholders {
    let mut found = Placeholders::default();
    let mut rest = 0;
    while let Some(open) = text[rest..].find("{{").map(|i| rest + i) {
        let Some(close) = text[open + 2..].find("}}").map(|i| open + 2 + i) else {
            break;
        };
        let inner = &text[open + 2..close];
        let end = close + 2;
        match parse_number(inner) {
            Some(number) => {
                found.occurrences.push((number, open..end));
                if let Err(at) = found.numbers.binary_search(&number) {
                    found.numbers.insert(at, number);
                }
            }
            None => found.malformed.push(text[open..end].to_owned()),
        }
        rest = end;
    }
    found
}

fn parse_number(inner: &str) -> Option<usize> {
    if inner.is_empty() || !inner.bytes().all(|b| b.is_ascii_digit()) || inner.starts_with('0') {
        return None;
    }
    inner.parse().ok()
}

/// Replaces each `{{n}}` in `text` with `values[n - 1]`, in one pass, so a
/// value that itself contains `{{2}}` is inserted as it is. A placeholder with
/// no value is left as it is.
///
/// ```
/// let text = kaleyra_definitions::placeholder::fill("Hi {{1}} {{2}}", &["Ada", "{{1}}"]);
/// assert_eq!(text, "Hi Ada {{1}}");
/// ```
pub fn fill<S: AsRef<str>>(text: &str, values: &[S]) -> String {
    let mut filled = String::with_capacity(text.len());
    let mut copied = 0;
    for (number, range) in scan(text).occurrences {
        if let Some(value) = values.get(number - 1) {
            filled.push_str(&text[copied..range.start]);
            filled.push_str(value.as_ref());
            copied = range.end;
        }
    }
    filled.push_str(&text[copied..]);
    filled
}

/// The named placeholders found in one text (Meta's `parameter_format: "NAMED"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamedPlaceholders {
    /// Each distinct valid name, in the order it first appears.
    pub names: Vec<String>,
    /// Every `{{name}}` with a valid name, in order, with its byte range.
    pub occurrences: Vec<(String, Range<usize>)>,
    /// Every `{{...}}` whose content is not a parameter name (`^[a-z0-9_]+$`),
    /// such as `{{Name}}` or `{{}}`.
    pub invalid: Vec<String>,
}

/// Finds the named placeholders in `text`.
///
/// ```
/// let found = kaleyra_definitions::placeholder::scan_named("Hi {{first_name}}, {{Order}} {{first_name}}");
/// assert_eq!(found.names, ["first_name"]);
/// assert_eq!(found.invalid, ["{{Order}}"]);
/// ```
pub fn scan_named(text: &str) -> NamedPlaceholders {
    let mut found = NamedPlaceholders::default();
    for (inner, range) in braces(text) {
        if crate::limits::is_parameter_name(inner) {
            if !found.names.iter().any(|name| name == inner) {
                found.names.push(inner.to_owned());
            }
            found.occurrences.push((inner.to_owned(), range));
        } else {
            found.invalid.push(text[range].to_owned());
        }
    }
    found
}

/// The distinct valid placeholder names of `text`, in the order they first appear.
pub(crate) fn named_in_order(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for (inner, _) in braces(text) {
        if crate::limits::is_parameter_name(inner) && !names.contains(&inner) {
            names.push(inner);
        }
    }
    names
}

/// Replaces each `{{name}}` in `text` with its value from `values`, in one
/// pass. A placeholder with no value is left as it is.
///
/// ```
/// let text = kaleyra_definitions::placeholder::fill_named(
///     "Hi {{name}}, order {{order_id}}", &[("name", "Ada"), ("order_id", "{{name}}")]);
/// assert_eq!(text, "Hi Ada, order {{name}}");
/// ```
pub fn fill_named<N: AsRef<str>, V: AsRef<str>>(text: &str, values: &[(N, V)]) -> String {
    let mut filled = String::with_capacity(text.len());
    let mut copied = 0;
    for (inner, range) in braces(text) {
        let value = values
            .iter()
            .find(|(name, _)| name.as_ref() == inner)
            .map(|(_, value)| value.as_ref());
        if let Some(value) = value {
            filled.push_str(&text[copied..range.start]);
            filled.push_str(value);
            copied = range.end;
        }
    }
    filled.push_str(&text[copied..]);
    filled
}

/// Every `{{...}}` in `text`: its content and its byte range.
pub(crate) fn braces(text: &str) -> Vec<(&str, Range<usize>)> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find("{{").map(|i| rest + i) {
        let Some(close) = text[open + 2..].find("}}").map(|i| open + 2 + i) else {
            break;
        };
        found.push((&text[open + 2..close], open..close + 2));
        rest = close + 2;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_distinct_and_sorted_while_occurrences_keep_text_order() {
        let found = scan("{{2}} then {{1}} then {{2}}");
        assert_eq!(found.numbers, [1, 2]);
        let order: Vec<usize> = found.occurrences.iter().map(|(n, _)| *n).collect();
        assert_eq!(order, [2, 1, 2]);
        assert!(found.are_consecutive());
    }

    #[test]
    fn gaps_and_zero_are_not_consecutive_or_not_numbers() {
        assert!(!scan("{{1}} {{3}}").are_consecutive());
        assert_eq!(
            scan("{{0}} {{01}} {{}}").malformed,
            ["{{0}}", "{{01}}", "{{}}"]
        );
    }

    #[test]
    fn unclosed_braces_are_plain_text() {
        let found = scan("price {{1}} and {{ unclosed");
        assert_eq!(found.numbers, [1]);
        assert!(found.malformed.is_empty());
    }

    #[test]
    fn named_placeholders_keep_first_appearance_order_and_reject_bad_names() {
        let found = scan_named("{{b}} {{a}} {{b}} {{A}} {{}} {{a-b}}");
        assert_eq!(found.names, ["b", "a"]);
        assert_eq!(found.occurrences.len(), 3);
        assert_eq!(found.invalid, ["{{A}}", "{{}}", "{{a-b}}"]);
        assert_eq!(named_in_order("{{b}} {{a}} {{b}}"), ["b", "a"]);
    }

    #[test]
    fn fill_named_leaves_unknown_names() {
        assert_eq!(fill_named("{{a}}-{{b}}-{{a}}", &[("a", "1")]), "1-{{b}}-1");
    }

    #[test]
    fn fill_replaces_every_occurrence_and_keeps_placeholders_without_value() {
        assert_eq!(fill("{{1}}-{{1}}-{{2}}", &["a"]), "a-a-{{2}}");
    }
}
