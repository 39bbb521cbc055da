//! Money as Stripe Checkout computes it: currencies, charge limits, display
//! formatting, line-item subtotals, coupon discounts, tax rates, shipping and
//! session totals.
//!
//! Pure functions on plain structs: no I/O, no JSON, no global state. All
//! amounts are integers in the currency's minor unit (`i64`); every sum and
//! product is checked and overflow is reported as [`MoneyError::Overflow`]
//! instead of panicking.
//!
//! Sources (Stripe documentation):
//! - Currencies, decimals, special cases, minimum/maximum charge amounts:
//!   <https://docs.stripe.com/currencies>
//!   (section anchors `#presentment-currencies`, `#zero-decimal`,
//!   `#three-decimal`, `#special-cases`, `#minimum-and-maximum-charge-amounts`)
//! - Coupons (`percent_off`, `amount_off` + `currency`, `applies_to.products`):
//!   <https://docs.stripe.com/api/coupons>,
//!   <https://docs.stripe.com/payments/checkout/discounts>,
//!   <https://docs.stripe.com/billing/subscriptions/coupons>
//! - Tax rates (`percentage` up to 4 decimal places, `inclusive`, `country`,
//!   `state`): <https://docs.stripe.com/api/tax_rates>,
//!   <https://docs.stripe.com/billing/taxes/tax-rates>
//! - Dynamic tax rates in Checkout:
//!   <https://docs.stripe.com/payments/checkout/taxes>
//! - Shipping rates: <https://docs.stripe.com/payments/during-payment/charge-shipping>
//! - Checkout Session amounts (`amount_subtotal`, `amount_total`,
//!   `total_details.{amount_discount,amount_shipping,amount_tax,breakdown}`):
//!   <https://docs.stripe.com/api/checkout/sessions/object>
//!
//! Where the documentation is silent (rounding mode, how an `amount_off`
//! coupon is split between lines, …) the choice made is stated next to the
//! code, marked "Choice:".

use std::fmt;

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Why a money computation or check failed.
#[derive(Debug, Clone, PartialEq)]
pub enum MoneyError {
    /// The currency code is not one Stripe supports.
    UnknownCurrency(String),
    /// `amount` is below the minimum charge amount for the currency.
    BelowMinimum {
        currency: String,
        amount: i64,
        minimum: i64,
    },
    /// `amount` has more digits than Stripe accepts for the currency.
    AboveMaximum {
        currency: String,
        amount: i64,
        maximum: i64,
    },
    /// The currency only accepts amounts that are multiples of `step`
    /// (three-decimal currencies: 10; ISK: 100).
    NotMultipleOf {
        currency: String,
        amount: i64,
        step: i64,
    },
    /// A field that must not be negative was negative.
    Negative { field: &'static str, value: i64 },
    /// A percentage was NaN, infinite or out of its allowed range.
    InvalidPercentage { field: &'static str, value: f64 },
    /// A coupon must have exactly one of `percent_off` / `amount_off`.
    InvalidCoupon {
        coupon_id: String,
        reason: &'static str,
    },
    /// An amount is in another currency than the session.
    CurrencyMismatch {
        field: &'static str,
        expected: String,
        found: String,
    },
    /// Checked integer arithmetic overflowed.
    Overflow,
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MoneyError::UnknownCurrency(c) => write!(f, "unsupported currency `{c}`"),
            MoneyError::BelowMinimum {
                currency,
                amount,
                minimum,
            } => write!(
                f,
                "amount {amount} is below the minimum charge amount {minimum} for {currency}"
            ),
            MoneyError::AboveMaximum {
                currency,
                amount,
                maximum,
            } => write!(
                f,
                "amount {amount} is above the maximum charge amount {maximum} for {currency}"
            ),
            MoneyError::NotMultipleOf {
                currency,
                amount,
                step,
            } => write!(
                f,
                "amount {amount} in {currency} must be a multiple of {step}"
            ),
            MoneyError::Negative { field, value } => {
                write!(f, "{field} must not be negative (got {value})")
            }
            MoneyError::InvalidPercentage { field, value } => {
                write!(f, "{field} is not a valid percentage (got {value})")
            }
            MoneyError::InvalidCoupon { coupon_id, reason } => {
                write!(f, "coupon `{coupon_id}` is invalid: {reason}")
            }
            MoneyError::CurrencyMismatch {
                field,
                expected,
                found,
            } => write!(f, "{field} currency `{found}` does not match `{expected}`"),
            MoneyError::Overflow => write!(f, "amount arithmetic overflowed"),
        }
    }
}

impl std::error::Error for MoneyError {}

// ---------------------------------------------------------------------------
// 1. Currencies
// ---------------------------------------------------------------------------

/// A currency Stripe accepts for charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    /// Lowercase ISO 4217 code, as Stripe's API wants it.
    pub code: &'static str,
    /// Number of decimals of the API minor unit (0, 2 or 3).
    pub decimals: u32,
    /// `false` for currencies marked `*` in the presentment list
    /// ("not supported by American Express").
    pub amex: bool,
    /// API amounts must be a multiple of this (1 for most currencies).
    pub amount_step: i64,
}

/// Stripe's supported presentment currencies for card payments, as listed at
/// <https://docs.stripe.com/currencies#presentment-currencies>, plus the
/// three-decimal currencies of <https://docs.stripe.com/currencies#three-decimal>.
/// `xcg` (Caribbean guilder, successor of `ang`) is listed by Stripe-backed
/// integrations since 2025 and is kept alongside `ang`.
const PRESENTMENT_CURRENCIES: &[&str] = &[
    "usd", "aed", "afn", "all", "amd", "ang", "aoa", "ars", "aud", "awg", "azn", "bam", "bbd",
    "bdt", "bgn", "bhd", "bif", "bmd", "bnd", "bob", "brl", "bsd", "bwp", "byn", "bzd", "cad",
    "cdf", "chf", "clp", "cny", "cop", "crc", "cve", "czk", "djf", "dkk", "dop", "dzd", "egp",
    "etb", "eur", "fjd", "fkp", "gbp", "gel", "gip", "gmd", "gnf", "gtq", "gyd", "hkd", "hnl",
    "htg", "huf", "idr", "ils", "inr", "isk", "jmd", "jod", "jpy", "kes", "kgs", "khr", "kmf",
    "krw", "kwd", "kyd", "kzt", "lak", "lbp", "lkr", "lrd", "lsl", "mad", "mdl", "mga", "mkd",
    "mmk", "mnt", "mop", "mur", "mvr", "mwk", "mxn", "myr", "mzn", "nad", "ngn", "nio", "nok",
    "npr", "nzd", "omr", "pab", "pen", "pgk", "php", "pkr", "pln", "pyg", "qar", "ron", "rsd",
    "rub", "rwf", "sar", "sbd", "scr", "sek", "sgd", "shp", "sle", "sos", "srd", "std", "szl",
    "thb", "tjs", "tnd", "top", "try", "ttd", "twd", "tzs", "uah", "ugx", "usd", "uyu", "uzs",
    "vnd", "vuv", "wst", "xaf", "xcd", "xcg", "xof", "xpf", "yer", "zar", "zmw",
];

/// <https://docs.stripe.com/currencies#zero-decimal>: "For zero-decimal
/// currencies, still provide amounts as an integer but without multiplying by
/// 100. For example, to charge ¥500, provide an amount value of 500."
const ZERO_DECIMAL: &[&str] = &[
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
    "xaf", "xof", "xpf",
];

/// <https://docs.stripe.com/currencies#three-decimal>: "these API calls require
/// the least-significant (last) digit to be 0. Your integration must round
/// amounts to the nearest ten. For example, 5.124 KWD must be rounded to 5120
/// or 5130."
const THREE_DECIMAL: &[&str] = &["bhd", "jod", "kwd", "omr", "tnd"];

/// Currencies marked `*` ("not supported by American Express") at
/// <https://docs.stripe.com/currencies#presentment-currencies>.
const NO_AMEX: &[&str] = &[
    "afn", "aoa", "ars", "bob", "clp", "cop", "crc", "cve", "djf", "fkp", "gnf", "gtq", "hnl",
    "lak", "mur", "nio", "pab", "pen", "pyg", "shp", "srd", "std", "uyu", "xof", "xpf",
];

/// Look up a Stripe-supported currency. Stripe wants lowercase codes
/// ("You must use all lowercase letters when passing the three-letter ISO
/// code", <https://docs.stripe.com/currencies>); like the live API this
/// accepts any case and returns the lowercase code.
pub fn currency(code: &str) -> Option<Currency> {
    if code.len() != 3 {
        return None;
    }
    let lower = code.to_ascii_lowercase();
    let code: &'static str = PRESENTMENT_CURRENCIES
        .iter()
        .copied()
        .find(|c| *c == lower)?;
    let decimals = if ZERO_DECIMAL.contains(&code) {
        0
    } else if THREE_DECIMAL.contains(&code) {
        3
    } else {
        2
    };
    let amount_step = if THREE_DECIMAL.contains(&code) {
        // https://docs.stripe.com/currencies#three-decimal (last digit 0).
        10
    } else if code == "isk" {
        // https://docs.stripe.com/currencies#special-cases: ISK is effectively
        // zero-decimal but amounts keep two decimals and "must be evenly
        // divisible by 100".
        100
    } else {
        // UGX has the same "divisible by 100" special case in the doc, but is
        // also in the zero-decimal list; this module follows the zero-decimal
        // list (minor unit = 1 UGX) and imposes no step.
        1
    };
    Some(Currency {
        code,
        decimals,
        amex: !NO_AMEX.contains(&code),
        amount_step,
    })
}

/// Every supported currency, in the order of Stripe's list.
pub fn currencies() -> impl Iterator<Item = Currency> {
    PRESENTMENT_CURRENCIES
        .iter()
        .enumerate()
        // `usd` appears first (as on Stripe's page) and again alphabetically.
        .filter(|(i, c)| !(*i > 0 && **c == "usd"))
        .filter_map(|(_, c)| currency(c))
}

/// Minimum charge amounts per settlement currency, from the table at
/// <https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts>
/// (USD $0.50, AED 2.00, AUD $0.50, BGN 1.00, BRL R$0.50, CAD $0.50,
/// CHF 0.50, CZK 15.00, DKK 2.50, EUR €0.50, GBP £0.30, HKD $4.00,
/// HUF 175.00, INR ₹0.50, JPY ¥50, MXN $10, MYR RM 2, NOK 3.00, NZD $0.50,
/// PLN 2.00, RON 2.00, SEK 3.00, SGD $0.50, THB ฿10), in minor units.
const MINIMUM_CHARGE: &[(&str, i64)] = &[
    ("usd", 50),
    ("aed", 200),
    ("aud", 50),
    ("bgn", 100),
    ("brl", 50),
    ("cad", 50),
    ("chf", 50),
    ("czk", 1500),
    ("dkk", 250),
    ("eur", 50),
    ("gbp", 30),
    ("hkd", 400),
    ("huf", 17500),
    ("inr", 50),
    ("jpy", 50),
    ("mxn", 1000),
    ("myr", 200),
    ("nok", 300),
    ("nzd", 50),
    ("pln", 200),
    ("ron", 200),
    ("sek", 300),
    ("sgd", 50),
    ("thb", 1000),
];

/// The minimum charge amount of a currency and whether it comes from Stripe's
/// table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MinimumCharge {
    /// Minimum, in the currency's minor unit.
    pub amount: i64,
    /// `true` when the currency is in Stripe's minimum-charge table.
    pub documented: bool,
}

/// Minimum charge amount for a currency.
///
/// Stripe: "The minimum amount you can charge depends on which bank account
/// settlement currency the payment would be paid out to … Charges that must be
/// converted … must meet the equivalent minimum of the settlement currency"
/// (<https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts>),
/// and the API reference for `amount`: "The minimum amount is $0.50 US or
/// equivalent in charge currency".
///
/// Choice: the fake has no exchange rates, so a currency outside the table
/// gets a fallback of 0.50 of its major unit, rounded up to a whole minor unit
/// (50 for two-decimal, 1 for zero-decimal, 500 for three-decimal currencies),
/// reported with `documented: false`.
pub fn minimum_charge(c: &Currency) -> MinimumCharge {
    if let Some((_, amount)) = MINIMUM_CHARGE.iter().find(|(code, _)| *code == c.code) {
        return MinimumCharge {
            amount: *amount,
            documented: true,
        };
    }
    // ceil(0.5 * 10^decimals)
    let amount = match c.decimals {
        0 => 1,
        d => 5 * 10_i64.pow(d - 1),
    };
    MinimumCharge {
        amount,
        documented: false,
    }
}

/// Maximum charge amount, in minor units.
///
/// <https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts>:
/// "The amount value supports up to twelve digits for IDR (for example, a
/// value of 999999999999 for a charge of 9,999,999,999.99 IDR), and up to
/// eight digits for all other currencies (for example, a value of 99999999
/// for a charge of 999,999.99 USD)."
pub fn maximum_charge(c: &Currency) -> i64 {
    if c.code == "idr" {
        999_999_999_999
    } else {
        99_999_999
    }
}

/// Check that `amount` (minor units) can be charged in `currency`: at least
/// the minimum charge amount, at most the maximum (digit limit), and a
/// multiple of the currency's step (three-decimal currencies, ISK).
///
/// Note: Checkout lets a session whose total is 0 complete without a payment;
/// callers should skip this check for a zero total.
pub fn check_amount(currency_code: &str, amount: i64) -> Result<(), MoneyError> {
    let c = currency(currency_code)
        .ok_or_else(|| MoneyError::UnknownCurrency(currency_code.to_string()))?;
    let min = minimum_charge(&c).amount;
    if amount < min {
        return Err(MoneyError::BelowMinimum {
            currency: c.code.to_string(),
            amount,
            minimum: min,
        });
    }
    let max = maximum_charge(&c);
    if amount > max {
        return Err(MoneyError::AboveMaximum {
            currency: c.code.to_string(),
            amount,
            maximum: max,
        });
    }
    if amount % c.amount_step != 0 {
        return Err(MoneyError::NotMultipleOf {
            currency: c.code.to_string(),
            amount,
            step: c.amount_step,
        });
    }
    Ok(())
}

/// Display symbols (en-US style, as Stripe's hosted pages show them for an
/// English locale). Choice: only common currencies get a symbol; others are
/// shown as amount followed by the uppercase code.
fn symbol(code: &str) -> Option<&'static str> {
    Some(match code {
        "usd" => "$",
        "eur" => "€",
        "gbp" => "£",
        "jpy" => "¥",
        "cad" => "CA$",
        "aud" => "A$",
        "nzd" => "NZ$",
        "hkd" => "HK$",
        "mxn" => "MX$",
        "twd" => "NT$",
        "cny" => "CN¥",
        "inr" => "₹",
        "krw" => "₩",
        "brl" => "R$",
        "ils" => "₪",
        "vnd" => "₫",
        "php" => "₱",
        "xcd" => "EC$",
        _ => return None,
    })
}

/// Format an amount for display: `$31.00`, `€5.00`, `¥500`, `$1,234.56`,
/// `-$5.00`, and `31.000 KWD` for currencies without a symbol. Unknown
/// currencies are shown with two decimals and their uppercase code.
pub fn format_amount(currency_code: &str, amount: i64) -> String {
    let (decimals, code_lower) = match currency(currency_code) {
        Some(c) => (c.decimals, c.code.to_string()),
        None => (2, currency_code.to_ascii_lowercase()),
    };
    let negative = amount < 0;
    let abs = amount.unsigned_abs();
    let scale = 10_u64.pow(decimals);
    let major = abs / scale;
    let minor = abs % scale;

    // Group the major part by thousands.
    let digits = major.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let number = if decimals == 0 {
        grouped
    } else {
        format!("{grouped}.{minor:0width$}", width = decimals as usize)
    };
    let sign = if negative { "-" } else { "" };
    match symbol(&code_lower) {
        Some(sym) => format!("{sign}{sym}{number}"),
        None => format!("{sign}{number} {}", code_lower.to_ascii_uppercase()),
    }
}

// ---------------------------------------------------------------------------
// Arithmetic helpers
// ---------------------------------------------------------------------------

/// Percentages are quantised to 4 decimal places (Stripe: tax rate
/// `percentage` "is a number (up to 4 decimal places)",
/// <https://docs.stripe.com/billing/taxes/tax-rates>) and handled as integers
/// in units of 1e-4 percent, so the fraction `pct / 100 = p_e4 / 1_000_000`
/// exactly.
const PCT_SCALE: i128 = 1_000_000;

fn percent_e4(field: &'static str, value: f64, allow_zero: bool) -> Result<i128, MoneyError> {
    let ok = value.is_finite() && value <= 100.0 && (value > 0.0 || (allow_zero && value == 0.0));
    if !ok {
        return Err(MoneyError::InvalidPercentage { field, value });
    }
    // In range [0, 1_000_000]; the cast cannot truncate.
    Ok((value * 10_000.0).round() as i128)
}

/// `num / den` rounded half away from zero; `den` must be > 0.
///
/// Choice: Stripe's documentation does not state a rounding mode for discount
/// or tax amounts; this module rounds half away from zero (half-up for the
/// non-negative amounts that occur here), the usual commercial rounding.
fn div_round(num: i128, den: i128) -> i128 {
    debug_assert!(den > 0);
    if num >= 0 {
        (2 * num + den) / (2 * den)
    } else {
        -((-2 * num + den) / (2 * den))
    }
}

fn to_i64(v: i128) -> Result<i64, MoneyError> {
    i64::try_from(v).map_err(|_| MoneyError::Overflow)
}

fn add(a: i64, b: i64) -> Result<i64, MoneyError> {
    a.checked_add(b).ok_or(MoneyError::Overflow)
}

fn sub(a: i64, b: i64) -> Result<i64, MoneyError> {
    a.checked_sub(b).ok_or(MoneyError::Overflow)
}

/// Split `total` into parts proportional to `weights` (all ≥ 0) that sum to
/// exactly `total`: each part gets `floor(total × wᵢ / Σw)`, then the units
/// left over go one each to the parts with the largest fractional remainders
/// (largest remainder / Hamilton method); ties go to the earlier part.
///
/// Choice: Stripe does not document how it splits an amount across line
/// items; the largest remainder method is the standard way to keep each part
/// within one minor unit of its exact share while summing exactly.
pub fn allocate_proportionally(total: i64, weights: &[i64]) -> Result<Vec<i64>, MoneyError> {
    let mut sum: i128 = 0;
    for &w in weights {
        if w < 0 {
            return Err(MoneyError::Negative {
                field: "weight",
                value: w,
            });
        }
        sum += i128::from(w);
    }
    if sum == 0 {
        return Ok(vec![0; weights.len()]);
    }
    let total128 = i128::from(total);
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given: i128 = 0;
    for (i, &w) in weights.iter().enumerate() {
        let exact = total128 * i128::from(w);
        let base = exact.div_euclid(sum);
        given += base;
        parts.push(base);
        remainders.push((exact.rem_euclid(sum), i));
    }
    let mut left = total128 - given;
    // Largest remainder first; ties: lower index first.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (rem, i) in remainders {
        if left <= 0 {
            break;
        }
        if rem == 0 {
            continue;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts.into_iter().map(to_i64).collect()
}

// ---------------------------------------------------------------------------
// 2.–5. Inputs
// ---------------------------------------------------------------------------

/// A tax rate (<https://docs.stripe.com/api/tax_rates>).
#[derive(Debug, Clone, PartialEq)]
pub struct TaxRate {
    pub id: String,
    /// Percent out of 100, up to 4 decimal places.
    pub percentage: f64,
    /// `true`: the tax is included in the price; `false`: added on top.
    pub inclusive: bool,
    /// ISO 3166-1 alpha-2 country, used for dynamic tax rates.
    pub country: Option<String>,
    /// ISO 3166-2 subdivision code without country prefix (e.g. `CA`).
    pub state: Option<String>,
}

impl TaxRate {
    pub fn new(id: impl Into<String>, percentage: f64, inclusive: bool) -> Self {
        TaxRate {
            id: id.into(),
            percentage,
            inclusive,
            country: None,
            state: None,
        }
    }
}

/// A Checkout line item as far as money is concerned.
#[derive(Debug, Clone, PartialEq)]
pub struct LineItem {
    /// Product id, matched against a coupon's `applies_to.products`.
    pub product: Option<String>,
    /// Price `unit_amount`, minor units, ≥ 0.
    pub unit_amount: i64,
    /// ≥ 0.
    pub quantity: i64,
    /// The tax rates that apply to this line (fixed `tax_rates`, or the
    /// rate chosen from `dynamic_tax_rates` by [`match_dynamic_tax_rate`]).
    pub tax_rates: Vec<TaxRate>,
    /// `false` excludes the line from every coupon (Checkout
    /// `line_items[].price_data.product_data` / invoice item `discountable`,
    /// default `true`).
    pub discountable: bool,
}

impl LineItem {
    pub fn new(unit_amount: i64, quantity: i64) -> Self {
        LineItem {
            product: None,
            unit_amount,
            quantity,
            tax_rates: Vec::new(),
            discountable: true,
        }
    }
}

/// A coupon (<https://docs.stripe.com/api/coupons>): exactly one of
/// `percent_off` or `amount_off` (with `currency`).
#[derive(Debug, Clone, PartialEq)]
pub struct Coupon {
    pub id: String,
    /// "A positive float larger than 0, and smaller or equal to 100".
    pub percent_off: Option<f64>,
    /// "A positive integer representing the amount to subtract".
    pub amount_off: Option<i64>,
    /// Required with `amount_off`.
    pub currency: Option<String>,
    /// `applies_to.products`: when set, only lines whose product is listed
    /// are discounted.
    pub applies_to_products: Option<Vec<String>>,
}

/// A discount applied to the session: a coupon, possibly through a promotion
/// code. `id` is what the breakdown reports as `discount_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct Discount {
    pub id: String,
    pub coupon: Coupon,
    pub promotion_code: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxBehavior {
    Inclusive,
    Exclusive,
    Unspecified,
}

/// A `fixed_amount` shipping rate
/// (<https://docs.stripe.com/payments/during-payment/charge-shipping>).
#[derive(Debug, Clone, PartialEq)]
pub struct ShippingRate {
    pub id: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub tax_behavior: TaxBehavior,
}

// ---------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------

/// One tax amount (`line_items[].taxes[]`, `total_details.breakdown.taxes[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxAmount {
    pub amount: i64,
    pub rate_id: String,
    pub inclusive: bool,
    /// The amount the rate was applied to, excluding inclusive tax.
    pub taxable_amount: i64,
}

/// One discount amount (`line_items[].discounts[]`,
/// `total_details.breakdown.discounts[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscountAmount {
    pub amount: i64,
    pub discount_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineTotals {
    /// `unit_amount × quantity`.
    pub amount_subtotal: i64,
    pub amount_discount: i64,
    /// Inclusive + exclusive tax.
    pub amount_tax: i64,
    /// `amount_subtotal − amount_discount + exclusive tax`.
    pub amount_total: i64,
    pub taxes: Vec<TaxAmount>,
    pub discounts: Vec<DiscountAmount>,
}

/// `shipping_cost` of a Checkout Session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingCost {
    pub shipping_rate: Option<String>,
    pub amount_subtotal: i64,
    pub amount_tax: i64,
    pub amount_total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Breakdown {
    pub discounts: Vec<DiscountAmount>,
    pub taxes: Vec<TaxAmount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TotalDetails {
    pub amount_discount: i64,
    pub amount_shipping: i64,
    pub amount_tax: i64,
    pub breakdown: Breakdown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub lines: Vec<LineTotals>,
    /// Sum of line subtotals (before discounts, taxes and shipping).
    pub amount_subtotal: i64,
    /// `amount_subtotal − discount + exclusive tax + shipping`.
    pub amount_total: i64,
    pub shipping_cost: Option<ShippingCost>,
    pub total_details: TotalDetails,
}

// ---------------------------------------------------------------------------
// 4. Dynamic tax rates
// ---------------------------------------------------------------------------

/// Pick the tax rate for a customer address from a line's
/// `dynamic_tax_rates` (<https://docs.stripe.com/payments/checkout/taxes>,
/// "dynamic tax rates": Checkout matches the customer's shipping address, or
/// billing address when no shipping address is collected, against the
/// rates' `country` and `state`).
///
/// Rule: the first rate, in the order given, whose `country` equals
/// `country` (case-insensitive) and whose `state` is either unset (applies
/// country-wide) or equals `state`. `None` when nothing matches: the line is
/// then untaxed.
pub fn match_dynamic_tax_rate<'a>(
    rates: &'a [TaxRate],
    country: &str,
    state: Option<&str>,
) -> Option<&'a TaxRate> {
    rates.iter().find(|r| {
        let country_ok = r
            .country
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case(country));
        let state_ok = match (r.state.as_deref(), state) {
            (None, _) => true,
            (Some(rs), Some(s)) => rs.eq_ignore_ascii_case(s),
            (Some(_), None) => false,
        };
        country_ok && state_ok
    })
}

// ---------------------------------------------------------------------------
// 3. Discounts
// ---------------------------------------------------------------------------

enum CouponKind {
    /// Percent in units of 1e-4 percent.
    Percent(i128),
    Amount(i64),
}

fn validate_coupon(c: &Coupon, session_currency: &str) -> Result<CouponKind, MoneyError> {
    match (c.percent_off, c.amount_off) {
        (Some(p), None) => Ok(CouponKind::Percent(percent_e4("percent_off", p, false)?)),
        (None, Some(a)) => {
            if a <= 0 {
                return Err(MoneyError::InvalidCoupon {
                    coupon_id: c.id.clone(),
                    reason: "amount_off must be a positive integer",
                });
            }
            let cur = c
                .currency
                .as_deref()
                .ok_or_else(|| MoneyError::InvalidCoupon {
                    coupon_id: c.id.clone(),
                    reason: "amount_off requires currency",
                })?;
            if !cur.eq_ignore_ascii_case(session_currency) {
                return Err(MoneyError::CurrencyMismatch {
                    field: "coupon.amount_off",
                    expected: session_currency.to_ascii_lowercase(),
                    found: cur.to_ascii_lowercase(),
                });
            }
            Ok(CouponKind::Amount(a))
        }
        (Some(_), Some(_)) => Err(MoneyError::InvalidCoupon {
            coupon_id: c.id.clone(),
            reason: "percent_off and amount_off are mutually exclusive",
        }),
        (None, None) => Err(MoneyError::InvalidCoupon {
            coupon_id: c.id.clone(),
            reason: "one of percent_off or amount_off is required",
        }),
    }
}

fn coupon_applies(c: &Coupon, line: &LineItem) -> bool {
    if !line.discountable {
        return false;
    }
    match &c.applies_to_products {
        None => true,
        Some(products) => line
            .product
            .as_deref()
            .is_some_and(|p| products.iter().any(|q| q == p)),
    }
}

/// Per-line discount amounts for each discount, in order.
///
/// Rules:
/// - Discounts apply to line items before tax, and never to shipping
///   (<https://docs.stripe.com/payments/checkout/discounts>; coupons reduce
///   the subtotal, <https://docs.stripe.com/api/coupons>: `amount_off` is
///   "taken off the subtotal").
/// - Only lines the coupon applies to (`applies_to.products`,
///   `discountable`) are discounted.
/// - `percent_off`: each applicable line gets
///   `round(remaining × percent / 100)`, half away from zero (Choice, see
///   the rounding note on `div_round`).
/// - `amount_off`: `min(amount_off, Σ applicable remaining)` is split across
///   the applicable lines proportionally to their remaining amounts (= their
///   subtotals for the first discount) with [`allocate_proportionally`]
///   (Choice: Stripe documents no split rule; its invoices report per-line
///   `discount_amounts` that sum to the coupon amount).
/// - Several discounts apply one after the other, each on what is left of
///   the line (Checkout itself accepts only one discount per session).
/// - A line is never discounted below zero.
///
/// Returns `per_line[line][discount]`.
pub fn compute_discounts(
    currency_code: &str,
    lines: &[LineItem],
    discounts: &[Discount],
) -> Result<Vec<Vec<i64>>, MoneyError> {
    let mut remaining = Vec::with_capacity(lines.len());
    for line in lines {
        remaining.push(line_subtotal(line)?);
    }
    let mut per_line = vec![vec![0_i64; discounts.len()]; lines.len()];
    for (d_idx, d) in discounts.iter().enumerate() {
        let kind = validate_coupon(&d.coupon, currency_code)?;
        let applicable: Vec<usize> = (0..lines.len())
            .filter(|&i| coupon_applies(&d.coupon, &lines[i]))
            .collect();
        match kind {
            CouponKind::Percent(p) => {
                for &i in &applicable {
                    let base = remaining[i];
                    let amt = to_i64(div_round(i128::from(base) * p, PCT_SCALE))?;
                    let amt = amt.min(base);
                    per_line[i][d_idx] = amt;
                    remaining[i] = sub(base, amt)?;
                }
            }
            CouponKind::Amount(a) => {
                let weights: Vec<i64> = applicable.iter().map(|&i| remaining[i]).collect();
                let mut pool: i64 = 0;
                for &w in &weights {
                    pool = add(pool, w)?;
                }
                let total = a.min(pool);
                let parts = allocate_proportionally(total, &weights)?;
                for (k, &i) in applicable.iter().enumerate() {
                    per_line[i][d_idx] = parts[k];
                    remaining[i] = sub(remaining[i], parts[k])?;
                }
            }
        }
    }
    Ok(per_line)
}

// ---------------------------------------------------------------------------
// 2. Line subtotal, 4. taxes
// ---------------------------------------------------------------------------

/// `amount_subtotal = unit_amount × quantity` (checked).
pub fn line_subtotal(line: &LineItem) -> Result<i64, MoneyError> {
    if line.unit_amount < 0 {
        return Err(MoneyError::Negative {
            field: "unit_amount",
            value: line.unit_amount,
        });
    }
    if line.quantity < 0 {
        return Err(MoneyError::Negative {
            field: "quantity",
            value: line.quantity,
        });
    }
    line.unit_amount
        .checked_mul(line.quantity)
        .ok_or(MoneyError::Overflow)
}

/// Taxes of one line on its taxable amount (`subtotal − discount`).
///
/// Rules (<https://docs.stripe.com/billing/taxes/tax-rates>,
/// <https://docs.stripe.com/api/tax_rates>: `inclusive` "determines whether
/// the tax percentage is added to, or included in, the overall amount"):
/// - Inclusive rates: the tax is inside the amount. With `P` the sum of the
///   line's inclusive percentages, `net = round(taxable / (1 + P/100))` and
///   the inclusive tax is `taxable − net` (for one rate: `1200` at 20% →
///   `net 1000`, tax `200`). With several inclusive rates that total is split
///   between them proportionally to their percentages
///   ([`allocate_proportionally`]). Inclusive tax is not added to the total.
/// - Exclusive rates: each is `round(net × pct / 100)` on the same base
///   (no compounding: every rate sees the same taxable amount) and is added
///   on top.
/// - `taxable_amount` reported for every rate is `net`, the amount excluding
///   inclusive tax (as Stripe reports `taxable_amount` for inclusive rates).
/// - Rounding: half away from zero, per rate and per line (Choice).
///
/// Returns the tax entries in the order of `rates`.
pub fn compute_line_taxes(taxable: i64, rates: &[TaxRate]) -> Result<Vec<TaxAmount>, MoneyError> {
    if taxable < 0 {
        return Err(MoneyError::Negative {
            field: "taxable amount",
            value: taxable,
        });
    }
    let mut pcts = Vec::with_capacity(rates.len());
    for r in rates {
        pcts.push(percent_e4("tax_rate.percentage", r.percentage, true)?);
    }
    let inclusive_sum: i128 = rates
        .iter()
        .zip(&pcts)
        .filter(|(r, _)| r.inclusive)
        .map(|(_, p)| *p)
        .sum();
    let taxable128 = i128::from(taxable);
    let net = if inclusive_sum > 0 {
        to_i64(div_round(taxable128 * PCT_SCALE, PCT_SCALE + inclusive_sum))?
    } else {
        taxable
    };
    let inclusive_total = sub(taxable, net)?;
    let inclusive_weights: Vec<i64> = rates
        .iter()
        .zip(&pcts)
        .filter(|(r, _)| r.inclusive)
        .map(|(_, p)| to_i64(*p))
        .collect::<Result<_, _>>()?;
    let mut inclusive_parts =
        allocate_proportionally(inclusive_total, &inclusive_weights)?.into_iter();

    let mut out = Vec::with_capacity(rates.len());
    for (r, p) in rates.iter().zip(&pcts) {
        let amount = if r.inclusive {
            inclusive_parts.next().unwrap_or(0)
        } else {
            to_i64(div_round(i128::from(net) * p, PCT_SCALE))?
        };
        out.push(TaxAmount {
            amount,
            rate_id: r.id.clone(),
            inclusive: r.inclusive,
            taxable_amount: net,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// 5. Shipping
// ---------------------------------------------------------------------------

/// Shipping cost of a `fixed_amount` shipping rate.
///
/// - Shipping is added to `amount_total` and reported as
///   `total_details.amount_shipping`
///   (<https://docs.stripe.com/payments/during-payment/charge-shipping>).
/// - Coupons do not discount shipping
///   (<https://docs.stripe.com/payments/checkout/discounts>: discounts apply
///   to line items).
/// - Shipping is untaxed: a ShippingRate carries only `tax_behavior` and
///   `tax_code`, which Stripe Tax (automatic tax) uses; manual tax rates
///   cannot be attached to shipping rates, and the fake does not model
///   Stripe Tax. So `amount_tax` is 0 whatever `tax_behavior` is.
pub fn compute_shipping(
    currency_code: &str,
    rate: &ShippingRate,
) -> Result<ShippingCost, MoneyError> {
    if rate.amount < 0 {
        return Err(MoneyError::Negative {
            field: "shipping_rate.fixed_amount.amount",
            value: rate.amount,
        });
    }
    if !rate.currency.eq_ignore_ascii_case(currency_code) {
        return Err(MoneyError::CurrencyMismatch {
            field: "shipping_rate.fixed_amount",
            expected: currency_code.to_ascii_lowercase(),
            found: rate.currency.to_ascii_lowercase(),
        });
    }
    Ok(ShippingCost {
        shipping_rate: rate.id.clone(),
        amount_subtotal: rate.amount,
        amount_tax: 0,
        amount_total: rate.amount,
    })
}

// ---------------------------------------------------------------------------
// 6. Totals
// ---------------------------------------------------------------------------

/// Compute every amount of a Checkout Session.
///
/// Per line: `amount_subtotal = unit_amount × quantity`, `amount_discount`
/// (see [`compute_discounts`]), `amount_tax` (inclusive + exclusive, see
/// [`compute_line_taxes`] on `subtotal − discount`), and
/// `amount_total = subtotal − discount + exclusive tax`.
///
/// Session (<https://docs.stripe.com/api/checkout/sessions/object>):
/// `amount_subtotal` = Σ line subtotals ("Total of all items before
/// discounts or taxes are applied"); `amount_total = subtotal − discount +
/// exclusive tax + shipping` ("Total of all items after discounts and taxes
/// are applied"); `total_details.amount_tax` = Σ all tax amounts, inclusive
/// ones included ("This is the sum of all the tax amounts");
/// `breakdown.discounts` one entry per discount; `breakdown.taxes` one entry
/// per tax rate id (amounts and taxable amounts summed over lines), in order
/// of first appearance.
///
/// `currency_code` is the session currency: `amount_off` coupons and the
/// shipping rate must be in it. Unknown currencies are rejected.
pub fn compute(
    currency_code: &str,
    lines: &[LineItem],
    discounts: &[Discount],
    shipping: Option<&ShippingRate>,
) -> Result<Totals, MoneyError> {
    let cur = currency(currency_code)
        .ok_or_else(|| MoneyError::UnknownCurrency(currency_code.to_string()))?;
    let per_line_discounts = compute_discounts(cur.code, lines, discounts)?;

    let mut out_lines = Vec::with_capacity(lines.len());
    let mut session_subtotal: i64 = 0;
    let mut session_total: i64 = 0;
    let mut session_discount: i64 = 0;
    let mut session_tax: i64 = 0;
    let mut discount_breakdown: Vec<DiscountAmount> = discounts
        .iter()
        .map(|d| DiscountAmount {
            amount: 0,
            discount_id: d.id.clone(),
        })
        .collect();
    let mut tax_breakdown: Vec<TaxAmount> = Vec::new();

    for (line, line_discounts) in lines.iter().zip(&per_line_discounts) {
        let subtotal = line_subtotal(line)?;
        let mut discount_total: i64 = 0;
        let mut discount_entries = Vec::new();
        for (d_idx, &amt) in line_discounts.iter().enumerate() {
            discount_total = add(discount_total, amt)?;
            if let Some(entry) = discount_breakdown.get_mut(d_idx) {
                entry.amount = add(entry.amount, amt)?;
            }
            if amt > 0 {
                discount_entries.push(DiscountAmount {
                    amount: amt,
                    discount_id: discounts[d_idx].id.clone(),
                });
            }
        }
        let taxable = sub(subtotal, discount_total)?;
        let taxes = compute_line_taxes(taxable, &line.tax_rates)?;
        let mut tax_total: i64 = 0;
        let mut exclusive_tax: i64 = 0;
        for t in &taxes {
            tax_total = add(tax_total, t.amount)?;
            if !t.inclusive {
                exclusive_tax = add(exclusive_tax, t.amount)?;
            }
            match tax_breakdown
                .iter_mut()
                .find(|b| b.rate_id == t.rate_id && b.inclusive == t.inclusive)
            {
                Some(b) => {
                    b.amount = add(b.amount, t.amount)?;
                    b.taxable_amount = add(b.taxable_amount, t.taxable_amount)?;
                }
                None => tax_breakdown.push(t.clone()),
            }
        }
        let line_total = add(taxable, exclusive_tax)?;

        session_subtotal = add(session_subtotal, subtotal)?;
        session_discount = add(session_discount, discount_total)?;
        session_tax = add(session_tax, tax_total)?;
        session_total = add(session_total, line_total)?;

        out_lines.push(LineTotals {
            amount_subtotal: subtotal,
            amount_discount: discount_total,
            amount_tax: tax_total,
            amount_total: line_total,
            taxes,
            discounts: discount_entries,
        });
    }

    let shipping_cost = match shipping {
        Some(rate) => Some(compute_shipping(cur.code, rate)?),
        None => None,
    };
    let (amount_shipping, shipping_total, shipping_tax) = match &shipping_cost {
        Some(s) => (s.amount_subtotal, s.amount_total, s.amount_tax),
        None => (0, 0, 0),
    };
    session_total = add(session_total, shipping_total)?;
    session_tax = add(session_tax, shipping_tax)?;

    Ok(Totals {
        lines: out_lines,
        amount_subtotal: session_subtotal,
        amount_total: session_total,
        shipping_cost,
        total_details: TotalDetails {
            amount_discount: session_discount,
            amount_shipping,
            amount_tax: session_tax,
            breakdown: Breakdown {
                discounts: discount_breakdown,
                taxes: tax_breakdown,
            },
        },
    })
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

// The request-level wrappers below turn params into the checks above.

/// The currency in `p[key]`, lowercased, if Stripe supports it; else Stripe's invalid-currency
/// error on `key`. <https://docs.stripe.com/currencies>
pub(crate) fn currency_param(
    p: &serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Result<String, crate::error::FakeError> {
    let given = p
        .get(key)
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    match currency(given) {
        Some(c) => Ok(c.code.to_owned()),
        None => Err(crate::error::FakeError::param(
            key,
            format!(
                "Invalid currency: {}. Stripe currently supports these currencies: {}",
                given.to_ascii_lowercase(),
                currencies().map(|c| c.code).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

use crate::error::FakeError;

/// `price_data[unit_amount_decimal]` rounded to a whole minor unit (0 when it is not a number).
pub(crate) fn unit_amount_from_decimal(decimal: &str) -> i64 {
    decimal
        .parse::<f64>()
        .map(|d| d.round() as i64)
        .unwrap_or(0)
}

/// `line_items[i]`'s amount: `unit × quantity`, or an error when it overflows.
pub(crate) fn line_amount(i: usize, unit: i64, quantity: i64) -> Result<i64, FakeError> {
    unit.checked_mul(quantity).ok_or_else(|| {
        FakeError::param(
            format!("line_items[{i}][quantity]"),
            "The amount is too large.",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(unit: i64, qty: i64, rates: Vec<TaxRate>) -> LineItem {
        LineItem {
            tax_rates: rates,
            ..LineItem::new(unit, qty)
        }
    }

    fn percent_coupon(id: &str, p: f64) -> Discount {
        Discount {
            id: format!("di_{id}"),
            coupon: Coupon {
                id: id.to_string(),
                percent_off: Some(p),
                amount_off: None,
                currency: None,
                applies_to_products: None,
            },
            promotion_code: None,
        }
    }

    fn amount_coupon(id: &str, a: i64, cur: &str) -> Discount {
        Discount {
            id: format!("di_{id}"),
            coupon: Coupon {
                id: id.to_string(),
                percent_off: None,
                amount_off: Some(a),
                currency: Some(cur.to_string()),
                applies_to_products: None,
            },
            promotion_code: None,
        }
    }

    fn shipping(amount: i64, cur: &str) -> ShippingRate {
        ShippingRate {
            id: Some("shr_1".into()),
            amount,
            currency: cur.into(),
            tax_behavior: TaxBehavior::Exclusive,
        }
    }

    // ---- currencies ----

    #[test]
    fn currency_table() {
        assert_eq!(currency("usd").map(|c| c.decimals), Some(2));
        assert_eq!(currency("USD").map(|c| c.code), Some("usd"));
        assert_eq!(currency("jpy").map(|c| c.decimals), Some(0));
        assert_eq!(
            currency("kwd").map(|c| (c.decimals, c.amount_step)),
            Some((3, 10))
        );
        assert_eq!(
            currency("isk").map(|c| (c.decimals, c.amount_step)),
            Some((2, 100))
        );
        assert_eq!(currency("clp").map(|c| c.amex), Some(false));
        assert_eq!(currency("eur").map(|c| c.amex), Some(true));
        assert_eq!(currency("xyz"), None);
        assert_eq!(currency("us"), None);
        assert_eq!(currency("usdd"), None);
        let all: Vec<Currency> = currencies().collect();
        assert_eq!(all.iter().filter(|c| c.decimals == 0).count(), 16);
        assert_eq!(all.iter().filter(|c| c.decimals == 3).count(), 5);
        assert_eq!(all.iter().filter(|c| c.code == "usd").count(), 1);
        // Every zero/three-decimal and NO_AMEX code is in the main list.
        for code in ZERO_DECIMAL.iter().chain(THREE_DECIMAL).chain(NO_AMEX) {
            assert!(currency(code).is_some(), "{code}");
        }
        for (code, _) in MINIMUM_CHARGE {
            assert!(currency(code).is_some(), "{code}");
        }
    }

    #[test]
    fn minimums_and_maximums() {
        let usd = currency("usd").unwrap();
        assert_eq!(
            minimum_charge(&usd),
            MinimumCharge {
                amount: 50,
                documented: true
            }
        );
        assert_eq!(minimum_charge(&currency("gbp").unwrap()).amount, 30);
        assert_eq!(minimum_charge(&currency("jpy").unwrap()).amount, 50);
        assert_eq!(minimum_charge(&currency("huf").unwrap()).amount, 17500);
        // Fallbacks.
        assert_eq!(
            minimum_charge(&currency("kwd").unwrap()),
            MinimumCharge {
                amount: 500,
                documented: false
            }
        );
        assert_eq!(minimum_charge(&currency("krw").unwrap()).amount, 1);
        assert_eq!(minimum_charge(&currency("cop").unwrap()).amount, 50);

        assert_eq!(check_amount("usd", 50), Ok(()));
        assert_eq!(
            check_amount("usd", 49),
            Err(MoneyError::BelowMinimum {
                currency: "usd".into(),
                amount: 49,
                minimum: 50
            })
        );
        assert_eq!(check_amount("gbp", 30), Ok(()));
        assert!(matches!(
            check_amount("jpy", 49),
            Err(MoneyError::BelowMinimum { minimum: 50, .. })
        ));
        assert_eq!(check_amount("usd", 99_999_999), Ok(()));
        assert_eq!(
            check_amount("usd", 100_000_000),
            Err(MoneyError::AboveMaximum {
                currency: "usd".into(),
                amount: 100_000_000,
                maximum: 99_999_999
            })
        );
        assert_eq!(check_amount("idr", 999_999_999_999), Ok(()));
        assert!(matches!(
            check_amount("idr", 1_000_000_000_000),
            Err(MoneyError::AboveMaximum { .. })
        ));
        assert_eq!(check_amount("kwd", 5120), Ok(()));
        assert_eq!(
            check_amount("kwd", 5124),
            Err(MoneyError::NotMultipleOf {
                currency: "kwd".into(),
                amount: 5124,
                step: 10
            })
        );
        assert!(matches!(
            check_amount("isk", 550),
            Err(MoneyError::NotMultipleOf { step: 100, .. })
        ));
        assert_eq!(check_amount("isk", 500), Ok(()));
        assert_eq!(
            check_amount("zzz", 100),
            Err(MoneyError::UnknownCurrency("zzz".into()))
        );
        assert!(matches!(
            check_amount("usd", -5),
            Err(MoneyError::BelowMinimum { .. })
        ));
    }

    #[test]
    fn formatting() {
        assert_eq!(format_amount("usd", 3100), "$31.00");
        assert_eq!(format_amount("eur", 500), "€5.00");
        assert_eq!(format_amount("gbp", 5), "£0.05");
        assert_eq!(format_amount("jpy", 500), "¥500");
        assert_eq!(format_amount("jpy", 1_234_567), "¥1,234,567");
        assert_eq!(format_amount("kwd", 31000), "31.000 KWD");
        assert_eq!(format_amount("cad", 1000), "CA$10.00");
        assert_eq!(format_amount("aud", 123_456), "A$1,234.56");
        assert_eq!(format_amount("usd", -500), "-$5.00");
        assert_eq!(format_amount("usd", 0), "$0.00");
        assert_eq!(format_amount("chf", 12345), "123.45 CHF");
        assert_eq!(format_amount("krw", 1000), "₩1,000");
        assert_eq!(format_amount("xof", 2500), "2,500 XOF");
        assert_eq!(
            format_amount("usd", i64::MIN),
            "-$92,233,720,368,547,758.08"
        );
        assert_eq!(format_amount("abc", 150), "1.50 ABC");
    }

    // ---- arithmetic helpers ----

    #[test]
    fn rounding_half_away_from_zero() {
        assert_eq!(div_round(5, 2), 3);
        assert_eq!(div_round(4, 2), 2);
        assert_eq!(div_round(7, 2), 4);
        assert_eq!(div_round(-5, 2), -3);
        assert_eq!(div_round(1, 3), 0);
        assert_eq!(div_round(2, 3), 1);
        // 8.25% of 1000 = 82.5 -> 83
        let t = compute_line_taxes(1000, &[TaxRate::new("txr", 8.25, false)]).unwrap();
        assert_eq!(t[0].amount, 83);
    }

    #[test]
    fn allocation_sums_exactly() {
        assert_eq!(
            allocate_proportionally(500, &[1000, 3000]).unwrap(),
            vec![125, 375]
        );
        // Equal remainders: earlier lines get the extra unit.
        assert_eq!(
            allocate_proportionally(100, &[1000, 1000, 1000]).unwrap(),
            vec![34, 33, 33]
        );
        assert_eq!(
            allocate_proportionally(2, &[1, 1, 1]).unwrap(),
            vec![1, 1, 0]
        );
        // Largest remainder wins: 10 × (1,2,3)/6 = 1.67, 3.33, 5 -> 2, 3, 5.
        assert_eq!(
            allocate_proportionally(10, &[1, 2, 3]).unwrap(),
            vec![2, 3, 5]
        );
        assert_eq!(allocate_proportionally(10, &[0, 0]).unwrap(), vec![0, 0]);
        assert_eq!(allocate_proportionally(7, &[]).unwrap(), Vec::<i64>::new());
        assert!(allocate_proportionally(7, &[-1]).is_err());
        let big = allocate_proportionally(i64::MAX, &[i64::MAX, i64::MAX]).unwrap();
        assert_eq!(big, vec![i64::MAX / 2 + 1, i64::MAX / 2]);
    }

    // ---- worked examples ----

    /// Two items 2000×1 and 1000×2, a 20% coupon, 8.25% exclusive tax on
    /// both, 500 shipping (USD).
    #[test]
    fn example_percent_coupon_exclusive_tax_shipping() {
        let tax = TaxRate::new("txr_825", 8.25, false);
        let lines = vec![line(2000, 1, vec![tax.clone()]), line(1000, 2, vec![tax])];
        let t = compute(
            "usd",
            &lines,
            &[percent_coupon("TWENTY", 20.0)],
            Some(&shipping(500, "usd")),
        )
        .unwrap();

        assert_eq!(t.amount_subtotal, 4000);
        for l in &t.lines {
            assert_eq!(l.amount_subtotal, 2000);
            assert_eq!(l.amount_discount, 400);
            // 8.25% of 1600 = 132
            assert_eq!(l.amount_tax, 132);
            assert_eq!(l.amount_total, 1732);
            assert_eq!(
                l.taxes,
                vec![TaxAmount {
                    amount: 132,
                    rate_id: "txr_825".into(),
                    inclusive: false,
                    taxable_amount: 1600
                }]
            );
            assert_eq!(
                l.discounts,
                vec![DiscountAmount {
                    amount: 400,
                    discount_id: "di_TWENTY".into()
                }]
            );
        }
        assert_eq!(t.total_details.amount_discount, 800);
        assert_eq!(t.total_details.amount_tax, 264);
        assert_eq!(t.total_details.amount_shipping, 500);
        // 4000 - 800 + 264 + 500
        assert_eq!(t.amount_total, 3964);
        assert_eq!(
            t.total_details.breakdown.discounts,
            vec![DiscountAmount {
                amount: 800,
                discount_id: "di_TWENTY".into()
            }]
        );
        assert_eq!(
            t.total_details.breakdown.taxes,
            vec![TaxAmount {
                amount: 264,
                rate_id: "txr_825".into(),
                inclusive: false,
                taxable_amount: 3200
            }]
        );
        assert_eq!(
            t.shipping_cost,
            Some(ShippingCost {
                shipping_rate: Some("shr_1".into()),
                amount_subtotal: 500,
                amount_tax: 0,
                amount_total: 500
            })
        );
        assert_eq!(check_amount("usd", t.amount_total), Ok(()));
        assert_eq!(format_amount("usd", t.amount_total), "$39.64");
    }

    /// An amount-off 500 coupon spread over 1000 and 3000 → 125 and 375.
    #[test]
    fn example_amount_off_proportional() {
        let lines = vec![line(1000, 1, vec![]), line(3000, 1, vec![])];
        let t = compute("usd", &lines, &[amount_coupon("FIVE", 500, "usd")], None).unwrap();
        assert_eq!(t.lines[0].amount_discount, 125);
        assert_eq!(t.lines[1].amount_discount, 375);
        assert_eq!(t.lines[0].amount_total, 875);
        assert_eq!(t.lines[1].amount_total, 2625);
        assert_eq!(t.total_details.amount_discount, 500);
        assert_eq!(t.amount_total, 3500);
        assert_eq!(t.total_details.breakdown.discounts[0].amount, 500);
    }

    #[test]
    fn amount_off_remainder_and_cap() {
        // 100 over three equal lines: 34 + 33 + 33.
        let lines = vec![
            line(1000, 1, vec![]),
            line(1000, 1, vec![]),
            line(1000, 1, vec![]),
        ];
        let t = compute("usd", &lines, &[amount_coupon("C", 100, "usd")], None).unwrap();
        let d: Vec<i64> = t.lines.iter().map(|l| l.amount_discount).collect();
        assert_eq!(d, vec![34, 33, 33]);
        assert_eq!(t.amount_total, 2900);

        // Coupon larger than the subtotal: capped, never negative.
        let lines = vec![line(1000, 1, vec![]), line(2000, 1, vec![])];
        let t = compute(
            "usd",
            &lines,
            &[amount_coupon("BIG", 5000, "usd")],
            Some(&shipping(300, "usd")),
        )
        .unwrap();
        assert_eq!(t.lines[0].amount_discount, 1000);
        assert_eq!(t.lines[1].amount_discount, 2000);
        assert_eq!(t.total_details.amount_discount, 3000);
        // Shipping is not discounted.
        assert_eq!(t.amount_total, 300);
    }

    /// An inclusive 20% VAT on 1200 → 200 tax, total 1200.
    #[test]
    fn example_inclusive_vat() {
        let vat = TaxRate::new("txr_vat20", 20.0, true);
        let t = compute("gbp", &[line(1200, 1, vec![vat])], &[], None).unwrap();
        let l = &t.lines[0];
        assert_eq!(l.amount_tax, 200);
        assert_eq!(l.amount_total, 1200);
        assert_eq!(
            l.taxes,
            vec![TaxAmount {
                amount: 200,
                rate_id: "txr_vat20".into(),
                inclusive: true,
                taxable_amount: 1000
            }]
        );
        assert_eq!(t.amount_total, 1200);
        // total_details.amount_tax includes inclusive tax.
        assert_eq!(t.total_details.amount_tax, 200);
        assert_eq!(format_amount("gbp", t.amount_total), "£12.00");
    }

    #[test]
    fn inclusive_tax_after_discount() {
        // 1200 incl. 20% VAT with 10% off: taxable 1080 -> net 900, VAT 180.
        let vat = TaxRate::new("vat", 20.0, true);
        let t = compute(
            "eur",
            &[line(1200, 1, vec![vat])],
            &[percent_coupon("TEN", 10.0)],
            None,
        )
        .unwrap();
        let l = &t.lines[0];
        assert_eq!(l.amount_discount, 120);
        assert_eq!(l.amount_tax, 180);
        assert_eq!(l.taxes[0].taxable_amount, 900);
        assert_eq!(l.amount_total, 1080);
        assert_eq!(t.amount_total, 1080);
    }

    #[test]
    fn inclusive_rounding() {
        // 999 incl. 20%: net = round(832.5) = 833, tax 166.
        let t = compute_line_taxes(999, &[TaxRate::new("vat", 20.0, true)]).unwrap();
        assert_eq!((t[0].amount, t[0].taxable_amount), (166, 833));
        // 1000 incl. 19%: net = round(840.336) = 840, tax 160.
        let t = compute_line_taxes(1000, &[TaxRate::new("vat", 19.0, true)]).unwrap();
        assert_eq!((t[0].amount, t[0].taxable_amount), (160, 840));
    }

    #[test]
    fn multiple_rates_on_one_line() {
        // Exclusive 5% + 3% on the same 1000: 50 + 30, no compounding.
        let rates = vec![
            TaxRate::new("gst", 5.0, false),
            TaxRate::new("pst", 3.0, false),
        ];
        let t = compute("cad", &[line(1000, 1, rates)], &[], None).unwrap();
        let amounts: Vec<i64> = t.lines[0].taxes.iter().map(|x| x.amount).collect();
        assert_eq!(amounts, vec![50, 30]);
        assert_eq!(t.lines[0].amount_total, 1080);
        assert_eq!(t.total_details.breakdown.taxes.len(), 2);

        // Two inclusive rates 10% + 5% on 1150: net 1000, tax 150 split 100/50.
        let rates = vec![TaxRate::new("a", 10.0, true), TaxRate::new("b", 5.0, true)];
        let t = compute_line_taxes(1150, &rates).unwrap();
        assert_eq!(
            t.iter().map(|x| x.amount).collect::<Vec<_>>(),
            vec![100, 50]
        );
        assert!(t.iter().all(|x| x.taxable_amount == 1000));

        // Mixed: 1100 incl. 10% plus 5% exclusive on the net 1000.
        let rates = vec![
            TaxRate::new("incl", 10.0, true),
            TaxRate::new("excl", 5.0, false),
        ];
        let t = compute("usd", &[line(1100, 1, rates)], &[], None).unwrap();
        assert_eq!(t.lines[0].amount_tax, 150);
        assert_eq!(t.lines[0].amount_total, 1150);
    }

    /// JPY: no decimals.
    #[test]
    fn example_jpy() {
        let tax = TaxRate::new("jct", 10.0, false);
        let lines = vec![line(333, 3, vec![tax])];
        let t = compute(
            "jpy",
            &lines,
            &[percent_coupon("TEN", 10.0)],
            Some(&shipping(500, "jpy")),
        )
        .unwrap();
        // 999 - round(99.9)=100 -> 899; tax round(89.9)=90
        assert_eq!(t.lines[0].amount_subtotal, 999);
        assert_eq!(t.lines[0].amount_discount, 100);
        assert_eq!(t.lines[0].amount_tax, 90);
        assert_eq!(t.lines[0].amount_total, 989);
        assert_eq!(t.amount_total, 1489);
        assert_eq!(format_amount("jpy", t.amount_total), "¥1,489");
        assert_eq!(check_amount("jpy", t.amount_total), Ok(()));
    }

    #[test]
    fn applies_to_products_and_discountable() {
        let mut a = line(1000, 1, vec![]);
        a.product = Some("prod_A".into());
        let mut b = line(3000, 1, vec![]);
        b.product = Some("prod_B".into());
        let mut c = line(2000, 1, vec![]);
        c.product = Some("prod_A".into());
        c.discountable = false;

        let mut d = amount_coupon("ONLY_A", 500, "usd");
        d.coupon.applies_to_products = Some(vec!["prod_A".into()]);
        let t = compute("usd", &[a.clone(), b.clone(), c.clone()], &[d], None).unwrap();
        let got: Vec<i64> = t.lines.iter().map(|l| l.amount_discount).collect();
        assert_eq!(got, vec![500, 0, 0]);
        assert!(t.lines[1].discounts.is_empty());

        let t = compute("usd", &[a, b, c], &[percent_coupon("P", 50.0)], None).unwrap();
        let got: Vec<i64> = t.lines.iter().map(|l| l.amount_discount).collect();
        assert_eq!(got, vec![500, 1500, 0]);
    }

    #[test]
    fn sequential_discounts() {
        // 10% then 100 off on a single 1000 line: 100, then 100 of 900.
        let t = compute(
            "usd",
            &[line(1000, 1, vec![])],
            &[
                percent_coupon("P10", 10.0),
                amount_coupon("A100", 100, "usd"),
            ],
            None,
        )
        .unwrap();
        assert_eq!(t.lines[0].amount_discount, 200);
        assert_eq!(t.lines[0].discounts.len(), 2);
        assert_eq!(t.total_details.breakdown.discounts[0].amount, 100);
        assert_eq!(t.total_details.breakdown.discounts[1].amount, 100);
        assert_eq!(t.amount_total, 800);
    }

    #[test]
    fn dynamic_tax_rates() {
        let mut ca = TaxRate::new("txr_ca", 7.25, false);
        ca.country = Some("US".into());
        ca.state = Some("CA".into());
        let mut us = TaxRate::new("txr_us", 5.0, false);
        us.country = Some("US".into());
        let mut de = TaxRate::new("txr_de", 19.0, true);
        de.country = Some("DE".into());
        let rates = vec![ca, us, de];

        let id =
            |c: &str, s: Option<&str>| match_dynamic_tax_rate(&rates, c, s).map(|r| r.id.clone());
        assert_eq!(id("US", Some("CA")), Some("txr_ca".into()));
        assert_eq!(id("us", Some("ca")), Some("txr_ca".into()));
        assert_eq!(id("US", Some("NY")), Some("txr_us".into()));
        assert_eq!(id("US", None), Some("txr_us".into()));
        assert_eq!(id("DE", None), Some("txr_de".into()));
        assert_eq!(id("FR", None), None);
    }

    // ---- errors ----

    #[test]
    fn errors_not_panics() {
        assert_eq!(
            compute("usd", &[line(i64::MAX / 2, 3, vec![])], &[], None),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            compute(
                "usd",
                &[line(i64::MAX, 1, vec![]), line(1, 1, vec![])],
                &[],
                None
            ),
            Err(MoneyError::Overflow)
        );
        // Exclusive tax pushing the total past i64::MAX.
        assert_eq!(
            compute(
                "usd",
                &[line(i64::MAX, 1, vec![TaxRate::new("t", 100.0, false)])],
                &[],
                None
            ),
            Err(MoneyError::Overflow)
        );
        assert!(matches!(
            compute("usd", &[line(-1, 1, vec![])], &[], None),
            Err(MoneyError::Negative {
                field: "unit_amount",
                ..
            })
        ));
        assert!(matches!(
            compute("usd", &[line(1, -1, vec![])], &[], None),
            Err(MoneyError::Negative {
                field: "quantity",
                ..
            })
        ));
        assert_eq!(
            compute("zzz", &[], &[], None),
            Err(MoneyError::UnknownCurrency("zzz".into()))
        );
        assert!(matches!(
            compute(
                "usd",
                &[line(100, 1, vec![])],
                &[amount_coupon("E", 100, "eur")],
                None
            ),
            Err(MoneyError::CurrencyMismatch { .. })
        ));
        assert!(matches!(
            compute("usd", &[], &[], Some(&shipping(100, "eur"))),
            Err(MoneyError::CurrencyMismatch { .. })
        ));
        assert!(matches!(
            compute("usd", &[], &[], Some(&shipping(-1, "usd"))),
            Err(MoneyError::Negative { .. })
        ));
        for bad in [f64::NAN, f64::INFINITY, -1.0, 0.0, 100.5] {
            assert!(matches!(
                compute(
                    "usd",
                    &[line(100, 1, vec![])],
                    &[percent_coupon("X", bad)],
                    None
                ),
                Err(MoneyError::InvalidPercentage { .. })
            ));
        }
        assert!(matches!(
            compute(
                "usd",
                &[line(100, 1, vec![TaxRate::new("t", f64::NAN, false)])],
                &[],
                None
            ),
            Err(MoneyError::InvalidPercentage { .. })
        ));
        let mut both = percent_coupon("B", 10.0);
        both.coupon.amount_off = Some(5);
        assert!(matches!(
            compute("usd", &[], &[both], None),
            Err(MoneyError::InvalidCoupon { .. })
        ));
        let mut neither = percent_coupon("N", 10.0);
        neither.coupon.percent_off = None;
        assert!(matches!(
            compute("usd", &[], &[neither], None),
            Err(MoneyError::InvalidCoupon { .. })
        ));
        let mut no_cur = amount_coupon("NC", 100, "usd");
        no_cur.coupon.currency = None;
        assert!(matches!(
            compute("usd", &[], &[no_cur], None),
            Err(MoneyError::InvalidCoupon { .. })
        ));
        assert!(matches!(
            compute("usd", &[], &[amount_coupon("Z", 0, "usd")], None),
            Err(MoneyError::InvalidCoupon { .. })
        ));
        // 100% coupon and 0% tax rate are fine.
        let t = compute(
            "usd",
            &[line(100, 1, vec![TaxRate::new("zero", 0.0, false)])],
            &[percent_coupon("FREE", 100.0)],
            None,
        )
        .unwrap();
        assert_eq!(t.amount_total, 0);
        assert!(MoneyError::Overflow.to_string().contains("overflow"));
    }

    #[test]
    fn empty_session() {
        let t = compute("usd", &[], &[], None).unwrap();
        assert_eq!(t.amount_subtotal, 0);
        assert_eq!(t.amount_total, 0);
        assert_eq!(t.total_details, TotalDetails::default());
        assert_eq!(t.shipping_cost, None);
    }
}
