//! Stripe's test cards and what each does, as Stripe's test mode answers them; and the checks
//! Checkout's card form makes before anything is sent (number length and Luhn digit, expiry
//! not past, CVC digits).
//!
//! Sources:
//! - Test cards and outcomes: <https://docs.stripe.com/testing> ("Cards by brand",
//!   "Declined payments", "Authentication and setup" / 3D Secure:
//!   <https://docs.stripe.com/testing#regulatory-cards>,
//!   <https://docs.stripe.com/testing#declined-payments>).
//! - Decline messages, codes and `decline_code`s: <https://docs.stripe.com/declines/codes>,
//!   <https://docs.stripe.com/error-codes> (`card_declined`, `expired_card`,
//!   `incorrect_cvc`, `processing_error`, `incorrect_number`).
//! - A real card number in test mode is declined with the message quoted in
//!   [`LIVE_CARD_IN_TEST_MODE`] (`card_declined`, `decline_code: test_mode_live_card`):
//!   <https://docs.stripe.com/testing#use-test-cards>.
//! - Authentication failure message (`payment_intent_authentication_failure`):
//!   <https://docs.stripe.com/error-codes#payment-intent-authentication-failure>.
//! - Any future expiry date and any 3-digit CVC (4 for American Express) work with test
//!   cards: <https://docs.stripe.com/testing#cards>.

/// A decline, as Stripe's API reports it and Checkout shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decline {
    /// The error `code` (`card_declined`, `expired_card`, …).
    pub code: &'static str,
    /// The `decline_code` (`generic_decline`, `insufficient_funds`, …).
    pub decline_code: &'static str,
    /// The message shown to the customer.
    pub message: &'static str,
}

/// What paying with a card number does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The payment succeeds.
    Succeeds,
    /// The card is declined; the session stays open.
    Declined(Decline),
    /// 3D Secure: the customer must authenticate; then `after` happens (a decline or success).
    Authenticate { after: Option<Decline> },
}

pub(crate) const GENERIC_DECLINE: Decline = Decline {
    code: "card_declined",
    decline_code: "generic_decline",
    message: "Your card was declined.",
};

pub(crate) const INSUFFICIENT_FUNDS: Decline = Decline {
    code: "card_declined",
    decline_code: "insufficient_funds",
    message: "Your card has insufficient funds.",
};

/// A number that is not one of Stripe's test cards, used in test mode.
pub(crate) const LIVE_CARD_IN_TEST_MODE: Decline = Decline {
    code: "card_declined",
    decline_code: "test_mode_live_card",
    message: "Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.",
};

/// Shown when the customer fails 3D Secure.
pub(crate) const AUTHENTICATION_FAILED: &str = "We are unable to authenticate your payment method. Please choose a different payment method and try again.";

/// Stripe's documented test card numbers and their outcomes.
const TEST_CARDS: &[(&str, Outcome)] = &[
    // Cards by brand: each succeeds.
    ("4242424242424242", Outcome::Succeeds),    // Visa
    ("4000056655665556", Outcome::Succeeds),    // Visa (debit)
    ("5555555555554444", Outcome::Succeeds),    // Mastercard
    ("2223003122003222", Outcome::Succeeds),    // Mastercard (2-series)
    ("5200828282828210", Outcome::Succeeds),    // Mastercard (debit)
    ("5105105105105100", Outcome::Succeeds),    // Mastercard (prepaid)
    ("378282246310005", Outcome::Succeeds),     // American Express
    ("371449635398431", Outcome::Succeeds),     // American Express
    ("6011111111111117", Outcome::Succeeds),    // Discover
    ("6011000990139424", Outcome::Succeeds),    // Discover
    ("6011981111111113", Outcome::Succeeds),    // Discover (debit)
    ("3056930009020004", Outcome::Succeeds),    // Diners Club
    ("36227206271667", Outcome::Succeeds),      // Diners Club (14-digit card)
    ("6555900000604105", Outcome::Succeeds),    // BCcard and DinaCard
    ("3566002020360505", Outcome::Succeeds),    // JCB
    ("6200000000000005", Outcome::Succeeds),    // UnionPay
    ("6200000000000047", Outcome::Succeeds),    // UnionPay (debit)
    ("6205500000000000004", Outcome::Succeeds), // UnionPay (19-digit card)
    // Declined payments.
    ("4000000000000002", Outcome::Declined(GENERIC_DECLINE)),
    ("4000000000009995", Outcome::Declined(INSUFFICIENT_FUNDS)),
    (
        "4000000000009987",
        Outcome::Declined(Decline {
            code: "card_declined",
            decline_code: "lost_card",
            message: "Your card was declined.",
        }),
    ),
    (
        "4000000000009979",
        Outcome::Declined(Decline {
            code: "card_declined",
            decline_code: "stolen_card",
            message: "Your card was declined.",
        }),
    ),
    (
        "4000000000000069",
        Outcome::Declined(Decline {
            code: "expired_card",
            decline_code: "expired_card",
            message: "Your card has expired.",
        }),
    ),
    (
        "4000000000000127",
        Outcome::Declined(Decline {
            code: "incorrect_cvc",
            decline_code: "incorrect_cvc",
            message: "Your card's security code is incorrect.",
        }),
    ),
    (
        "4000000000000119",
        Outcome::Declined(Decline {
            code: "processing_error",
            decline_code: "processing_error",
            message: "An error occurred while processing your card. Try again in a little bit.",
        }),
    ),
    (
        "4100000000000019",
        Outcome::Declined(Decline {
            code: "card_declined",
            decline_code: "fraudulent",
            message: "Your card was declined.",
        }),
    ),
    // 3D Secure.
    ("4000002500003155", Outcome::Authenticate { after: None }),
    ("4000002760003184", Outcome::Authenticate { after: None }),
    ("4000000000003220", Outcome::Authenticate { after: None }),
    ("4000000000003063", Outcome::Authenticate { after: None }),
    (
        "4000008260003178",
        Outcome::Authenticate {
            after: Some(INSUFFICIENT_FUNDS),
        },
    ),
];

/// A card form as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct CardInput<'a> {
    pub number: &'a str,
    pub expiry: &'a str,
    pub cvc: &'a str,
}

/// A card that passed the form's checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Card {
    pub number: String,
    pub exp_month: u32,
    pub exp_year: i64,
}

impl Card {
    /// What paying with this card does.
    pub fn outcome(&self) -> Outcome {
        TEST_CARDS
            .iter()
            .find(|(n, _)| *n == self.number)
            .map(|(_, outcome)| *outcome)
            .unwrap_or(Outcome::Declined(LIVE_CARD_IN_TEST_MODE))
    }

    /// The last four digits.
    pub fn last4(&self) -> &str {
        &self.number[self.number.len().saturating_sub(4)..]
    }
}

/// Which field a problem is beside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CardField {
    Number,
    Expiry,
    Cvc,
}

/// Checks the card form as Checkout does before submitting; `today` is (year, month) on the
/// fake's clock. Returns the card or each field's problem, in Stripe.js's words.
pub(crate) fn check(
    input: &CardInput<'_>,
    today: (i64, u32),
) -> Result<Card, Vec<(CardField, &'static str)>> {
    let mut problems = Vec::new();
    let number: String = input
        .number
        .chars()
        .filter(|c| *c != ' ' && *c != '-')
        .collect();
    if number.is_empty() {
        problems.push((CardField::Number, "Your card number is incomplete."));
    } else if !number.bytes().all(|b| b.is_ascii_digit()) || number.len() > 19 {
        problems.push((CardField::Number, "Your card number is invalid."));
    } else if number.len() < 14 {
        problems.push((CardField::Number, "Your card number is incomplete."));
    } else if !luhn(&number) {
        problems.push((CardField::Number, "Your card number is invalid."));
    }
    let expiry = parse_expiry(input.expiry);
    match expiry {
        Err(problem) => problems.push((CardField::Expiry, problem)),
        Ok((year, _)) if year < today.0 => problems.push((
            CardField::Expiry,
            "Your card's expiration year is in the past.",
        )),
        Ok((year, month)) if year == today.0 && month < today.1 => problems.push((
            CardField::Expiry,
            "Your card's expiration date is in the past.",
        )),
        Ok(_) => {}
    }
    let cvc = input.cvc.trim();
    let amex = number.starts_with("34") || number.starts_with("37");
    let wanted = if amex { 3..=4 } else { 3..=3 };
    if cvc.is_empty() || (cvc.bytes().all(|b| b.is_ascii_digit()) && cvc.len() < 3) {
        problems.push((CardField::Cvc, "Your card's security code is incomplete."));
    } else if !cvc.bytes().all(|b| b.is_ascii_digit()) || !wanted.contains(&cvc.len()) {
        problems.push((CardField::Cvc, "Your card's security code is invalid."));
    }
    match (problems.is_empty(), expiry) {
        (true, Ok((exp_year, exp_month))) => Ok(Card {
            number,
            exp_month,
            exp_year,
        }),
        _ => Err(problems),
    }
}

/// `MM / YY`, `MM/YY`, `MMYY` or `MM/YYYY` → (year, month).
fn parse_expiry(text: &str) -> Result<(i64, u32), &'static str> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Err("Your card's expiration date is incomplete.");
    }
    let (month, year) = match digits.split_once('/') {
        Some((m, y)) => (m.to_owned(), y.to_owned()),
        None if digits.len() == 4 || digits.len() == 6 => {
            (digits[..2].to_owned(), digits[2..].to_owned())
        }
        None => return Err("Your card's expiration date is incomplete."),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(&month) || !all_digits(&year) || month.len() > 2 {
        return Err("Your card's expiration date is invalid.");
    }
    let month: u32 = month
        .parse()
        .map_err(|_| "Your card's expiration date is invalid.")?;
    if !(1..=12).contains(&month) {
        return Err("Your card's expiration month is invalid.");
    }
    let year: i64 = match year.len() {
        2 => {
            2000 + year
                .parse::<i64>()
                .map_err(|_| "Your card's expiration year is invalid.")?
        }
        4 => year
            .parse::<i64>()
            .map_err(|_| "Your card's expiration year is invalid.")?,
        1 => return Err("Your card's expiration date is incomplete."),
        _ => return Err("Your card's expiration year is invalid."),
    };
    Ok((year, month))
}

/// The Luhn check digit test (ISO/IEC 7812-1).
fn luhn(number: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in number.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

/// (year, month) of a Unix time, UTC (civil-from-days, proleptic Gregorian).
pub(crate) fn year_month(unix: i64) -> (i64, u32) {
    let days = unix.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, u32::try_from(month).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: (i64, u32) = (2026, 6);

    fn card(number: &str) -> Result<Card, Vec<(CardField, &'static str)>> {
        check(
            &CardInput {
                number,
                expiry: "12 / 34",
                cvc: "123",
            },
            TODAY,
        )
    }

    #[test]
    fn every_test_card_passes_luhn() {
        for (number, _) in TEST_CARDS {
            assert!(luhn(number), "{number}");
        }
    }

    #[test]
    fn documented_outcomes() {
        assert_eq!(
            card("4242 4242 4242 4242").unwrap().outcome(),
            Outcome::Succeeds
        );
        assert_eq!(
            card("4000000000000002").unwrap().outcome(),
            Outcome::Declined(GENERIC_DECLINE)
        );
        assert_eq!(
            card("4000000000009995").unwrap().outcome(),
            Outcome::Declined(INSUFFICIENT_FUNDS)
        );
        let Outcome::Declined(expired) = card("4000000000000069").unwrap().outcome() else {
            panic!()
        };
        assert_eq!(expired.message, "Your card has expired.");
        let Outcome::Declined(cvc) = card("4000000000000127").unwrap().outcome() else {
            panic!()
        };
        assert_eq!(cvc.message, "Your card's security code is incorrect.");
        assert_eq!(
            card("4000002500003155").unwrap().outcome(),
            Outcome::Authenticate { after: None }
        );
        // A Luhn-valid number that is not a test card: test mode refuses live cards.
        assert_eq!(
            card("4111111111111111").unwrap().outcome(),
            Outcome::Declined(LIVE_CARD_IN_TEST_MODE)
        );
        assert_eq!(card("4242424242424242").unwrap().last4(), "4242");
    }

    #[test]
    fn malformed_cards_are_refused_beside_their_field() {
        let problems = card("4242424242424241").unwrap_err();
        assert_eq!(
            problems,
            vec![(CardField::Number, "Your card number is invalid.")]
        );
        let problems = card("4242").unwrap_err();
        assert_eq!(
            problems,
            vec![(CardField::Number, "Your card number is incomplete.")]
        );
        assert!(card("4242x42424242424").is_err());
        assert!(card(&"4".repeat(5000)).is_err());
        let past = check(
            &CardInput {
                number: "4242424242424242",
                expiry: "01/26",
                cvc: "12",
            },
            TODAY,
        )
        .unwrap_err();
        assert_eq!(
            past,
            vec![
                (
                    CardField::Expiry,
                    "Your card's expiration date is in the past."
                ),
                (CardField::Cvc, "Your card's security code is incomplete."),
            ]
        );
        for (expiry, ok) in [
            ("12/34", true),
            ("1234", true),
            ("12/2034", true),
            ("06/26", true),
            ("13/30", false),
            ("00/30", false),
            ("12/25", false),
            ("", false),
            ("ab/cd", false),
            ("1/2", false),
            ("12/123456789012345678901", false),
        ] {
            let r = check(
                &CardInput {
                    number: "4242424242424242",
                    expiry,
                    cvc: "123",
                },
                TODAY,
            );
            assert_eq!(r.is_ok(), ok, "{expiry}");
        }
        let amex = |cvc| {
            check(
                &CardInput {
                    number: "378282246310005",
                    expiry: "12/34",
                    cvc,
                },
                TODAY,
            )
        };
        assert!(amex("1234").is_ok());
        assert!(amex("12345").is_err());
    }

    #[test]
    fn year_month_of_unix_times() {
        assert_eq!(year_month(0), (1970, 1));
        assert_eq!(year_month(951_782_400), (2000, 2)); // 2000-02-29
        assert_eq!(year_month(1_767_225_600), (2026, 1)); // 2026-01-01
        assert_eq!(year_month(-1), (1969, 12));
    }
}
