//! The `{{1}}`..`{{n}}` placeholders of template texts: finding them and filling them in.

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
    fn fill_replaces_every_occurrence_and_keeps_placeholders_without_value() {
        assert_eq!(fill("{{1}}-{{1}}-{{2}}", &["a"]), "a-a-{{2}}");
    }
}
