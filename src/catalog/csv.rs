//! The smallest CSV reader the embedded tables need.
//!
//! The tables are written by us, with no quoted fields (a unit test checks
//! that no `"` occurs), so a field is whatever lies between two commas.
//! Columns are found by header name, so reordering columns cannot shift
//! values into the wrong field.

/// An embedded table: its header and the text of its data rows.
pub(super) struct Csv {
    header: Vec<&'static str>,
    body: &'static str,
}

/// More columns than any table has; a wider header yields no rows, which
/// the row-count tests would catch.
const MAX_FIELDS: usize = 16;

/// One data row whose field count matches the header.
pub(super) struct Record<'a> {
    header: &'a [&'static str],
    fields: [&'static str; MAX_FIELDS],
}

impl Csv {
    pub(super) fn new(text: &'static str) -> Csv {
        let (first, body) = text.split_once('\n').unwrap_or((text, ""));
        let mut fields = [""; MAX_FIELDS];
        let count = split(first, &mut fields);
        Csv {
            header: fields.get(..count).unwrap_or_default().to_vec(),
            body,
        }
    }

    /// Rows with the wrong number of fields are skipped: the row-count tests
    /// catch them, and a lookup must never see values from the wrong column.
    pub(super) fn records(&self) -> impl Iterator<Item = Record<'_>> {
        self.body
            .lines()
            .filter(|line| !line.trim().is_empty())
            .filter_map(|line| {
                let mut fields = [""; MAX_FIELDS];
                (split(line, &mut fields) == self.header.len()).then_some(Record {
                    header: &self.header,
                    fields,
                })
            })
    }
}

/// Splits at commas into `fields` and returns how many there were
/// (`MAX_FIELDS + 1` for too many). A byte loop: `str::split` searched for
/// every comma with `memchr`, which cost more than the short fields, and
/// collected each row into a new vector; this was most of the time a
/// single-file run spent loading the catalog.
fn split(line: &'static str, fields: &mut [&'static str; MAX_FIELDS]) -> usize {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut count = 0;
    let mut start = 0;
    for (at, byte) in line.bytes().enumerate() {
        if byte == b',' {
            match (fields.get_mut(count), line.get(start..at)) {
                (Some(slot), Some(field)) => *slot = field,
                _ => return MAX_FIELDS + 1,
            }
            count += 1;
            start = at + 1;
        }
    }
    match (fields.get_mut(count), line.get(start..)) {
        (Some(slot), Some(field)) => *slot = field,
        _ => return MAX_FIELDS + 1,
    }
    count + 1
}

impl Record<'_> {
    /// `None` when the table has no such column: the row is then unusable.
    pub(super) fn text(&self, column: &str) -> Option<&'static str> {
        let index = self.header.iter().position(|name| *name == column)?;
        self.fields.get(index).copied()
    }

    /// A non-empty text cell; a missing key must not become an empty name.
    pub(super) fn name(&self, column: &str) -> Option<&'static str> {
        self.text(column).filter(|value| !value.is_empty())
    }

    /// `Some(None)` for an empty cell, `None` for a malformed one.
    pub(super) fn number(&self, column: &str) -> Option<Option<f64>> {
        match self.text(column)? {
            "" => Some(None),
            value => value
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map(Some),
        }
    }

    /// Like [`Record::number`], but zero also means unknown: no machine has
    /// zero vCPUs or zero memory, and no list price is free, so a zero in
    /// these columns is a gap in the source, not a value.
    pub(super) fn positive(&self, column: &str) -> Option<Option<f64>> {
        self.number(column).map(|n| n.filter(|n| *n > 0.0))
    }

    /// `Some(None)` for an empty cell, `None` for a malformed one.
    pub(super) fn count(&self, column: &str) -> Option<Option<u32>> {
        match self.text(column)? {
            "" => Some(None),
            value => value.parse::<u32>().ok().map(Some),
        }
    }

    /// `None` for anything but `true`/`false`, so a typo is caught rather
    /// than silently read as `false`.
    pub(super) fn flag(&self, column: &str) -> Option<bool> {
        match self.text(column)? {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_rows_with_the_wrong_field_count() {
        let csv = Csv::new("a,b\n1,2\n3\n4,5,6\n\n7,8\n");
        let firsts: Vec<_> = csv.records().filter_map(|r| r.text("a")).collect();
        assert_eq!(firsts, ["1", "7"]);
    }

    #[test]
    fn crlf_empty_fields_and_too_many_columns() {
        let csv = Csv::new("a,b,c\r\n,x,\r\n1,2,3\n");
        let rows: Vec<_> = csv.records().collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].text("a"), Some(""));
        assert_eq!(rows[0].text("b"), Some("x"));
        assert_eq!(rows[0].text("c"), Some(""));
        assert_eq!(rows[1].text("c"), Some("3"));
        let wide = vec!["h"; MAX_FIELDS + 1].join(",");
        let csv = Csv::new(Box::leak(format!("{wide}\n{wide}\n").into_boxed_str()));
        assert_eq!(csv.records().count(), 0);
        let fits = vec!["h"; MAX_FIELDS].join(",");
        let csv = Csv::new(Box::leak(
            format!("{fits}\n{fits}\n{wide}\n").into_boxed_str(),
        ));
        assert_eq!(csv.records().count(), 1);
    }

    #[test]
    fn cells() {
        let csv = Csv::new("n,x,c,f\nname,1.5,3,true\n,,,false\nbad,-1,x,yes\nz,0,0,false\n");
        let rows: Vec<_> = csv.records().collect();
        assert_eq!(rows[0].name("n"), Some("name"));
        assert_eq!(rows[0].number("x"), Some(Some(1.5)));
        assert_eq!(rows[0].count("c"), Some(Some(3)));
        assert_eq!(rows[0].flag("f"), Some(true));
        assert_eq!(rows[1].name("n"), None);
        assert_eq!(rows[1].number("x"), Some(None));
        assert_eq!(rows[1].count("c"), Some(None));
        assert_eq!(rows[2].number("x"), None);
        assert_eq!(rows[2].count("c"), None);
        assert_eq!(rows[2].flag("f"), None);
        assert_eq!(rows[3].number("x"), Some(Some(0.0)));
        assert_eq!(rows[3].positive("x"), Some(None));
        assert_eq!(rows[0].text("missing"), None);
    }
}
