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

/// One data row whose field count matches the header.
pub(super) struct Record<'a> {
    header: &'a [&'static str],
    fields: Vec<&'static str>,
}

impl Csv {
    pub(super) fn new(text: &'static str) -> Csv {
        let (first, body) = text.split_once('\n').unwrap_or((text, ""));
        Csv {
            header: split(first),
            body,
        }
    }

    /// Rows with the wrong number of fields are skipped: the row-count tests
    /// catch them, and a lookup must never see values from the wrong column.
    pub(super) fn records(&self) -> impl Iterator<Item = Record<'_>> {
        self.body
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(split)
            .filter(|fields| fields.len() == self.header.len())
            .map(|fields| Record {
                header: &self.header,
                fields,
            })
    }
}

fn split(line: &'static str) -> Vec<&'static str> {
    line.trim_end_matches('\r').split(',').collect()
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
