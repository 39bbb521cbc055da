//! The page's fields checked as Checkout checks them before paying, each problem beside its
//! field (by element id), and turned into the [`Completion`] and [`Adjustment`] they mean.
//!
//! Sources: <https://docs.stripe.com/payments/checkout/custom-fields>,
//! <https://docs.stripe.com/payments/collect-addresses>,
//! <https://docs.stripe.com/payments/checkout/phone-numbers>,
//! <https://docs.stripe.com/payments/checkout/customization/policies>.

use serde_json::{Map, Value};

use crate::hosted::form::{Address, Submission};
use crate::hosted::page::field_id;
use crate::lifecycle::adjust::Adjustment;
use crate::lifecycle::collected::{is_phone, Asks};
use crate::lifecycle::{Completion, PostalAddress};

/// Problems beside fields: (element id, message).
pub(crate) type FieldErrors = Vec<(String, String)>;

const INCOMPLETE: &str = "This field is incomplete.";

/// The basket changes the form asks for: quantities typed, the shipping rate chosen (the
/// promotion code only when `with_code`, i.e. Apply was pressed).
pub(crate) fn adjustment(s: &Submission, with_code: bool) -> Result<Adjustment, FieldErrors> {
    let mut change = Adjustment::default();
    let mut errors = Vec::new();
    for (i, typed) in &s.quantities {
        match typed.trim().parse::<i64>() {
            Ok(q) => change.quantities.push((*i, q)),
            Err(_) => errors.push((format!("quantity-{i}"), "Enter a whole number.".to_owned())),
        }
    }
    if !s.shipping_rate.is_empty() {
        change.shipping_rate = Some(s.shipping_rate.clone());
    }
    if with_code {
        let code = s.promotion_code.trim();
        if code.is_empty() {
            errors.push((
                "promotion_code".to_owned(),
                "Enter a promotion code.".to_owned(),
            ));
        } else {
            change.promotion_code = Some(code.to_owned());
        }
    }
    if errors.is_empty() {
        Ok(change)
    } else {
        Err(errors)
    }
}

/// The completion the form describes (without the card, checked by `cards.rs`), or each
/// field's problem.
pub(crate) fn completion(
    s: &Submission,
    o: &Map<String, Value>,
) -> Result<Completion, FieldErrors> {
    let asks = Asks::of(o);
    let mut errors: FieldErrors = Vec::new();
    let mut need = |id: &str, value: &str| {
        if value.trim().is_empty() {
            errors.push((id.to_owned(), INCOMPLETE.to_owned()));
        }
    };
    need("email", &s.email);
    let bank = s.payment_method == "us_bank_account";
    if !bank {
        need("cardholder_name", &s.cardholder_name);
    }
    need("billing-country", &s.billing.country);
    if asks.billing_address {
        address_needs("billing", &s.billing, &mut need);
    }
    if asks.phone {
        need("phone", &s.phone);
    }
    if asks.shipping_countries.is_some() {
        need("shipping_name", &s.shipping_name);
        need("shipping-country", &s.shipping.country);
        address_needs("shipping", &s.shipping, &mut need);
    }
    let email = s.email.trim();
    if !email.is_empty() && !is_email(email) {
        errors.push((
            "email".to_owned(),
            "Your email address is invalid.".to_owned(),
        ));
    }
    let phone = s.phone.trim();
    if asks.phone && !phone.is_empty() && !is_phone(phone) {
        errors.push((
            "phone".to_owned(),
            "Your phone number is invalid.".to_owned(),
        ));
    }
    if let Some(allowed) = &asks.shipping_countries {
        let country = s.shipping.country.trim();
        if !country.is_empty() && !allowed.iter().any(|c| c == country) {
            errors.push((
                "shipping-country".to_owned(),
                "We do not ship to this country or region.".to_owned(),
            ));
        }
    }
    let country = s.billing.country.trim();
    if !country.is_empty()
        && (country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()))
    {
        errors.push((
            "billing-country".to_owned(),
            "Select a country or region.".to_owned(),
        ));
    }
    for field in &asks.custom_fields {
        let typed = s
            .custom_fields
            .iter()
            .find(|(k, _)| k == &field.key)
            .map(|(_, v)| v.trim())
            .unwrap_or_default();
        if let Some(problem) = field.problem(typed) {
            errors.push((format!("custom-{}", field_id(&field.key)), problem));
        }
    }
    if asks.terms_of_service && !s.terms_of_service {
        errors.push((
            "terms_of_service".to_owned(),
            "You must agree to the Terms of Service to continue.".to_owned(),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut how = if bank {
        Completion::delayed()
    } else {
        Completion::paid()
    };
    how = how.email(email);
    how.name = Some(if bank {
        s.shipping_name.trim().to_owned()
    } else {
        s.cardholder_name.trim().to_owned()
    })
    .filter(|n| !n.is_empty());
    let mut billing = postal(&s.billing);
    if !asks.billing_address {
        billing = PostalAddress {
            country: billing.country,
            ..PostalAddress::default()
        };
    }
    how = how.address(billing);
    if asks.phone {
        how = how.phone(phone);
    }
    if asks.shipping_countries.is_some() {
        how = how.shipping(s.shipping_name.trim(), postal(&s.shipping));
    }
    for field in &asks.custom_fields {
        if let Some((_, value)) = s.custom_fields.iter().find(|(k, _)| k == &field.key) {
            if !value.trim().is_empty() {
                how = how.custom_field(field.key.clone(), value.trim());
            }
        }
    }
    if s.terms_of_service {
        how = how.accept_terms_of_service();
    }
    Ok(how)
}

fn address_needs(prefix: &str, a: &Address, need: &mut impl FnMut(&str, &str)) {
    need(&format!("{prefix}-line1"), &a.line1);
    need(&format!("{prefix}-city"), &a.city);
    need(&format!("{prefix}-postal_code"), &a.postal_code);
}

fn postal(a: &Address) -> PostalAddress {
    let part = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_owned())
    };
    PostalAddress {
        country: part(&a.country),
        state: part(&a.state),
        city: part(&a.city),
        line1: part(&a.line1),
        line2: part(&a.line2),
        postal_code: part(&a.postal_code),
    }
}

/// `local@domain.tld`, without spaces.
fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn session(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn missing_fields_are_reported_beside_each() {
        let o = session(json!({
            "phone_number_collection": {"enabled": true},
            "consent_collection": {"terms_of_service": "required"},
            "custom_fields": [{"key": "ref", "label": {"custom": "Ref", "type": "custom"}, "optional": false, "type": "text", "text": {}}],
        }));
        let errors = completion(&Submission::default(), &o).unwrap_err();
        let ids: Vec<&str> = errors.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "email",
                "cardholder_name",
                "billing-country",
                "phone",
                "custom-ref",
                "terms_of_service"
            ]
        );
    }

    #[test]
    fn a_complete_form_is_a_completion() {
        let o = session(json!({"shipping_address_collection": {"allowed_countries": ["DE"]}}));
        let mut s = Submission {
            email: "jenny@example.com".into(),
            cardholder_name: "Jenny Rosen".into(),
            shipping_name: "Jenny Rosen".into(),
            ..Submission::default()
        };
        s.billing.country = "DE".into();
        s.shipping = Address {
            country: "FR".into(),
            line1: "1 Rue".into(),
            city: "Paris".into(),
            postal_code: "75001".into(),
            ..Address::default()
        };
        let errors = completion(&s, &o).unwrap_err();
        assert_eq!(errors[0].0, "shipping-country");
        s.shipping.country = "DE".into();
        let how = completion(&s, &o).unwrap();
        assert_eq!(how.email, "jenny@example.com");
        assert_eq!(how.shipping.unwrap().address.city.as_deref(), Some("Paris"));
        assert!(!is_email("a b@c.d") && is_email("a@b.co") && !is_email("a@b"));
    }
}
