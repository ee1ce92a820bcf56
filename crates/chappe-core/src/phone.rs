//! Phone numbers: normalisation to bare digits, and Telegram's test numbers.

use crate::AccountError;

/// Strips `+`, spaces, dashes, dots and parentheses; the rest must be 5..=15
/// ASCII digits (E.164 allows 15).
pub fn normalize(phone: &str) -> Result<String, AccountError> {
    let mut digits = String::with_capacity(phone.len());
    for c in phone.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '+' | ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(AccountError::PhoneNumberInvalid),
        }
        if digits.len() > 15 {
            return Err(AccountError::PhoneNumberInvalid);
        }
    }
    if digits.len() < 5 {
        return Err(AccountError::PhoneNumberInvalid);
    }
    Ok(digits)
}

/// Telegram's test numbers, `99966XYYYY` with X in 1..=3: the login code is
/// X five times and nothing is delivered. Answers the code for a test
/// number (already normalised).
pub fn test_number_code(phone: &str) -> Option<String> {
    let rest = phone.strip_prefix("99966")?;
    if rest.len() != 5 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let x = rest.chars().next()?;
    matches!(x, '1'..='3').then(|| x.to_string().repeat(5))
}

/// The first name given to an account made for a test number: "Test" and
/// its last four digits, since several client libraries refuse to sign up
/// on their own.
pub fn test_account_name(phone: &str) -> String {
    let tail = phone.get(phone.len().saturating_sub(4)..).unwrap_or(phone);
    format!("Test {tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_bounds() {
        assert_eq!(
            normalize("+1 (555) 010-99.9").ok(),
            Some("1555010999".to_owned())
        );
        assert!(normalize("1234").is_err());
        assert!(normalize("12345").is_ok());
        assert!(normalize(&"1".repeat(15)).is_ok());
        assert!(normalize(&"1".repeat(16)).is_err());
        assert!(normalize("12345a").is_err());
        assert!(normalize("").is_err());
        assert!(normalize("١٢٣٤٥").is_err());
    }

    #[test]
    fn test_numbers() {
        assert_eq!(test_number_code("9996612345").as_deref(), Some("11111"));
        assert_eq!(test_number_code("9996630001").as_deref(), Some("33333"));
        assert_eq!(test_number_code("9996640001"), None);
        assert_eq!(test_number_code("9996600001"), None);
        assert_eq!(test_number_code("999661234"), None);
        assert_eq!(test_number_code("99966123456"), None);
        assert_eq!(test_account_name("9996620001"), "Test 0001");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_input_never_panics_and_yields_digits(input in ".{0,40}") {
            if let Ok(digits) = normalize(&input) {
                proptest::prop_assert!((5..=15).contains(&digits.len()));
                proptest::prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
                let _ = test_number_code(&digits);
                let _ = test_account_name(&digits);
            }
        }
    }
}
