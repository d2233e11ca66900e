//! TTL and expiry values: which tool reads a key, and whether it can parse
//! the value. Formats follow the tools' own parsers: kube-janitor
//! (`^(\d+)([smhdw])$`, `forever`, `strptime` dates), k8s-ttl-controller
//! (Go durations with days), Kyverno (Go durations, go-openapi durations,
//! `2006-01-02T150405Z` and `2006-01-02`) and cloud-nuke (RFC 3339).
//! Nothing here reads the clock.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::model::{Environments, same_key};

/// How a key's value is written, by the tool that reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// kube-janitor `janitor/ttl`.
    Janitor,
    /// kube-janitor `janitor/expires`.
    JanitorExpires,
    /// TwiN/k8s-ttl-controller `k8s-ttl-controller.twin.sh/ttl`.
    TtlController,
    /// Kyverno's `cleanup.kyverno.io/ttl` label.
    Kyverno,
    /// cloud-nuke's `cloud-nuke-after` tag.
    CloudNuke,
    /// A team convention no tool defines: any duration or date.
    Convention,
}

/// A value that parsed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ttl {
    /// A relative duration, in seconds, when its length is known.
    Duration(Option<f64>),
    Forever,
    /// An absolute time; never compared with the clock.
    Expiry,
}

impl Format {
    /// The format of a Kubernetes annotation or label key.
    pub fn of_kubernetes(key: &str) -> Format {
        match key {
            "janitor/ttl" => Format::Janitor,
            "janitor/expires" => Format::JanitorExpires,
            "k8s-ttl-controller.twin.sh/ttl" => Format::TtlController,
            "cleanup.kyverno.io/ttl" => Format::Kyverno,
            _ => Format::Convention,
        }
    }

    pub fn of_tag(key: &str) -> Format {
        if same_key(key, "cloud-nuke-after") {
            Format::CloudNuke
        } else {
            Format::Convention
        }
    }

    /// The tool that reads the key, for messages.
    pub fn tool(self) -> Option<&'static str> {
        match self {
            Format::Janitor | Format::JanitorExpires => Some("kube-janitor"),
            Format::TtlController => Some("k8s-ttl-controller"),
            Format::Kyverno => Some("Kyverno"),
            Format::CloudNuke => Some("cloud-nuke"),
            Format::Convention => None,
        }
    }

    /// What a valid value looks like.
    pub fn expected(self) -> &'static str {
        match self {
            Format::Janitor => {
                "an integer and a unit `s`, `m`, `h`, `d` or `w` (`8h`, `7d`, `2w`), or `forever`"
            }
            Format::JanitorExpires => {
                "a UTC time `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SSZ`"
            }
            Format::TtlController => "a duration such as `30m`, `24h` or `7d`",
            Format::Kyverno => {
                "a duration such as `4h` or `1d`, or a UTC time `YYYY-MM-DD` or `YYYY-MM-DDTHHMMSSZ`"
            }
            Format::CloudNuke => "an RFC 3339 time such as `2026-06-01T00:00:00Z`",
            Format::Convention => "a duration such as `8h` or `7d`, or a date such as `2026-06-01`",
        }
    }

    /// A value to show in help text.
    pub fn example(self) -> &'static str {
        match self {
            Format::JanitorExpires => "2026-12-31",
            Format::CloudNuke => "2026-12-31T00:00:00Z",
            _ => "7d",
        }
    }

    pub fn parse(self, value: &str) -> Option<Ttl> {
        let duration = |d: Option<f64>| d.map(|s| Ttl::Duration(Some(s)));
        match self {
            Format::Janitor => forever(value).or_else(|| duration(janitor_duration(value))),
            Format::JanitorExpires => janitor_expiry(value).then_some(Ttl::Expiry),
            Format::TtlController => duration(go_duration(value)),
            Format::Kyverno => kyverno(value),
            Format::CloudNuke => {
                (rfc3339(value) || go_date_time(value, ' ')).then_some(Ttl::Expiry)
            }
            Format::Convention => forever(value)
                .or_else(|| duration(janitor_duration(value)))
                .or_else(|| kyverno(value))
                .or_else(|| any_timestamp(value).then_some(Ttl::Expiry)),
        }
    }
}

/// Where a Kubernetes TTL key is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Annotation,
    Label,
}

impl Place {
    pub fn name(self) -> &'static str {
        match self {
            Place::Annotation => "annotation",
            Place::Label => "label",
        }
    }

    /// The metadata field holding them.
    pub fn field(self) -> &'static str {
        match self {
            Place::Annotation => "annotations",
            Place::Label => "labels",
        }
    }
}

/// The configured TTL keys of Kubernetes objects.
pub fn kubernetes_keys(envs: &Environments) -> impl Iterator<Item = (&str, Place)> {
    envs.ttl_annotations
        .iter()
        .map(|k| (k.as_str(), Place::Annotation))
        .chain(envs.ttl_labels.iter().map(|k| (k.as_str(), Place::Label)))
}

fn forever(value: &str) -> Option<Ttl> {
    value
        .eq_ignore_ascii_case("forever")
        .then_some(Ttl::Forever)
}

/// kube-janitor: `^(\d+)([smhdw])$`.
fn janitor_duration(value: &str) -> Option<f64> {
    let unit = value.chars().last()?;
    let digits = value.get(..value.len() - unit.len_utf8())?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: f64 = digits.parse().ok()?;
    Some(n * unit_seconds(&unit.to_string())?)
}

fn unit_seconds(unit: &str) -> Option<f64> {
    Some(match unit {
        "ns" => 1e-9,
        "us" | "µs" | "μs" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3_600.0,
        "d" => 86_400.0,
        "w" => 604_800.0,
        _ => return None,
    })
}

/// Go's `time.ParseDuration`, extended with `d` and `w` as go-str2duration
/// and `max-ttl` accept: `1h30m`, `1.5h`, `7d`, `0`.
pub fn go_duration(value: &str) -> Option<f64> {
    let rest = value
        .strip_prefix('+')
        .or_else(|| value.strip_prefix('-'))
        .unwrap_or(value);
    if rest == "0" {
        return Some(0.0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    let mut chars = rest.char_indices().peekable();
    while chars.peek().is_some() {
        let start = chars.peek().map_or(0, |(i, _)| *i);
        let mut end = start;
        while let Some((i, c)) = chars.peek().copied() {
            if c.is_ascii_digit() || c == '.' {
                end = i + c.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let number = rest.get(start..end)?;
        if !number.bytes().any(|b| b.is_ascii_digit()) || number.matches('.').count() > 1 {
            return None;
        }
        let unit_start = end;
        let mut unit_end = end;
        while let Some((i, c)) = chars.peek().copied() {
            if c.is_ascii_digit() || c == '.' {
                break;
            }
            unit_end = i + c.len_utf8();
            chars.next();
        }
        let unit = rest.get(unit_start..unit_end)?;
        let n: f64 = number.parse().ok()?;
        total += n * unit_seconds(unit)?;
    }
    Some(total)
}

/// Kyverno: Go durations, go-openapi's looser `<n><unit>` durations
/// (`2days`), or its two UTC layouts.
fn kyverno(value: &str) -> Option<Ttl> {
    if let Some(s) = go_duration(value) {
        return Some(Ttl::Duration(Some(s)));
    }
    if date(value) == Some("") || kyverno_date_time(value) {
        return Some(Ttl::Expiry);
    }
    loose_duration(value)
}

/// go-openapi `strfmt.ParseDuration`: every `<digits><spaces><letters>`
/// run in the value counts; the value parses when one of them has a unit
/// it knows. Long units are summed; a value with units only go-openapi
/// knows by prefix parses with an unknown length.
fn loose_duration(value: &str) -> Option<Ttl> {
    let mut total = 0.0;
    let mut known = true;
    let mut any = false;
    let bytes: Vec<char> = value.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        let digits: String = bytes.get(start..i)?.iter().collect();
        while bytes.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        let unit_start = i;
        while bytes
            .get(i)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == 'µ')
        {
            i += 1;
        }
        let unit: String = bytes
            .get(unit_start..i)?
            .iter()
            .collect::<String>()
            .to_lowercase();
        if unit.is_empty() {
            continue;
        }
        let seconds = match unit.as_str() {
            "ns" | "nano" | "nanos" | "nanosecond" | "nanoseconds" => Some(1e-9),
            "us" | "µs" | "micro" | "micros" | "microsecond" | "microseconds" => Some(1e-6),
            "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => Some(1e-3),
            "s" | "sec" | "secs" | "second" | "seconds" => Some(1.0),
            "m" | "min" | "mins" | "minute" | "minutes" => Some(60.0),
            "h" | "hr" | "hrs" | "hour" | "hours" => Some(3_600.0),
            "d" | "day" | "days" => Some(86_400.0),
            "w" | "wk" | "wks" | "week" | "weeks" => Some(604_800.0),
            u if [
                "nanosecond",
                "microsecond",
                "millisecond",
                "second",
                "minute",
                "hour",
                "day",
                "week",
            ]
            .iter()
            .any(|p| u.starts_with(p)) =>
            {
                None
            }
            _ => continue,
        };
        any = true;
        match (seconds, digits.parse::<f64>()) {
            (Some(s), Ok(n)) => total += n * s,
            _ => known = false,
        }
    }
    any.then_some(Ttl::Duration(known.then_some(total)))
}

/// `YYYY-MM-DD` with a real calendar day; returns the rest of the value.
fn date(value: &str) -> Option<&str> {
    let (y, rest) = digits(value, 4, 4)?;
    let rest = rest.strip_prefix('-')?;
    let (m, rest) = digits(rest, 2, 2)?;
    let rest = rest.strip_prefix('-')?;
    let (d, rest) = digits(rest, 2, 2)?;
    valid_day(y, m, d).then_some(rest)
}

/// Leading ASCII digits, between `min` and `max` of them.
fn digits(s: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).take(max).count();
    if n < min {
        return None;
    }
    let (head, rest) = s.split_at(n);
    Some((head.parse().ok()?, rest))
}

fn valid_day(y: u32, m: u32, d: u32) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// `HH:MM` (and `:SS`), each field in range; returns the rest.
fn clock(s: &str, sep: Option<char>, min_digits: usize, seconds: bool) -> Option<&str> {
    let (h, rest) = digits(s, min_digits, 2)?;
    let rest = match sep {
        Some(c) => rest.strip_prefix(c)?,
        None => rest,
    };
    let (m, mut rest) = digits(rest, min_digits, 2)?;
    if h > 23 || m > 59 {
        return None;
    }
    if seconds {
        rest = match sep {
            Some(c) => rest.strip_prefix(c)?,
            None => rest,
        };
        let (sec, after) = digits(rest, min_digits, 2)?;
        if sec > 60 {
            return None;
        }
        rest = after;
    }
    Some(rest)
}

/// kube-janitor's `strptime` formats `%Y-%m-%dT%H:%M:%SZ`, `%Y-%m-%dT%H:%M`
/// and `%Y-%m-%d` (which accept one-digit fields).
fn janitor_expiry(value: &str) -> bool {
    let Some((y, rest)) = digits(value, 4, 4) else {
        return false;
    };
    let parsed = (|| {
        let (m, rest) = digits(rest.strip_prefix('-')?, 1, 2)?;
        let (d, rest) = digits(rest.strip_prefix('-')?, 1, 2)?;
        if !valid_day(y, m, d) {
            return None;
        }
        if rest.is_empty() {
            return Some(());
        }
        let time = rest.strip_prefix('T')?;
        if clock(time, Some(':'), 1, false) == Some("") {
            return Some(());
        }
        (clock(time, Some(':'), 1, true)? == "Z").then_some(())
    })();
    parsed.is_some()
}

/// Go `time.RFC3339`: `2006-01-02T15:04:05Z07:00`, optional fraction.
fn rfc3339(value: &str) -> bool {
    let Some(rest) = date(value) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix('T') else {
        return false;
    };
    let Some(mut rest) = clock(rest, Some(':'), 2, true) else {
        return false;
    };
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = fraction.get(n..).unwrap_or_default();
    }
    zone(rest, true)
}

/// `Z`, or `±HH:MM` (`±HHMM` when `colon` is false).
fn zone(rest: &str, colon: bool) -> bool {
    if rest == "Z" {
        return true;
    }
    let Some(offset) = rest.strip_prefix('+').or_else(|| rest.strip_prefix('-')) else {
        return false;
    };
    clock(offset, colon.then_some(':'), 2, false) == Some("")
}

/// Go `time.DateTime` (`2006-01-02 15:04:05`), the legacy cloud-nuke form.
fn go_date_time(value: &str, sep: char) -> bool {
    date(value)
        .and_then(|rest| rest.strip_prefix(sep))
        .and_then(|time| clock(time, Some(':'), 2, true))
        == Some("")
}

/// Kyverno's `2006-01-02T150405Z`.
fn kyverno_date_time(value: &str) -> bool {
    date(value)
        .and_then(|rest| rest.strip_prefix('T'))
        .and_then(|time| clock(time, None, 2, true))
        == Some("Z")
}

/// Any common way to write a date or time, including the form that fits
/// in a Google Cloud label (`2026-06-01t00-00-00z`).
fn any_timestamp(value: &str) -> bool {
    if date(value) == Some("")
        || janitor_expiry(value)
        || rfc3339(value)
        || go_date_time(value, ' ')
        || kyverno_date_time(value)
    {
        return true;
    }
    let lower = value.to_ascii_lowercase();
    let Some(time) = date(&lower).and_then(|rest| rest.strip_prefix('t')) else {
        return false;
    };
    [Some(':'), Some('-'), None].into_iter().any(|sep| {
        [true, false].into_iter().any(|seconds| {
            clock(time, sep, 2, seconds).is_some_and(|rest| {
                let rest = rest
                    .strip_prefix('.')
                    .map_or(rest, |f| f.trim_start_matches(|c: char| c.is_ascii_digit()));
                rest.is_empty() || rest == "z" || zone(&rest.to_ascii_uppercase(), sep.is_some())
            })
        })
    })
}

/// `30 days`, `12 hours`, `90 minutes`, `45 seconds`.
pub fn human(seconds: f64) -> String {
    let (n, unit) = if seconds >= 86_400.0 {
        (seconds / 86_400.0, "day")
    } else if seconds >= 3_600.0 {
        (seconds / 3_600.0, "hour")
    } else if seconds >= 60.0 {
        (seconds / 60.0, "minute")
    } else {
        (seconds, "second")
    };
    let n = (n * 10.0).round() / 10.0;
    let text = crate::terraform::value::format_number(n);
    if text == "1" {
        format!("1 {unit}")
    } else {
        format!("{text} {unit}s")
    }
}

/// A maximum duration from the configuration (`30d`, `720h`), checked when
/// the configuration is read.
#[derive(Debug, Clone, PartialEq)]
pub struct MaxTtl {
    source: String,
    pub seconds: f64,
}

impl MaxTtl {
    pub fn new(source: &str) -> Option<MaxTtl> {
        let seconds = go_duration(source).filter(|s| *s > 0.0)?;
        Some(MaxTtl {
            source: source.to_owned(),
            seconds,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }
}

impl Default for MaxTtl {
    fn default() -> Self {
        MaxTtl {
            source: "30d".into(),
            seconds: 30.0 * 86_400.0,
        }
    }
}

impl<'de> Deserialize<'de> for MaxTtl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let source = String::deserialize(d)?;
        MaxTtl::new(&source).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid duration `{source}`: expected a positive number and a unit such as `30d`, `720h` or `4w`"
            ))
        })
    }
}

impl Serialize for MaxTtl {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

impl schemars::JsonSchema for MaxTtl {
    fn schema_name() -> Cow<'static, str> {
        "MaxTtl".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A duration: numbers with units `s`, `m`, `h`, `d` or `w` (`30d`, `720h`)."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(format: Format, value: &str) -> bool {
        format.parse(value).is_some()
    }

    #[test]
    fn janitor_ttl() {
        assert_eq!(
            Format::Janitor.parse("7d"),
            Some(Ttl::Duration(Some(604_800.0)))
        );
        assert_eq!(Format::Janitor.parse("Forever"), Some(Ttl::Forever));
        for bad in ["7days", "1h30m", "7", "d", "", "-1d", "7 d", "1.5h"] {
            assert!(!ok(Format::Janitor, bad), "{bad}");
        }
    }

    #[test]
    fn janitor_expires() {
        for good in [
            "2026-06-01",
            "2026-06-01T12:30",
            "2026-06-01T12:30:00Z",
            "2026-6-1",
        ] {
            assert!(ok(Format::JanitorExpires, good), "{good}");
        }
        for bad in [
            "2026-02-30",
            "2026-06-01T12:30:00",
            "2026-06-01T12:30:00+02:00",
            "01/06/2026",
            "2026-06-01T25:00",
        ] {
            assert!(!ok(Format::JanitorExpires, bad), "{bad}");
        }
        assert!(ok(Format::JanitorExpires, "2028-02-29"));
        assert!(!ok(Format::JanitorExpires, "2100-02-29"));
    }

    #[test]
    fn go_durations() {
        assert_eq!(go_duration("1h30m"), Some(5_400.0));
        assert_eq!(go_duration("1.5h"), Some(5_400.0));
        assert_eq!(go_duration("7d"), Some(604_800.0));
        assert_eq!(go_duration("0"), Some(0.0));
        for bad in ["", "7", "h", "1x", "1..5h", "7 d"] {
            assert_eq!(go_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn kyverno_forms() {
        for good in ["4h", "1d", "2023-10-04", "2023-10-04T003000Z", "2days"] {
            assert!(ok(Format::Kyverno, good), "{good}");
        }
        for bad in ["tomorrow", "2023-10-04T00:30:00Z", "soon-ish"] {
            assert!(!ok(Format::Kyverno, bad), "{bad}");
        }
        assert_eq!(
            Format::Kyverno.parse("2days"),
            Some(Ttl::Duration(Some(172_800.0)))
        );
    }

    #[test]
    fn cloud_nuke() {
        for good in [
            "2026-06-01T00:00:00Z",
            "2026-06-01T00:00:00.5+02:00",
            "2026-06-01 00:00:00",
        ] {
            assert!(ok(Format::CloudNuke, good), "{good}");
        }
        for bad in ["2026-06-01", "7d", "2026-06-01T00:00Z"] {
            assert!(!ok(Format::CloudNuke, bad), "{bad}");
        }
    }

    #[test]
    fn conventions_accept_durations_and_dates() {
        for good in [
            "7d",
            "48h",
            "forever",
            "2026-06-01",
            "2026-06-01T00:00:00Z",
            "2026-06-01t00-00-00z",
            "7 days",
        ] {
            assert!(ok(Format::Convention, good), "{good}");
        }
        for bad in ["", "soon", "30", "2026-13-01", "TBD"] {
            assert!(!ok(Format::Convention, bad), "{bad}");
        }
    }

    #[test]
    fn humans_read_durations() {
        assert_eq!(human(90.0 * 86_400.0), "90 days");
        assert_eq!(human(86_400.0), "1 day");
        assert_eq!(human(36.0 * 3_600.0), "1.5 days");
        assert_eq!(human(5_400.0), "1.5 hours");
        assert_eq!(MaxTtl::new("30d").map(|m| m.seconds), Some(2_592_000.0));
        assert!(MaxTtl::new("30").is_none());
        assert!(MaxTtl::new("0s").is_none());
    }
}
