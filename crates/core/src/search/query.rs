//! The search query language: words (all must match), `"quoted phrases"`, `prefix*`,
//! `-excluded` words, and the filters `paper:ID` and `year:YYYY`.

use crate::error::{Error, Result};

/// One clause of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// A word, matched after stemming; `prefix` when it ended in `*`.
    Word {
        /// The word as typed.
        text: String,
        /// True for `word*`.
        prefix: bool,
        /// True for `-word`.
        negate: bool,
    },
    /// A quoted phrase, matched word for word in order.
    Phrase {
        /// The phrase without quotes.
        text: String,
        /// True for `-"phrase"`.
        negate: bool,
    },
    /// `paper:ID`.
    Paper(String),
    /// `year:YYYY`.
    Year(i32),
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// Clauses in the order typed.
    pub clauses: Vec<Clause>,
}

impl Query {
    /// True when the query has at least one clause that matches text (not a filter, not negated).
    pub fn has_positive_text(&self) -> bool {
        self.clauses
            .iter()
            .any(|c| matches!(c, Clause::Word { negate: false, .. } | Clause::Phrase { negate: false, .. }))
    }
}

const FIELDS: &str = "paper: and year:";

/// Parses a query. Errors name what is wrong: an unbalanced quote, an unknown field, a query
/// of only symbols.
pub fn parse(input: &str) -> Result<Query> {
    let mut clauses = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let negate = c == '-' && chars.get(i + 1).is_some_and(|n| *n == '"' || n.is_alphanumeric());
        let start = if negate { i + 1 } else { i };
        if chars.get(start) == Some(&'"') {
            let Some(close) = chars[start + 1..].iter().position(|&c| c == '"') else {
                let rest: String = chars[start..].iter().collect();
                return Err(Error::Query(format!("unbalanced quote in `{input}`: close the phrase {rest} with a \"")));
            };
            let text: String = chars[start + 1..start + 1 + close].iter().collect();
            if has_word(&text) {
                clauses.push(Clause::Phrase { text: text.trim().to_string(), negate });
            }
            i = start + close + 2;
            continue;
        }
        let end = chars[start..].iter().position(|c| c.is_whitespace()).map(|p| start + p).unwrap_or(chars.len());
        let token: String = chars[start..end].iter().collect();
        i = end;
        if let Some((field, value)) = token.split_once(':') {
            if !field.is_empty() && field.chars().all(|c| c.is_ascii_alphabetic()) && !value.is_empty() {
                match field.to_ascii_lowercase().as_str() {
                    "paper" => clauses.push(Clause::Paper(value.to_lowercase())),
                    "year" => {
                        let year =
                            value.parse::<i32>().ok().filter(|y| (1000..=9999).contains(y)).ok_or_else(|| {
                                Error::Query(format!("`year:{value}` is not a year; write it like year:2024"))
                            })?;
                        clauses.push(Clause::Year(year));
                    }
                    other => {
                        return Err(Error::Query(format!(
                            "unknown field `{other}:` in `{token}`; the fields are {FIELDS}"
                        )))
                    }
                }
                continue;
            }
        }
        let (text, prefix) = match token.strip_suffix('*') {
            Some(t) => (t.to_string(), true),
            None => (token.clone(), false),
        };
        if !has_word(&text) {
            continue;
        }
        if prefix && text.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            return Err(Error::Query(format!("`{token}`: a prefix needs at least two letters before the *")));
        }
        clauses.push(Clause::Word { text, prefix, negate });
    }
    let query = Query { clauses };
    let has_filter = query.clauses.iter().any(|c| matches!(c, Clause::Paper(_) | Clause::Year(_)));
    if !query.has_positive_text() && !has_filter {
        if query.clauses.is_empty() {
            return Err(Error::Query(if input.trim().is_empty() {
                "empty query: type a word, a \"phrase\", a number such as 93.3%, or paper:ID".to_string()
            } else {
                format!("`{input}` has no words or numbers to search for, only symbols")
            }));
        }
        return Err(Error::Query("a query needs at least one word that is not excluded with -".into()));
    }
    Ok(query)
}

fn has_word(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_words_phrases_filters_prefixes() {
        let q = parse(r#"distil* "aha moment" -zero paper:deepseek-r1 year:2025 $5.576M"#).unwrap();
        assert_eq!(
            q.clauses,
            vec![
                Clause::Word { text: "distil".into(), prefix: true, negate: false },
                Clause::Phrase { text: "aha moment".into(), negate: false },
                Clause::Word { text: "zero".into(), prefix: false, negate: true },
                Clause::Paper("deepseek-r1".into()),
                Clause::Year(2025),
                Clause::Word { text: "$5.576M".into(), prefix: false, negate: false },
            ]
        );
    }

    #[test]
    fn errors_are_clear() {
        assert!(parse("%%% $$ !!").unwrap_err().to_string().contains("only symbols"));
        assert!(parse("\"aha moment").unwrap_err().to_string().contains("unbalanced quote"));
        assert!(parse("author:wang").unwrap_err().to_string().contains("unknown field `author:`"));
        assert!(parse("year:twenty").unwrap_err().to_string().contains("not a year"));
        assert!(parse("-only").unwrap_err().to_string().contains("not excluded"));
        assert!(parse("   ").unwrap_err().to_string().contains("empty query"));
    }

    #[test]
    fn filters_alone_are_a_query() {
        assert_eq!(parse("paper:deepseek-v3").unwrap().clauses, vec![Clause::Paper("deepseek-v3".into())]);
    }
}
