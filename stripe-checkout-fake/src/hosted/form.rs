//! The payment page's posted form, read into a [`Submission`]: every field optional and
//! bounded, anything else ignored. Bodies that are not UTF-8 form encoding, fields given
//! twice as a value and as a hash, or values longer than [`MAX_VALUE`] are refused with a
//! message ([`FormRefused`]), never a panic.

use crate::form::{self, Node};

/// The longest value a field may have (far above any address line or custom field).
pub(crate) const MAX_VALUE: usize = 5000;

/// The page's fields as posted.
#[derive(Debug, Clone, Default)]
pub(crate) struct Submission {
    pub email: String,
    pub phone: String,
    /// `card` or `us_bank_account`.
    pub payment_method: String,
    pub card_number: String,
    pub card_expiry: String,
    pub card_cvc: String,
    pub cardholder_name: String,
    pub billing: Address,
    pub shipping_name: String,
    pub shipping: Address,
    /// The chosen shipping rate's id.
    pub shipping_rate: String,
    /// `quantity[i]` as typed.
    pub quantities: Vec<(usize, String)>,
    pub promotion_code: String,
    /// `custom_fields[key]` as typed or chosen.
    pub custom_fields: Vec<(String, String)>,
    /// The terms of service checkbox.
    pub terms_of_service: bool,
    /// The 3D Secure step's button: `complete` or `fail`.
    pub authentication: String,
}

/// An address as the page's fields hold it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Address {
    pub country: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
}

/// Why a posted form was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FormRefused(pub String);

impl Submission {
    /// Reads a form body (UTF-8 checked by the caller with `request::form_text`).
    pub fn parse(text: &str) -> Result<Submission, FormRefused> {
        let pairs = form::parse(text).map_err(|e| FormRefused(e.message))?;
        let mut s = Submission::default();
        for (name, node) in &pairs {
            match name.as_str() {
                "quantity" => {
                    for (index, value) in children(name, node)? {
                        let Ok(i) = index.parse::<usize>() else {
                            return Err(FormRefused(format!(
                                "The form field quantity[{}] is not a line item.",
                                shorten(&index)
                            )));
                        };
                        s.quantities.push((i, value));
                    }
                }
                "custom_fields" => s.custom_fields = children(name, node)?,
                "billing" => s.billing = address(name, node)?,
                "shipping" => s.shipping = address(name, node)?,
                _ => {
                    let Some(slot) = s.text_field(name) else {
                        continue; // a field the page does not have: ignored, as browsers add none
                    };
                    *slot = leaf(name, node)?;
                }
            }
        }
        Ok(s)
    }

    fn text_field(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "email" => &mut self.email,
            "phone" => &mut self.phone,
            "payment_method" => &mut self.payment_method,
            "card_number" => &mut self.card_number,
            "card_expiry" => &mut self.card_expiry,
            "card_cvc" => &mut self.card_cvc,
            "cardholder_name" => &mut self.cardholder_name,
            "shipping_name" => &mut self.shipping_name,
            "shipping_rate" => &mut self.shipping_rate,
            "promotion_code" => &mut self.promotion_code,
            "authentication" => &mut self.authentication,
            "terms_of_service" => {
                self.terms_of_service = true;
                return None;
            }
            _ => return None,
        })
    }
}

fn shorten(s: &str) -> String {
    s.chars().take(40).collect()
}

fn leaf(name: &str, node: &Node) -> Result<String, FormRefused> {
    match node {
        Node::Leaf(v) if v.len() > MAX_VALUE => Err(FormRefused(format!(
            "The form field {name} is too long (at most {MAX_VALUE} bytes)."
        ))),
        Node::Leaf(v) => Ok(v.clone()),
        Node::Tree(_) => Err(FormRefused(format!(
            "The form field {name} must be a single value."
        ))),
    }
}

fn children(name: &str, node: &Node) -> Result<Vec<(String, String)>, FormRefused> {
    match node {
        Node::Tree(items) => items
            .iter()
            .map(|(key, child)| Ok((key.clone(), leaf(&format!("{name}[{key}]"), child)?)))
            .collect(),
        Node::Leaf(_) => Err(FormRefused(format!(
            "The form field {name} must be a hash ({name}[…])."
        ))),
    }
}

fn address(name: &str, node: &Node) -> Result<Address, FormRefused> {
    let mut a = Address::default();
    for (key, value) in children(name, node)? {
        let slot = match key.as_str() {
            "country" => &mut a.country,
            "line1" => &mut a.line1,
            "line2" => &mut a.line2,
            "city" => &mut a.city,
            "state" => &mut a.state,
            "postal_code" => &mut a.postal_code,
            _ => continue,
        };
        *slot = value;
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_page_fields() {
        let s = Submission::parse(
            "email=jenny%40example.com&card_number=4242+4242&quantity[0]=3&custom_fields[order_ref]=A1&billing[country]=US&shipping[city]=Berlin&terms_of_service=on&whatever=1",
        )
        .unwrap();
        assert_eq!(s.email, "jenny@example.com");
        assert_eq!(s.card_number, "4242 4242");
        assert_eq!(s.quantities, vec![(0, "3".to_owned())]);
        assert_eq!(
            s.custom_fields,
            vec![("order_ref".to_owned(), "A1".to_owned())]
        );
        assert_eq!(s.billing.country, "US");
        assert_eq!(s.shipping.city, "Berlin");
        assert!(s.terms_of_service);
    }

    #[test]
    fn hostile_forms_are_refused_with_a_message() {
        assert!(Submission::parse("").is_ok());
        assert!(Submission::parse("email[x]=1").is_err());
        assert!(Submission::parse("quantity=1").is_err());
        assert!(Submission::parse("quantity[x]=1").is_err());
        assert!(Submission::parse("a[b=1").is_err());
        let huge = format!("email={}", "a".repeat(MAX_VALUE + 1));
        let e = Submission::parse(&huge).unwrap_err();
        assert!(e.0.contains("too long"), "{e:?}");
        let many = "x=1&".repeat(5000);
        assert!(Submission::parse(&many).is_err());
    }
}
