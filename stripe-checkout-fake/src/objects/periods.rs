//! Billing periods on the fake clock: a price's `recurring[interval]` (`day`, `week`, `month`,
//! `year`) × `interval_count` from the subscription's `billing_cycle_anchor`. Months and years
//! are calendar months: a subscription anchored on the 31st renews on the last day of shorter
//! months and on the 31st again after them, as Stripe's billing cycle does
//! (<https://docs.stripe.com/billing/subscriptions/billing-cycle>).

/// Seconds in a day.
const DAY: i64 = 86_400;

/// `anchor` moved `n` × `count` `interval`s forward (`None` for an unknown interval).
pub(crate) fn advance(anchor: i64, interval: &str, count: i64, n: i64) -> Option<i64> {
    let steps = count.checked_mul(n)?;
    match interval {
        "day" => anchor.checked_add(steps.checked_mul(DAY)?),
        "week" => anchor.checked_add(steps.checked_mul(7 * DAY)?),
        "month" => add_months(anchor, steps),
        "year" => add_months(anchor, steps.checked_mul(12)?),
        _ => None,
    }
}

/// The first period end after `after`: `anchor` plus the fewest whole intervals (at least one)
/// that pass it.
pub(crate) fn next_end(anchor: i64, interval: &str, count: i64, after: i64) -> Option<i64> {
    let count = count.max(1);
    // A first guess from the average length, then corrected by stepping.
    let rough = match interval {
        "day" => DAY,
        "week" => 7 * DAY,
        "month" => 28 * DAY,
        "year" => 365 * DAY,
        _ => return None,
    } * count;
    let mut n = ((after - anchor) / rough).max(1);
    // Step back while the guess overshoots by a period, then forward until past `after`.
    while n > 1 && advance(anchor, interval, count, n - 1)? > after {
        n -= 1;
    }
    loop {
        let end = advance(anchor, interval, count, n)?;
        if end > after {
            return Some(end);
        }
        n += 1;
    }
}

/// `ts` plus `months` calendar months, the day clamped to the target month's length, the time
/// of day kept.
fn add_months(ts: i64, months: i64) -> Option<i64> {
    let days = ts.div_euclid(DAY);
    let time = ts.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    let total = y.checked_mul(12)?.checked_add(m - 1)?.checked_add(months)?;
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let nd = d.min(days_in_month(ny, nm));
    days_from_civil(ny, nm, nd)
        .checked_mul(DAY)?
        .checked_add(time)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2024-01-31 12:00:00 UTC.
    const JAN_31: i64 = 1_706_702_400;

    #[test]
    fn months_clamp_to_the_month_and_come_back() {
        // Feb 29 (2024 is a leap year), Mar 31, Apr 30.
        assert_eq!(advance(JAN_31, "month", 1, 1), Some(1_709_208_000));
        assert_eq!(advance(JAN_31, "month", 1, 2), Some(1_711_886_400));
        assert_eq!(advance(JAN_31, "month", 1, 3), Some(1_714_478_400));
        assert_eq!(advance(JAN_31, "year", 1, 1), Some(1_738_324_800));
        assert_eq!(advance(JAN_31, "week", 2, 1), Some(JAN_31 + 14 * DAY));
        assert_eq!(advance(JAN_31, "fortnight", 1, 1), None);
    }

    #[test]
    fn next_end_is_the_first_boundary_after() {
        assert_eq!(
            next_end(JAN_31, "month", 1, JAN_31),
            advance(JAN_31, "month", 1, 1)
        );
        let mar = advance(JAN_31, "month", 1, 2).unwrap();
        assert_eq!(
            next_end(JAN_31, "month", 1, mar),
            advance(JAN_31, "month", 1, 3)
        );
        assert_eq!(next_end(JAN_31, "month", 1, mar - 1), Some(mar));
        assert_eq!(
            next_end(JAN_31, "day", 3, JAN_31 + 10 * DAY),
            Some(JAN_31 + 12 * DAY)
        );
    }

    #[test]
    fn dates_round_trip() {
        for days in [-800_000, -1, 0, 59, 11_016, 19_753, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(19_753), (2024, 1, 31));
    }
}
