//! Kubernetes resource quantities (`500m`, `1.5`, `512Mi`, `1G`, `1e3`),
//! parsed exactly as integers of thousandths, the precision Kubernetes keeps.

/// A quantity in thousandths of its base unit (millicores, millibytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity {
    pub millis: i128,
}

impl Quantity {
    pub fn from_units(units: i128) -> Self {
        Quantity {
            millis: units * 1000,
        }
    }

    pub fn as_f64(self) -> f64 {
        self.millis as f64 / 1000.0
    }

    /// Parses the Kubernetes quantity grammar. `None` when it does not
    /// match, so a rule treats the value as unknown rather than guessing.
    pub fn parse(input: &str) -> Option<Quantity> {
        let s = input.trim();
        let (sign, s) = match s.as_bytes().first()? {
            b'-' => (-1, s.get(1..)?),
            b'+' => (1, s.get(1..)?),
            _ => (1, s),
        };
        let digits_end = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(s.len());
        let (number, suffix) = s.split_at(digits_end);
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return None;
        }
        let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
        if int_part.len() + frac_part.len() > 30 {
            return None;
        }
        let mantissa: i128 = format!("{int_part}{frac_part}").parse().ok()?;
        let scale = u32::try_from(frac_part.len()).ok()?;
        // value = mantissa * 10^-scale * multiplier, where multiplier is
        // num / 10^den_pow
        let (num, ten_pow): (i128, i32) = match suffix {
            "" => (1, 0),
            "n" => (1, -9),
            "u" => (1, -6),
            "m" => (1, -3),
            "k" => (1, 3),
            "M" => (1, 6),
            "G" => (1, 9),
            "T" => (1, 12),
            "P" => (1, 15),
            "E" => (1, 18),
            "Ki" => (1 << 10, 0),
            "Mi" => (1 << 20, 0),
            "Gi" => (1 << 30, 0),
            "Ti" => (1 << 40, 0),
            "Pi" => (1 << 50, 0),
            "Ei" => (1 << 60, 0),
            exp if exp.starts_with(['e', 'E']) => {
                let e: i32 = exp.get(1..)?.parse().ok()?;
                if !(-30..=30).contains(&e) {
                    return None;
                }
                (1, e)
            }
            _ => return None,
        };
        // millis = mantissa * num * 10^(ten_pow + 3 - scale), rounded up
        let exponent = ten_pow + 3 - i32::try_from(scale).ok()?;
        let base = mantissa.checked_mul(num)?;
        let millis = if exponent >= 0 {
            base.checked_mul(10i128.checked_pow(u32::try_from(exponent).ok()?)?)?
        } else {
            let div = 10i128.checked_pow(u32::try_from(-exponent).ok()?)?;
            (base + div - 1) / div
        };
        Some(Quantity {
            millis: millis * sign,
        })
    }
}

/// Formats bytes the way people write memory sizes: `64Gi`, `1.5Gi`, `512Mi`.
pub fn format_bytes(bytes: f64) -> String {
    const UNITS: [(&str, f64); 4] = [
        ("Ti", 1024.0 * 1024.0 * 1024.0 * 1024.0),
        ("Gi", 1024.0 * 1024.0 * 1024.0),
        ("Mi", 1024.0 * 1024.0),
        ("Ki", 1024.0),
    ];
    for (unit, size) in UNITS {
        if bytes >= size {
            return format!("{}{unit}", trim_number(bytes / size));
        }
    }
    trim_number(bytes)
}

/// `2`, `1.5`, `0.25`: at most two decimals, no trailing zeros.
pub fn trim_number(value: f64) -> String {
    let s = format!("{value:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Option<i128> {
        Quantity::parse(s).map(|q| q.millis)
    }

    #[test]
    fn cpu_quantities() {
        assert_eq!(q("500m"), Some(500));
        assert_eq!(q("2"), Some(2000));
        assert_eq!(q("1.5"), Some(1500));
        assert_eq!(q("0.1"), Some(100));
        assert_eq!(q("1e3"), Some(1_000_000));
        assert_eq!(q("100u"), Some(1)); // rounds up to a millicore
    }

    #[test]
    fn memory_quantities() {
        assert_eq!(q("512Mi"), Some(512 * 1024 * 1024 * 1000));
        assert_eq!(q("1G"), Some(1_000_000_000_000));
        assert_eq!(q("1.5Gi"), Some(1_610_612_736_000));
        assert_eq!(q("64Gi").map(|m| m / 1000), Some(64 << 30));
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "abc", "1.2.3", "5MB", "{{ .Values.cpu }}", "1e99", "."] {
            assert_eq!(q(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(format_bytes(64.0 * 1024.0 * 1024.0 * 1024.0), "64Gi");
        assert_eq!(format_bytes(1.5 * 1024.0 * 1024.0 * 1024.0), "1.5Gi");
        assert_eq!(trim_number(4.0), "4");
    }
}
