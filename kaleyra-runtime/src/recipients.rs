//! Who a message goes to: one number or several.

use std::collections::HashSet;

use kaleyra_definitions::limits;

use crate::error::Error;

/// One recipient or several: `&str`, `String`, or a slice, array or `Vec` of them.
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
pub(crate) fn checked(to: &(impl Recipients + ?Sized)) -> Result<Vec<String>, Error> {
    if let Some(number) = to.only_recipient() {
        return if limits::is_e164(number) {
            Ok(vec![number.to_owned()])
        } else {
            Err(not_e164("to", number))
        };
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

fn not_e164(field: &str, number: &str) -> Error {
    Error::invalid(
        field,
        format!("`{number}` is not an E.164 number such as +919876543210"),
    )
}
