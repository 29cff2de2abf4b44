//! A small JSON reader and writer: the widget's only JSON code.
//!
//! serde and serde_json, monomorphised for the API's wire types, were a
//! quarter of the widget's wasm. The widget reads a few dozen fields, so it
//! parses answers into this plain tree and picks what it shows (`answers.rs`),
//! and writes its few request bodies the same way. Numbers keep their text:
//! the API's money is decimal strings anyway, and quantities are integers.
//!
//! Over 400 lines only with its tests (the code is under 400): one grammar,
//! read and written, with its edge cases tested beside it.

/// A parsed JSON value.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Json {
    #[default]
    Null,
    Bool(bool),
    /// The number as written, e.g. `"2"` or `"-0.5e3"`.
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in document order.
    Object(Vec<(String, Json)>),
}

/// Answers nested deeper than this are refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

static NULL: Json = Json::Null;

/// Why a text is not JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset where reading stopped.
    pub offset: usize,
    pub expected: &'static str,
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "invalid JSON at byte {}: expected {}",
            self.offset, self.expected
        )
    }
}

impl Json {
    /// Parses a whole JSON text (surrounding whitespace allowed).
    pub fn parse(text: &str) -> Result<Json, JsonError> {
        let mut reader = Reader { text, at: 0 };
        let value = reader.value(0)?;
        reader.skip_whitespace();
        if reader.at == text.len() {
            Ok(value)
        } else {
            Err(reader.error("end of text"))
        }
    }

    /// An object from `(name, value)` members; `Null` members are left out,
    /// as the API treats a missing field and `null` alike.
    pub fn object<'a>(members: impl IntoIterator<Item = (&'a str, Json)>) -> Json {
        Json::Object(
            members
                .into_iter()
                .filter(|(_, value)| *value != Json::Null)
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
        )
    }

    /// A string value.
    pub fn str(text: &str) -> Json {
        Json::String(text.to_owned())
    }

    /// A string value, or `Null` for `None`.
    pub fn opt_str(text: Option<&str>) -> Json {
        text.map_or(Json::Null, Json::str)
    }

    /// An integer value.
    pub fn int(number: impl Into<i64>) -> Json {
        Json::Number(number.into().to_string())
    }

    /// The member `name` of an object; `Null` when absent or not an object.
    pub fn get(&self, name: &str) -> &Json {
        match self {
            Json::Object(members) => members
                .iter()
                .find(|(key, _)| key == name)
                .map_or(&NULL, |(_, value)| value),
            _ => &NULL,
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    /// The text of a string value, owned.
    pub fn to_opt_string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }

    /// The text of a string value; empty when it is not one.
    pub fn to_string_or_empty(&self) -> String {
        self.as_str().unwrap_or_default().to_owned()
    }

    /// The elements of an array; none when it is not one.
    pub fn items(&self) -> &[Json] {
        match self {
            Json::Array(items) => items,
            _ => &[],
        }
    }

    /// A non-negative integer that fits `u32` (a number, or a string of
    /// digits, as some Wix fields carry counts as strings).
    pub fn as_u32(&self) -> Option<u32> {
        match self {
            Json::Number(text) | Json::String(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// Whether the value is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }

    /// The JSON text of the value, compact.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(true) => out.push_str("true"),
            Json::Bool(false) => out.push_str("false"),
            Json::Number(text) => out.push_str(text),
            Json::String(text) => write_string(text, out),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (name, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(name, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_string(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' => {
                out.push_str("\\u00");
                out.push(char::from(HEX[c as usize >> 4]));
                out.push(char::from(HEX[c as usize & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn error(&self, expected: &'static str) -> JsonError {
        JsonError {
            offset: self.at,
            expected,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// The text from `from` to `to`. The reader only ever stops at ASCII
    /// bytes, which are character boundaries, so this is never cut short; it
    /// is `get`, not indexing, because indexing a `str` links its panic path
    /// (1.3 KB of wasm).
    fn slice(&self, from: usize, to: usize) -> &str {
        self.text.get(from..to).unwrap_or_default()
    }

    /// The text not read yet.
    fn rest(&self) -> &str {
        self.slice(self.at, self.text.len())
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Consumes `word` if the text continues with it.
    fn eat(&mut self, word: &str) -> bool {
        let found = self.rest().starts_with(word);
        if found {
            self.at += word.len();
        }
        found
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("less nesting"));
        }
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ if self.eat("null") => Ok(Json::Null),
            _ if self.eat("true") => Ok(Json::Bool(true)),
            _ if self.eat("false") => Ok(Json::Bool(false)),
            _ => Err(self.error("a value")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.at += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.eat("}") {
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("a member name"));
            }
            let name = self.string()?;
            self.skip_whitespace();
            if !self.eat(":") {
                return Err(self.error("':'"));
            }
            members.push((name, self.value(depth + 1)?));
            self.skip_whitespace();
            if self.eat("}") {
                return Ok(Json::Object(members));
            }
            if !self.eat(",") {
                return Err(self.error("',' or '}'"));
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.eat("]") {
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            if self.eat("]") {
                return Ok(Json::Array(items));
            }
            if !self.eat(",") {
                return Err(self.error("',' or ']'"));
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.at;
        self.eat("-");
        if !self.eat("0") && self.digits() == 0 {
            return Err(self.error("a digit"));
        }
        if self.eat(".") && self.digits() == 0 {
            return Err(self.error("a digit"));
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("a digit"));
            }
        }
        Ok(Json::Number(self.slice(start, self.at).to_owned()))
    }

    /// A string starting at the opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character.
            let run = self
                .rest()
                .bytes()
                .take_while(|&b| b != b'"' && b != b'\\' && b >= 0x20)
                .count();
            out.push_str(self.slice(self.at, self.at + run));
            self.at += run;
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    out.push(self.escape()?);
                }
                _ => return Err(self.error("'\"'")),
            }
        }
    }

    /// The character of an escape, after its backslash.
    fn escape(&mut self) -> Result<char, JsonError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.at += 1;
                let unit = self.hex4()?;
                return match unit {
                    0xD800..=0xDBFF => {
                        if !self.eat("\\u") {
                            return Err(self.error("a low surrogate"));
                        }
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.error("a low surrogate"));
                        }
                        let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        char::from_u32(code).ok_or_else(|| self.error("a character"))
                    }
                    _ => char::from_u32(unit).ok_or_else(|| self.error("a character")),
                };
            }
            _ => return Err(self.error("an escape")),
        };
        self.at += 1;
        Ok(c)
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .filter(|digits| digits.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("four hex digits"))?;
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("four hex digits"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_of_value() {
        let json =
            Json::parse(r#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "": {}} "#)
                .unwrap();
        assert_eq!(
            json.get("a").items(),
            [
                Json::Number("1".into()),
                Json::Number("-2.5e3".into()),
                Json::Bool(true),
                Json::Bool(false),
                Json::Null
            ]
        );
        assert_eq!(json.get("b").get("c").as_str(), Some("d"));
        assert_eq!(json.get(""), &Json::Object(vec![]));
        assert_eq!(json.get("missing"), &Json::Null);
        assert_eq!(json.get("a").get("not an object"), &Json::Null);
    }

    #[test]
    fn decodes_string_escapes_and_surrogate_pairs() {
        let json = Json::parse(r#""q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\uDE00 ü""#).unwrap();
        assert_eq!(json.as_str(), Some("q\" b\\ s/ \u{8}\u{c}\n\r\t é 😀 ü"));
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "{'a': 1}",
            "01",
            "1.",
            "-",
            "1e",
            "\"unterminated",
            "\"tab\there\"",
            "\"\\x\"",
            "\"\\ud83d\"",
            "\"\\ud83d\\u0041\"",
            "nul",
            "[1] 2",
            "{\"a\":1,}",
        ] {
            assert!(Json::parse(text).is_err(), "{text:?} was accepted");
        }
    }

    #[test]
    fn refuses_nesting_past_the_limit_instead_of_overflowing() {
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert_eq!(Json::parse(&deep).unwrap_err().expected, "less nesting");
        let fine = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(Json::parse(&fine).is_ok());
    }

    #[test]
    fn writes_what_it_reads_and_what_serde_json_reads() {
        let value = Json::object([
            (
                "text",
                Json::str("a \"quoted\" \\ line\nwith\u{1} control é 😀"),
            ),
            ("count", Json::int(3u32)),
            ("none", Json::Null),
            (
                "list",
                Json::Array(vec![Json::Bool(true), Json::object([])]),
            ),
        ]);
        let text = value.to_json();
        assert!(!text.contains("none"), "null members are left out: {text}");
        assert_eq!(Json::parse(&text).unwrap(), value);
        let by_serde: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            by_serde["text"],
            "a \"quoted\" \\ line\nwith\u{1} control é 😀"
        );
        assert_eq!(by_serde["count"], 3);
    }

    #[test]
    fn reads_counts_from_numbers_or_digit_strings() {
        let json = Json::parse(r#"{"a": 7, "b": "12", "c": -1, "d": 1.5, "e": null}"#).unwrap();
        let counts: Vec<_> = ["a", "b", "c", "d", "e"]
            .map(|name| json.get(name).as_u32())
            .into();
        assert_eq!(counts, [Some(7), Some(12), None, None, None]);
    }
}
