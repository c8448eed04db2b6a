//! Who a message goes to: one number or several.

use std::collections::HashSet;

use kaleyra_definitions::limits;

use crate::error::Error;

/// One recipient or several: `&str`, `String`, or a slice, array or `Vec` of them.
///
/// Each number is checked for E.164 shape only (an optional `+`, then 8 to
/// 15 digits, the first not zero; see
/// [`limits::is_e164`](kaleyra_definitions::limits::is_e164)) and sent as
/// given, with or without its `+`: whether it exists is Kaleyra's to say. A
/// number written as people write it (`098111 11115`) is refused here; read
/// it with `PhoneNumber::parse` (feature `phonenumber`) first.
///
/// ```
/// use kaleyra_runtime::Recipients;
///
/// fn count(to: impl Recipients) -> usize { to.recipient_list().len() }
/// assert_eq!(count("+919876543210"), 1);
/// assert_eq!(count(["+919876543210", "+919876543211"]), 2);
/// assert_eq!(count(vec![String::from("+919876543210")]), 1);
/// ```
pub trait Recipients {
    /// The numbers, as given.
    fn recipient_list(&self) -> Vec<&str>;

    /// The number, when this is always exactly one (a shortcut past the list).
    #[doc(hidden)]
    fn only_recipient(&self) -> Option<&str> {
        None
    }

    /// The number itself, when this is exactly one number held as a
    /// `String`: the request keeps it instead of a copy.
    #[doc(hidden)]
    fn into_only_recipient(self) -> Result<String, Self>
    where
        Self: Sized,
    {
        Err(self)
    }
}

impl Recipients for str {
    fn recipient_list(&self) -> Vec<&str> {
        vec![self]
    }

    fn only_recipient(&self) -> Option<&str> {
        Some(self)
    }
}

impl Recipients for String {
    fn recipient_list(&self) -> Vec<&str> {
        vec![self.as_str()]
    }

    fn only_recipient(&self) -> Option<&str> {
        Some(self)
    }

    fn into_only_recipient(self) -> Result<String, Self> {
        Ok(self)
    }
}

impl<T: AsRef<str>> Recipients for [T] {
    fn recipient_list(&self) -> Vec<&str> {
        self.iter().map(AsRef::as_ref).collect()
    }
}

impl<T: AsRef<str>, const N: usize> Recipients for [T; N] {
    fn recipient_list(&self) -> Vec<&str> {
        self.as_slice().recipient_list()
    }
}

impl<T: AsRef<str>> Recipients for Vec<T> {
    fn recipient_list(&self) -> Vec<&str> {
        self.as_slice().recipient_list()
    }
}

impl<R: Recipients + ?Sized> Recipients for &R {
    fn recipient_list(&self) -> Vec<&str> {
        (**self).recipient_list()
    }

    fn only_recipient(&self) -> Option<&str> {
        (**self).only_recipient()
    }
}

/// The recipients, each checked to be shaped like an E.164 number and given once.
pub(crate) fn checked(to: impl Recipients) -> Result<Vec<String>, Error> {
    let to = match to.into_only_recipient() {
        Ok(number) => return only(number),
        Err(to) => to,
    };
    if let Some(number) = to.only_recipient() {
        return only(number.to_owned());
    }
    let list = to.recipient_list();
    let field = |position: usize| {
        if list.len() == 1 {
            "to".to_owned()
        } else {
            format!("to[{position}]")
        }
    };
    for (position, number) in list.iter().enumerate() {
        if !limits::is_e164(number) {
            return Err(not_e164(&field(position), number));
        }
    }
    match list.as_slice() {
        [] => return Err(Error::invalid("to", "has no recipient")),
        [_] => {}
        several => {
            let mut seen = HashSet::with_capacity(several.len());
            for (position, number) in several.iter().enumerate() {
                // `+919876543210` and `919876543210` are the same number.
                if !seen.insert(number.strip_prefix('+').unwrap_or(number)) {
                    return Err(Error::invalid(
                        field(position),
                        format!("`{number}` is given twice; it would get the message twice"),
                    ));
                }
            }
        }
    }
    Ok(list.into_iter().map(str::to_owned).collect())
}

/// The one recipient `to` names, checked.
fn only(number: String) -> Result<Vec<String>, Error> {
    if limits::is_e164(&number) {
        Ok(vec![number])
    } else {
        Err(not_e164("to", &number))
    }
}

fn not_e164(field: &str, number: &str) -> Error {
    Error::invalid(
        field,
        format!("`{number}` is not an E.164 number such as +919876543210"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused_field(result: Result<Vec<String>, Error>) -> String {
        match result {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn one_number_is_kept_as_given_however_it_is_passed() {
        let number = String::from("+919876543210");
        let expected = vec![number.clone()];
        assert_eq!(checked(number.as_str()).unwrap(), expected);
        assert_eq!(checked(&number).unwrap(), expected);
        assert_eq!(checked([number.as_str()]).unwrap(), expected);
        assert_eq!(checked(number).unwrap(), expected);
    }

    #[test]
    fn a_number_that_is_not_e164_is_refused_however_it_is_passed() {
        let number = String::from("98765 43210");
        assert_eq!(refused_field(checked(number.as_str())), "to");
        assert_eq!(refused_field(checked(&number)), "to");
        assert_eq!(refused_field(checked(vec![number.clone()])), "to");
        assert_eq!(refused_field(checked(number)), "to");
    }
}
