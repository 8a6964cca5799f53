//! The built-in encoding of an embedded Type1 font, read from the clear-text part of its
//! program (before `eexec`).
//!
//! pdf-extract reads it with `type1_encoding_parser`, whose parser combinators lex the whole
//! clear-text part and format an error message at every alternative they try and reject:
//! about 2 ms a font, a sixth of the extraction of a typical LaTeX paper, spent once per font
//! in [`crate::ingest::fonts::prepare_fonts`]. [`builtin_encoding`] lexes the same tokens the
//! same way (stopping where that parser stops) and reads the encoding by the same rule, in
//! microseconds; a test compares the two on every Type1 font of the corpus and the wild set.

use std::collections::HashMap;

/// A token of the clear-text part, as far as the encoding rule looks at it.
#[derive(Debug, PartialEq)]
enum Token {
    Integer(i64),
    Name(Vec<u8>),
    Operator(Vec<u8>),
    /// Anything else: a real number, a string, an array, a procedure, a dictionary, a boolean.
    Other,
}

/// The encoding `type1_encoding_parser::get_encoding_map` reads from `head`: code → glyph name
/// for every `dup CODE /NAME put` of an `/Encoding N array … def`. `None` where that function
/// fails (an `array` or `put` without its operands).
pub(crate) fn builtin_encoding(head: &[u8]) -> Option<HashMap<u32, Vec<u8>>> {
    let tokens = lex(head);
    if tokens.is_empty() {
        return None;
    }
    let mut map = HashMap::new();
    let mut i = 0;
    while i < tokens.len() {
        if matches!(&tokens[i], Token::Operator(op) if op == b"array") {
            let (Some(Token::Integer(_)), Some(Token::Name(name))) =
                (i.checked_sub(1).map(|j| &tokens[j]), i.checked_sub(2).map(|j| &tokens[j]))
            else {
                return None;
            };
            if name == b"Encoding" {
                i += 1;
                while i < tokens.len() {
                    match &tokens[i] {
                        Token::Operator(op) if op == b"put" => {
                            let (Token::Name(glyph), Token::Integer(code)) = (&tokens[i - 1], &tokens[i - 2]) else {
                                return None;
                            };
                            map.insert(*code as u32, glyph.clone());
                        }
                        Token::Operator(op) if op == b"def" => break,
                        _ => {}
                    }
                    i += 1;
                }
            }
        }
        i += 1;
    }
    Some(map)
}

/// PostScript's white space between tokens at the top level (pom's `multispace`).
fn top_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// White space inside arrays, procedures and dictionaries.
fn inner_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0 | 0x0C)
}

/// The top-level tokens of `s`, up to the first that cannot be lexed (where the library's
/// parser stops too).
fn lex(s: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        // Comments (each ended by a line end) and spaces before a value.
        loop {
            while i < s.len() && top_space(s[i]) {
                i += 1;
            }
            if s.get(i) != Some(&b'%') {
                break;
            }
            match s[i..].iter().position(|&b| b == b'\r' || b == b'\n') {
                Some(end) => i += end + 1,
                None => return out,
            }
        }
        match value(s, i) {
            Some((token, next)) => {
                out.push(token);
                i = next;
            }
            None => return out,
        }
    }
}

/// One value starting at `i`, with the position after it.
fn value(s: &[u8], i: usize) -> Option<(Token, usize)> {
    let &first = s.get(i)?;
    let digits = |from: usize| from + s[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    if s[i..].starts_with(b"true") {
        return Some((Token::Other, i + 4));
    }
    if s[i..].starts_with(b"false") {
        return Some((Token::Other, i + 5));
    }
    let signed = usize::from(matches!(first, b'+' | b'-'));
    let end = digits(i + signed);
    if end > i + signed {
        let text = std::str::from_utf8(&s[i..end]).ok()?;
        // Too long for an i64: the library's conversion fails and it reads the digits as a
        // real number instead.
        return Some(match text.parse() {
            Ok(n) => (Token::Integer(n), end),
            Err(_) => (Token::Other, end),
        });
    }
    match first {
        b'.' | b'+' | b'-' => Some((Token::Other, real_end(s, i + signed)?)),
        b'/' => name(s, i + 1).map(|(n, next)| (Token::Name(n), next)),
        b'(' => Some((Token::Other, string_end(s, i)?)),
        b'<' if s.get(i + 1) == Some(&b'<') => Some((Token::Other, dictionary_end(s, i)?)),
        b'<' => {
            let end = i + 1 + s[i + 1..].iter().take_while(|b| b.is_ascii_hexdigit()).count();
            // Hex digits come in pairs.
            let end = end - (end - i - 1) % 2;
            (s.get(end) == Some(&b'>')).then_some((Token::Other, end + 1))
        }
        b'[' => Some((Token::Other, list_end(s, i, b']')?)),
        b'{' => Some((Token::Other, list_end(s, i, b'}')?)),
        b if b.is_ascii_alphabetic() || matches!(b, b'*' | b'\'' | b'"') => {
            let end =
                i + s[i..].iter().take_while(|b| b.is_ascii_alphabetic() || matches!(b, b'*' | b'\'' | b'"')).count();
            Some((Token::Operator(s[i..end].to_vec()), end))
        }
        _ => None,
    }
}

/// The end of a real number (`12.`, `12.5`, `.5`) starting at `i` (after any sign).
fn real_end(s: &[u8], i: usize) -> Option<usize> {
    let int = i + s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    if s.get(int) != Some(&b'.') {
        return None;
    }
    let frac = int + 1 + s[int + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
    (int > i || frac > int + 1).then_some(frac)
}

/// A name's bytes (after its `/`, `#xx` decoded) and the position after it.
fn name(s: &[u8], mut i: usize) -> Option<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    while let Some(&b) = s.get(i) {
        if b == b'#' {
            let hex = s.get(i + 1..i + 3).filter(|h| h.iter().all(u8::is_ascii_hexdigit));
            let Some(hex) = hex else { break };
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else if b" \t\n\r\x0C()<>[]{}/%".contains(&b) {
            break;
        } else {
            out.push(b);
            i += 1;
        }
    }
    Some((out, i))
}

/// The position after a literal string opening at `i` (nested parentheses, `\` escapes).
fn string_end(s: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while let Some(&b) = s.get(i) {
        match b {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The position after an array or procedure opening at `i`: its values, then `close`.
fn list_end(s: &[u8], mut i: usize, close: u8) -> Option<usize> {
    i += 1;
    loop {
        while s.get(i).is_some_and(|&b| inner_space(b)) {
            i += 1;
        }
        if s.get(i) == Some(&close) {
            return Some(i + 1);
        }
        i = inner_value(s, i)?;
    }
}

/// The position after a dictionary opening at `i`: name and value pairs, then `>>`.
fn dictionary_end(s: &[u8], mut i: usize) -> Option<usize> {
    i += 2;
    loop {
        while s.get(i).is_some_and(|&b| inner_space(b)) {
            i += 1;
        }
        if s[i..].starts_with(b">>") {
            return Some(i + 2);
        }
        if s.get(i) != Some(&b'/') {
            return None;
        }
        let (_, next) = name(s, i + 1)?;
        i = next;
        while s.get(i).is_some_and(|&b| inner_space(b)) {
            i += 1;
        }
        i = inner_value(s, i)?;
    }
}

/// The position after a value inside a list or dictionary (and the spaces after it).
fn inner_value(s: &[u8], i: usize) -> Option<usize> {
    let (_, mut next) = value(s, i)?;
    while s.get(next).is_some_and(|&b| top_space(b)) {
        next += 1;
    }
    Some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library(head: &[u8]) -> Option<HashMap<u32, Vec<u8>>> {
        std::panic::catch_unwind(|| type1_encoding_parser::get_encoding_map(head).ok()).ok().flatten()
    }

    #[test]
    fn a_custom_encoding_is_read_as_the_library_reads_it() {
        let head = b"%!PS-AdobeFont-1.0: CMR10 003.002\n%%Title: CMR10\n12 dict begin\n/FontInfo 9 dict dup begin\n\
/Notice (Copyright \\(c\\) 1997 (nested) AMS) readonly def\n/ItalicAngle 0 def\n/isFixedPitch false def\nend readonly def\n\
/FontName /CMR10 def\n/PaintType 0 def\n/FontMatrix [0.001 0 0 0.001 0 0] readonly def\n\
/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\ndup 11 /ff put\ndup 65 /A put\ndup 66 /B#41 put\nreadonly def\n\
/FontBBox{-40 -250 1009 750}readonly def\n<< /a 1 /b [1 (x)] >> pop <41 42> pop .5 -3.25 pop\ncurrentdict end\ncurrentfile eexec\n";
        let ours = builtin_encoding(head).unwrap();
        assert_eq!(ours.len(), 3);
        assert_eq!(ours[&66], b"BA");
        assert_eq!(Some(ours), library(head));
    }

    #[test]
    fn a_standard_encoding_and_broken_heads_agree_with_the_library() {
        for head in [
            &b"/FontName /Times def /Encoding StandardEncoding def currentfile eexec"[..],
            b"/Encoding 256 array dup 65 /A put dup 66 /B put def",
            // Operands missing: the library fails, and so do we.
            b"/Encoding array dup 65 /A put def",
            b"/Encoding 3 array dup /A 65 put def",
            // Lexing stops at the first token neither can read; what came before counts.
            b"/Encoding 256 array dup 65 /A put | dup 66 /B put def",
            b"/Encoding 256 array dup 65 /A put % no line end",
            b"",
        ] {
            assert_eq!(builtin_encoding(head), library(head), "{}", String::from_utf8_lossy(head));
        }
    }
}
