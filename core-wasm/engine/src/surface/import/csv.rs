//! A small RFC 4180-style record reader (one record per line; quoted fields with `""` escapes) and the
//! field parsers shared by the CSV importers. Every failure becomes a [`RowError`] naming row and column.

use crate::surface::chain::{FieldProblem, ImportError, OptionKind, RowError};

/// A parsed header: column names in order.
pub(crate) struct Header {
    names: Vec<String>,
}

impl Header {
    pub(crate) fn new(fields: Vec<String>) -> Self {
        Self {
            names: fields.into_iter().map(|f| f.trim().to_string()).collect(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// Index of a column (exact match first, then case-insensitive).
    pub(crate) fn find(&self, column: &str) -> Option<usize> {
        self.names
            .iter()
            .position(|n| n == column)
            .or_else(|| self.names.iter().position(|n| n.eq_ignore_ascii_case(column)))
    }

    /// Index of a required column.
    pub(crate) fn require(&self, column: &str) -> Result<usize, ImportError> {
        self.find(column).ok_or_else(|| ImportError::MissingColumn {
            column: column.to_string(),
            available: self.names.join(","),
        })
    }
}

/// One data line: its 1-based line number and its fields (or why they could not be split).
pub(crate) type Record = (usize, Result<Vec<String>, FieldProblem>);

/// Data lines of a CSV text after the header, skipping blank lines.
/// Returns the header and an iterator over the records.
pub(crate) fn records(
    text: &str,
    delimiter: char,
) -> Result<(Header, impl Iterator<Item = Record> + '_), ImportError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header_line) = lines.next().ok_or(ImportError::Empty)?;
    let header_line = header_line.trim_start_matches('\u{feff}');
    let header = split_record(header_line, delimiter).map_err(|_| ImportError::MissingColumn {
        column: "(header)".to_string(),
        available: header_line.to_string(),
    })?;
    Ok((
        Header::new(header),
        lines.map(move |(n, l)| (n, split_record(l, delimiter))),
    ))
}

/// Splits one line into fields, honouring double quotes.
pub(crate) fn split_record(line: &str, delimiter: char) -> Result<Vec<String>, FieldProblem> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && field.trim().is_empty() {
            field.clear();
            in_quotes = true;
        } else if c == delimiter {
            fields.push(std::mem::take(&mut field));
        } else {
            field.push(c);
        }
    }
    if in_quotes {
        return Err(FieldProblem::UnterminatedQuote);
    }
    fields.push(field);
    Ok(fields)
}

/// Accessor for one record that turns field problems into row errors.
pub(crate) struct Row<'a> {
    pub(crate) line: usize,
    pub(crate) fields: &'a [String],
}

impl Row<'_> {
    pub(crate) fn raw(&self, index: usize) -> &str {
        self.fields.get(index).map_or("", |s| s.trim())
    }

    pub(crate) fn error(&self, column: &str, index: usize, problem: FieldProblem) -> RowError {
        RowError::new(self.line, column, self.raw(index), problem)
    }

    /// A finite number (no sign restriction).
    pub(crate) fn number(&self, column: &str, index: usize) -> Result<f64, RowError> {
        parse_number(self.raw(index)).map_err(|p| self.error(column, index, p))
    }

    /// A strictly positive number.
    pub(crate) fn positive(&self, column: &str, index: usize) -> Result<f64, RowError> {
        let v = self.number(column, index)?;
        if v > 0.0 {
            Ok(v)
        } else {
            Err(self.error(column, index, FieldProblem::NonPositive))
        }
    }

    /// A price side: empty or zero means "not quoted"; negative values are errors.
    pub(crate) fn price_side(&self, column: &str, index: usize) -> Result<Option<f64>, RowError> {
        let raw = self.raw(index);
        if raw.is_empty() || raw.eq_ignore_ascii_case("nan") || raw.eq_ignore_ascii_case("null") {
            return Ok(None);
        }
        let v = self.number(column, index)?;
        price_side_value(v).map_err(|p| self.error(column, index, p))
    }

    /// An informational positive number: anything unusable is simply absent.
    pub(crate) fn lenient_positive(&self, index: Option<usize>) -> Option<f64> {
        let v: f64 = self.raw(index?).parse().ok()?;
        (v.is_finite() && v > 0.0).then_some(v)
    }

    pub(crate) fn option_kind(&self, column: &str, index: usize) -> Result<OptionKind, RowError> {
        OptionKind::parse(self.raw(index))
            .ok_or_else(|| self.error(column, index, FieldProblem::UnknownOptionType))
    }
}

/// Parses a finite decimal number.
pub(crate) fn parse_number(raw: &str) -> Result<f64, FieldProblem> {
    if raw.is_empty() {
        return Err(FieldProblem::Missing);
    }
    let v: f64 = raw.parse().map_err(|_| FieldProblem::NotANumber)?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(FieldProblem::NotFinite)
    }
}

/// Classifies a parsed price side: zero → not quoted, negative → error.
pub(crate) fn price_side_value(v: f64) -> Result<Option<f64>, FieldProblem> {
    if !v.is_finite() {
        Err(FieldProblem::NotFinite)
    } else if v < 0.0 {
        Err(FieldProblem::Negative)
    } else if v == 0.0 {
        Ok(None)
    } else {
        Ok(Some(v))
    }
}

/// Rejects a crossed market (bid above ask).
pub(crate) fn check_not_crossed(bid: Option<f64>, ask: Option<f64>) -> Result<(), FieldProblem> {
    match (bid, ask) {
        (Some(b), Some(a)) if b > a => Err(FieldProblem::CrossedQuote { bid: b, ask: a }),
        _ => Ok(()),
    }
}
