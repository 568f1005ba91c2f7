//! YAML frontmatter into values: saphyr-parser's events built into a small tree, with
//! the line of each top-level key taken from the parser, and the limits that keep alias
//! bombs and deep nesting cheap. Scalars resolve as serde_yaml 0.9 resolved them
//! (YAML 1.2 core schema), so files read the same as before the parser changed.

use rustc_hash::FxHashMap;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};

/// A YAML value, as the frontmatter readers see it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Sequence(Vec<Value>),
    Mapping(Mapping),
    /// A value under a local tag (`!secret text`): read as the value itself.
    Tagged(Box<Value>),
}

/// A YAML number, printed as serde_yaml printed it (`1.5`, `.inf`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    PosInt(u64),
    NegInt(i64),
    Float(f64),
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Number::PosInt(i) => write!(f, "{i}"),
            Number::NegInt(i) => write!(f, "{i}"),
            Number::Float(x) if x.is_nan() => f.write_str(".nan"),
            Number::Float(x) if x.is_infinite() => {
                f.write_str(if x < 0.0 { "-.inf" } else { ".inf" })
            }
            Number::Float(x) => f.write_str(ryu::Buffer::new().format_finite(x)),
        }
    }
}

impl From<i64> for Number {
    fn from(i: i64) -> Self {
        if i < 0 {
            Number::NegInt(i)
        } else {
            Number::PosInt(i.unsigned_abs())
        }
    }
}

/// The entries of a YAML mapping, in file order; keys are unique.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapping {
    entries: Vec<(Value, Value)>,
}

impl Mapping {
    pub fn iter(&self) -> impl Iterator<Item = (&Value, &Value)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Sets `key` to `value`: in place when the key is there, else at the end.
    pub fn insert(&mut self, key: Value, value: Value) {
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.entries.push((key, value)),
        }
    }
}

impl FromIterator<(Value, Value)> for Mapping {
    fn from_iter<I: IntoIterator<Item = (Value, Value)>>(iter: I) -> Self {
        let mut mapping = Mapping::default();
        for (key, value) in iter {
            mapping.insert(key, value);
        }
        mapping
    }
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

/// A parsed frontmatter document: its value, and (key, 1-based line in the YAML) for
/// each top-level text key, in file order.
#[derive(Debug)]
pub struct Document {
    pub value: Value,
    pub key_lines: Vec<(String, usize)>,
}

/// Why a document could not be read, and where (1-based line and column in the YAML;
/// `None` when the problem is the document as a whole).
#[derive(Debug, PartialEq)]
pub struct Error {
    pub message: String,
    pub at: Option<(usize, usize)>,
}

/// As deep as collections may nest (serde_yaml's limit).
const MAX_DEPTH: usize = 128;
/// Alias expansions allowed per event of the document (serde_yaml's limit): a few
/// aliases are fine, nine levels of nine (9^9 copies) are not.
const EXPANSIONS_PER_EVENT: usize = 100;

pub fn parse(yaml: &str) -> Result<Document, Error> {
    let mut builder = Builder::default();
    let mut documents = 0;
    for event in Parser::new_from_str(yaml) {
        let (event, span) = event.map_err(scan_error)?;
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => {}
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(Error {
                        message: "deserializing from YAML containing more than one document \
                                  is not supported"
                            .to_string(),
                        at: None,
                    });
                }
            }
            event => builder.event(event, span)?,
        }
    }
    let expansions_allowed = builder.events.saturating_mul(EXPANSIONS_PER_EVENT);
    if builder.expansions > expansions_allowed {
        return Err(Error {
            message: "repetition limit exceeded".to_string(),
            at: None,
        });
    }
    Ok(Document {
        value: builder.root.unwrap_or(Value::Null),
        key_lines: builder.key_lines,
    })
}

fn scan_error(error: ScanError) -> Error {
    let mark = error.marker();
    Error {
        message: error.info().to_string(),
        at: Some((mark.line(), mark.col() + 1)),
    }
}

fn at(span: &Span) -> Option<(usize, usize)> {
    Some((span.start.line(), span.start.col() + 1))
}

/// A collection being built: its anchor, whether a local tag wraps it, and (for a
/// mapping) the key waiting for its value.
enum Open {
    Sequence {
        anchor: usize,
        tagged: bool,
        items: Vec<Value>,
        cost: usize,
    },
    Mapping {
        anchor: usize,
        tagged: bool,
        mapping: Mapping,
        key: Option<Value>,
        /// The key's text when it was a scalar, for error paths (`tags[1]`).
        key_text: Option<String>,
        cost: usize,
        start: Span,
    },
}

#[derive(Default)]
struct Builder {
    open: Vec<Open>,
    root: Option<Value>,
    /// Each anchored value, and how many expansions one more copy of it costs.
    anchors: FxHashMap<usize, (Value, usize)>,
    key_lines: Vec<(String, usize)>,
    events: usize,
    expansions: usize,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), Error> {
        self.events += 1;
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar(&text, style, tag.as_deref()).map_err(|message| Error {
                    message: self.with_path(message),
                    at: at(&span),
                })?;
                if let Some(Open::Mapping {
                    key: None,
                    key_text,
                    ..
                }) = self.open.last_mut()
                {
                    *key_text = Some(text.to_string());
                }
                if anchor > 0 {
                    self.anchors.insert(anchor, (value.clone(), 0));
                }
                // Only the top-level mapping's keys are placed; nested keys never are.
                let is_top_key = matches!(self.open.as_slice(), [Open::Mapping { key: None, .. }]);
                if is_top_key {
                    if let Value::String(key) = &value {
                        self.key_lines.push((key.to_lowercase(), span.start.line()));
                    }
                }
                self.add(value, 0, &span)
            }
            Event::Alias(anchor) => {
                let Some((value, cost)) = self.anchors.get(&anchor) else {
                    return Err(Error {
                        message: "unknown anchor".to_string(),
                        at: at(&span),
                    });
                };
                let cost = cost.saturating_add(1);
                self.expansions = self.expansions.saturating_add(cost);
                // Stop before copying: the copy itself is what a bomb makes huge.
                if self.expansions > self.events.saturating_mul(EXPANSIONS_PER_EVENT) {
                    return Err(Error {
                        message: "repetition limit exceeded".to_string(),
                        at: None,
                    });
                }
                let value = value.clone();
                self.add(value, cost, &span)
            }
            Event::SequenceStart(anchor, tag) => {
                self.deeper(&span)?;
                self.open.push(Open::Sequence {
                    anchor,
                    tagged: is_local(tag.as_deref()),
                    items: Vec::new(),
                    cost: 0,
                });
                Ok(())
            }
            Event::MappingStart(anchor, tag) => {
                self.deeper(&span)?;
                self.open.push(Open::Mapping {
                    anchor,
                    tagged: is_local(tag.as_deref()),
                    mapping: Mapping::default(),
                    key: None,
                    key_text: None,
                    cost: 0,
                    start: span,
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor, tagged, cost) = match self.open.pop() {
                    Some(Open::Sequence {
                        anchor,
                        tagged,
                        items,
                        cost,
                    }) => (Value::Sequence(items), anchor, tagged, cost),
                    Some(Open::Mapping {
                        anchor,
                        tagged,
                        mapping,
                        cost,
                        ..
                    }) => (Value::Mapping(mapping), anchor, tagged, cost),
                    None => return Ok(()),
                };
                let value = if tagged {
                    Value::Tagged(Box::new(value))
                } else {
                    value
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, (value.clone(), cost));
                }
                self.add(value, cost, &span)
            }
            _ => Ok(()),
        }
    }

    /// `message` after the path to the value it is about (`tags[1]: ...`), as serde_yaml
    /// wrote it; nothing before a problem with the document itself.
    fn with_path(&self, message: String) -> String {
        let mut path = String::new();
        for open in &self.open {
            match open {
                Open::Sequence { items, .. } => {
                    if path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&format!("[{}]", items.len()));
                }
                Open::Mapping { key: None, .. } => {}
                Open::Mapping { key_text, .. } => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key_text.as_deref().unwrap_or("?"));
                }
            }
        }
        if path.is_empty() {
            message
        } else {
            format!("{path}: {message}")
        }
    }

    fn deeper(&self, span: &Span) -> Result<(), Error> {
        if self.open.len() >= MAX_DEPTH {
            return Err(Error {
                message: "recursion limit exceeded".to_string(),
                at: at(span),
            });
        }
        Ok(())
    }

    /// Puts a finished value into the collection around it (or makes it the document).
    fn add(&mut self, value: Value, cost: usize, span: &Span) -> Result<(), Error> {
        match self.open.last_mut() {
            None => self.root = Some(value),
            Some(Open::Sequence { items, cost: c, .. }) => {
                items.push(value);
                *c = c.saturating_add(cost);
            }
            Some(Open::Mapping {
                mapping,
                key,
                key_text,
                cost: c,
                start,
                ..
            }) => {
                *c = c.saturating_add(cost);
                match key.take() {
                    None => *key = Some(value),
                    Some(k) => {
                        *key_text = None;
                        if mapping.entries.iter().any(|(existing, _)| *existing == k) {
                            let _ = span;
                            return Err(Error {
                                message: duplicate_key(&k),
                                at: at(start),
                            });
                        }
                        mapping.entries.push((k, value));
                    }
                }
            }
        }
        Ok(())
    }
}

fn duplicate_key(key: &Value) -> String {
    match key {
        Value::Null => "duplicate entry with null key".to_string(),
        Value::Bool(b) => format!("duplicate entry with key `{b}`"),
        Value::Number(n) => format!("duplicate entry with key {n}"),
        Value::String(s) => format!("duplicate entry with key {s:?}"),
        _ => "duplicate entry in YAML map".to_string(),
    }
}

const CORE: &str = "tag:yaml.org,2002:";

/// A tag of the file's own (`!secret`), as opposed to one of YAML's (`!!str`).
fn is_local(tag: Option<&Tag>) -> bool {
    tag.is_some_and(|tag| tag.handle != CORE && tag.handle.starts_with('!'))
}

/// A scalar's value from its text, style and tag; `Err` says what is wrong with it.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    let plain = style == ScalarStyle::Plain;
    let invalid = |expected: &str| format!("invalid value: string {text:?}, expected {expected}");
    match tag {
        Some(tag) if tag.handle == CORE => match tag.suffix.as_str() {
            "bool" => parse_bool(text)
                .map(Value::Bool)
                .ok_or_else(|| invalid("a boolean")),
            "int" => match parse_int(text) {
                Some(number) => number.map(Value::Number),
                None => Err(invalid("an integer")),
            },
            "float" => parse_f64(text)
                .map(|f| Value::Number(Number::Float(f)))
                .ok_or_else(|| invalid("a float")),
            "null" => is_null(text)
                .then_some(Value::Null)
                .ok_or_else(|| invalid("null")),
            _ => Ok(Value::String(text.to_string())),
        },
        Some(tag) if is_local(Some(tag)) => Ok(Value::Tagged(Box::new(if plain {
            untagged(text)?
        } else {
            Value::String(text.to_string())
        }))),
        _ if plain => untagged(text),
        _ => Ok(Value::String(text.to_string())),
    }
}

/// A plain scalar's type from its text: null, a boolean, a number, or text.
fn untagged(text: &str) -> Result<Value, String> {
    if text.is_empty() || is_null(text) {
        return Ok(Value::Null);
    }
    if let Some(b) = parse_bool(text) {
        return Ok(Value::Bool(b));
    }
    if let Some(number) = parse_int(text) {
        return number.map(Value::Number);
    }
    if !digits_but_not_number(text) {
        if let Some(f) = parse_f64(text) {
            return Ok(Value::Number(Number::Float(f)));
        }
    }
    Ok(Value::String(text.to_string()))
}

fn is_null(text: &str) -> bool {
    matches!(text, "null" | "Null" | "NULL" | "~")
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// An integer as serde_yaml read one (decimal, `0x`, `0o`, `0b`, a sign). One that
/// does not fit 64 bits is refused, as serde_yaml's value refused it.
fn parse_int(text: &str) -> Option<Result<Number, String>> {
    if let Some(n) = parse_unsigned(text) {
        return Some(
            u64::try_from(n).map(Number::PosInt).map_err(|_| {
                format!("invalid type: integer `{n}` as u128, expected any YAML value")
            }),
        );
    }
    let n = parse_negative(text)?;
    Some(match i64::try_from(n) {
        Ok(n) if n < 0 => Ok(Number::NegInt(n)),
        Ok(n) => Ok(Number::PosInt(n.unsigned_abs())),
        Err(_) => Err(format!(
            "invalid type: integer `{n}` as i128, expected any YAML value"
        )),
    })
}

fn parse_unsigned(text: &str) -> Option<u128> {
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unsigned.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(n) = u128::from_str_radix(rest, radix) {
                return Some(n);
            }
        }
    }
    if unsigned.starts_with(['+', '-']) || digits_but_not_number(text) {
        return None;
    }
    unsigned.parse().ok()
}

fn parse_negative(text: &str) -> Option<i128> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = text.strip_prefix(prefix) {
            if let Ok(n) = i128::from_str_radix(&format!("-{rest}"), radix) {
                return Some(n);
            }
        }
    }
    if digits_but_not_number(text) {
        return None;
    }
    text.parse().ok()
}

fn parse_f64(text: &str) -> Option<f64> {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    if let ".inf" | ".Inf" | ".INF" = unsigned {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = text {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = text {
        return Some(f64::NAN);
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `007` is text in YAML 1.2, not seven.
fn digits_but_not_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}
