//! Repairs that let pdf-extract read files real libraries hold: a cross-reference table rebuilt
//! from the objects themselves (a broken trailer or `startxref`, as left by tools that append to
//! a file carelessly), and fonts given what pdf-extract needs from them (a Type3 font without
//! `/Widths` or `/FontMatrix`). Each repair is named, so the import can say what it did.

use std::collections::BTreeMap;

use pdf_extract::{Dictionary, Document, Object};
use regex::bytes::Regex;

/// Rebuilds the cross-reference table and trailer of a PDF from the `N G obj` headers in its
/// bytes: the file's own bytes with a fresh table and trailer appended. `None` when no objects
/// or no document catalog can be found.
pub fn rebuild_xref(bytes: &[u8]) -> Option<Vec<u8>> {
    let start = bytes.windows(5).position(|w| w == b"%PDF-")?;
    let body = &bytes[start..];
    let header = Regex::new(r"(?:^|[\r\n\s])(\d{1,10})\s+(\d{1,5})\s+obj\b").expect("valid regex");
    // Later definitions win, as in an incrementally updated file.
    let mut objects: BTreeMap<u32, (u16, usize)> = BTreeMap::new();
    for c in header.captures_iter(body) {
        let (Some(num), Some(gen)) = (c.get(1), c.get(2)) else { continue };
        let (Ok(n), Ok(g)) = (parse::<u32>(num.as_bytes()), parse::<u16>(gen.as_bytes())) else { continue };
        if n == 0 || n > 8_000_000 {
            continue;
        }
        objects.insert(n, (g, num.start()));
    }
    if objects.is_empty() {
        return None;
    }
    let reference = |key: &str| -> Option<(u32, u16)> {
        let re = Regex::new(&format!(r"/{key}\s+(\d+)\s+(\d+)\s+R")).expect("valid regex");
        // The last trailer that names it, else none.
        let mut found = None;
        for t in find_all(body, b"trailer") {
            let tail = &body[t..body.len().min(t + 2048)];
            if let Some(c) = re.captures(tail) {
                found = Some((parse(&c[1]).ok()?, parse(&c[2]).ok()?));
            }
        }
        found
    };
    let catalog = Regex::new(r"/Type\s*/Catalog\b").expect("valid regex");
    let root = reference("Root").filter(|(n, _)| objects.contains_key(n)).or_else(|| {
        objects.iter().rev().find_map(|(&n, &(g, at))| {
            let end = body.len().min(at + 4096);
            let text = &body[at..end];
            let stop = find_all(text, b"endobj").into_iter().next().unwrap_or(text.len());
            catalog.is_match(&text[..stop]).then_some((n, g))
        })
    })?;
    let info = reference("Info").filter(|(n, _)| objects.contains_key(n));
    let size = objects.keys().next_back().copied().unwrap_or(0) + 1;
    let mut out = body.to_vec();
    out.extend_from_slice(b"\n");
    let xref_at = out.len();
    out.extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
    for n in 0..size {
        let line = match objects.get(&n) {
            Some(&(g, at)) => format!("{at:010} {g:05} n\r\n"),
            None => "0000000000 65535 f\r\n".to_string(),
        };
        out.extend_from_slice(line.as_bytes());
    }
    let info = info.map(|(n, g)| format!(" /Info {n} {g} R")).unwrap_or_default();
    out.extend_from_slice(
        format!("trailer\n<< /Size {size} /Root {} {} R{info} >>\nstartxref\n{xref_at}\n%%EOF\n", root.0, root.1)
            .as_bytes(),
    );
    Some(out)
}

fn parse<T: std::str::FromStr>(b: &[u8]) -> Result<T, ()> {
    std::str::from_utf8(b).map_err(|_| ())?.parse().map_err(|_| ())
}

fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    hay.windows(needle.len()).enumerate().filter(|(_, w)| *w == needle).map(|(i, _)| i).collect()
}

/// Gives fonts what pdf-extract needs and some PDFs leave out. Returns what was repaired.
pub fn repair_fonts(doc: &mut Document) -> Vec<String> {
    let mut type3 = 0;
    let ids: Vec<_> = doc.objects.keys().copied().collect();
    for id in ids {
        let Some(Object::Dictionary(dict)) = doc.objects.get(&id) else { continue };
        let is = |key: &[u8], name: &[u8]| dict.get(key).and_then(Object::as_name).is_ok_and(|n| n == name);
        if !is(b"Type", b"Font") || !is(b"Subtype", b"Type3") {
            continue;
        }
        // The entries read here may be references: read what they point to.
        let resolved: Vec<(&[u8], Object)> = [&b"Widths"[..], b"FontMatrix", b"FirstChar", b"LastChar"]
            .into_iter()
            .filter_map(|k| match dict.get(k) {
                Ok(Object::Reference(r)) => doc.get_object(*r).ok().map(|o| (k, o.clone())),
                _ => None,
            })
            .collect();
        let Some(Object::Dictionary(dict)) = doc.objects.get_mut(&id) else { continue };
        for (k, o) in resolved {
            dict.set(k.to_vec(), o);
        }
        if repair_type3(dict) {
            type3 += 1;
        }
    }
    if type3 > 0 {
        vec![format!("gave {type3} Type3 font(s) the widths or matrix they lack")]
    } else {
        Vec::new()
    }
}

/// A Type3 font without `/FirstChar`, `/LastChar`, `/Widths` or `/FontMatrix` gets defaults
/// (no advance: the glyphs still come out, spaced by their positions).
fn repair_type3(dict: &mut Dictionary) -> bool {
    let mut changed = false;
    // pdf-extract reads Type3 widths as thousandths of the font size, as for other fonts, and
    // ignores the font matrix: widths in another glyph space (dvips' bitmap fonts use pixels,
    // `[1 0 0 -1 0 0]`) are rescaled to thousandths so glyphs advance and words space right.
    let scale = match dict.get(b"FontMatrix") {
        Ok(Object::Array(m)) => m.first().and_then(number),
        _ => None,
    };
    if let (Some(a), Ok(Object::Array(widths))) = (scale, dict.get(b"Widths")) {
        if a.is_finite() && a != 0.0 && (a.abs() - 0.001).abs() > 1e-9 {
            let factor = a.abs() * 1000.0;
            let scaled: Vec<Object> =
                widths.iter().map(|w| Object::Real((number(w).unwrap_or(0.0) * factor) as f32)).collect();
            dict.set("Widths", Object::Array(scaled));
            let mut m = vec![Object::Real(0.001 * a.signum() as f32)];
            if let Ok(Object::Array(old)) = dict.get(b"FontMatrix") {
                m.extend(old.iter().skip(1).take(2).cloned());
                let d = old.get(3).and_then(number).unwrap_or(a);
                m.push(Object::Real((d / a.abs() * 0.001) as f32));
                m.extend(old.iter().skip(4).cloned());
            }
            dict.set("FontMatrix", Object::Array(m));
            changed = true;
        }
    }
    if dict.get(b"FontMatrix").is_err() {
        let m = [0.001, 0.0, 0.0, 0.001, 0.0, 0.0].iter().map(|&v| Object::Real(v)).collect();
        dict.set("FontMatrix", Object::Array(m));
        changed = true;
    }
    let int = |d: &Dictionary, k: &[u8]| d.get(k).ok().and_then(|o| o.as_i64().ok());
    let widths_ok = matches!(dict.get(b"Widths"), Ok(Object::Array(_)));
    let (first, last) = (int(dict, b"FirstChar"), int(dict, b"LastChar"));
    if !widths_ok || first.is_none() || last.is_none() {
        let first = first.unwrap_or(0).clamp(0, 255);
        let last = last.unwrap_or(255).clamp(first, 255);
        dict.set("FirstChar", Object::Integer(first));
        dict.set("LastChar", Object::Integer(last));
        if !widths_ok {
            dict.set("Widths", Object::Array(vec![Object::Integer(0); (last - first + 1) as usize]));
        }
        changed = true;
    }
    changed
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    /// A one-page PDF showing `content` in Helvetica as `/F1`, built by hand.
    pub(super) fn one_page_pdf(content: &[u8]) -> Document {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let content_id = doc.add_object(pdf_extract::Stream::new(Dictionary::new(), content.to_vec()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        doc
    }

    /// A one-page PDF with a broken `startxref`.
    fn broken_pdf() -> Vec<u8> {
        let mut doc = one_page_pdf(b"BT /F1 24 Tf 72 700 Td (Rebuilt from its objects) Tj ET");
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let at = bytes.windows(9).rposition(|w| w == b"startxref").unwrap();
        bytes.truncate(at);
        bytes.extend_from_slice(b"startxref\n999999999\n%%EOF\n");
        bytes
    }

    #[test]
    fn a_broken_startxref_is_rebuilt_from_the_objects() {
        let bytes = broken_pdf();
        assert!(Document::load_mem(&bytes).is_err(), "the test file should be broken");
        let fixed = rebuild_xref(&bytes).expect("objects found");
        let doc = Document::load_mem(&fixed).expect("the rebuilt file loads");
        assert_eq!(doc.get_pages().len(), 1);
        let text = pdf_extract::extract_text_from_mem(&fixed).unwrap();
        assert!(text.contains("Rebuilt from its objects"), "{text}");
    }

    #[test]
    fn bytes_without_objects_cannot_be_rebuilt() {
        assert!(rebuild_xref(b"%PDF-1.4\nnothing here\n%%EOF").is_none());
        assert!(rebuild_xref(b"no header").is_none());
    }

    #[test]
    fn type3_fonts_get_widths() {
        let mut d = dictionary! { "Type" => "Font", "Subtype" => "Type3", "FirstChar" => 32 };
        assert!(repair_type3(&mut d));
        assert!(matches!(d.get(b"Widths"), Ok(Object::Array(a)) if a.len() == 224));
        assert!(!repair_type3(&mut d), "a second pass changes nothing");
    }
}

/// How far a font is changed to get a page past pdf-extract, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontFix {
    /// A simple font without `/Encoding` gets WinAnsi (pdf-extract needs one to fall
    /// back on for codes its `/ToUnicode` map lacks).
    AddEncoding,
    /// The `/ToUnicode` map is dropped (one it cannot parse) and the encoding is used.
    DropToUnicode,
    /// The font is replaced by Helvetica with its encoding: its glyphs come out as the codes
    /// read in that encoding (often unreadable, which is then detected), the page's other
    /// fonts as they are.
    Replace,
}

impl FontFix {
    /// Every fix, least first.
    pub const ALL: [FontFix; 3] = [FontFix::AddEncoding, FontFix::DropToUnicode, FontFix::Replace];

    /// What the fix does, for the import's log.
    pub fn describe(self) -> &'static str {
        match self {
            FontFix::AddEncoding => "gave a font the standard encoding",
            FontFix::DropToUnicode => "dropped a font's unreadable ToUnicode map",
            FontFix::Replace => "replaced a font pdf-extract cannot read",
        }
    }
}

/// Applies `fix` to the font dictionary `id`. Returns the dictionary as it was, when the fix
/// changed it (to put back if the fix does not help).
pub fn fix_font(doc: &mut Document, id: pdf_extract::ObjectId, fix: FontFix) -> Option<Dictionary> {
    let Some(Object::Dictionary(dict)) = doc.objects.get_mut(&id) else { return None };
    let before = dict.clone();
    let subtype = dict.get(b"Subtype").and_then(Object::as_name).map(<[u8]>::to_vec).unwrap_or_default();
    let simple = subtype != b"Type0";
    match fix {
        FontFix::AddEncoding => {
            if !simple || dict.get(b"Encoding").is_ok() {
                return None;
            }
            dict.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
        }
        FontFix::DropToUnicode => {
            dict.remove(b"ToUnicode")?;
            if simple && dict.get(b"Encoding").is_err() {
                dict.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
            }
        }
        FontFix::Replace => {
            // pdf-extract knows these encoding names and panics on any other.
            const KNOWN: [&[u8]; 3] = [b"WinAnsiEncoding", b"MacRomanEncoding", b"MacExpertEncoding"];
            let encoding = match dict.get(b"Encoding") {
                Ok(Object::Name(n)) if simple && KNOWN.contains(&n.as_slice()) => Object::Name(n.clone()),
                Ok(e @ (Object::Reference(_) | Object::Dictionary(_))) if simple => e.clone(),
                _ => Object::Name(b"WinAnsiEncoding".to_vec()),
            };
            let mut plain = Dictionary::new();
            plain.set("Type", Object::Name(b"Font".to_vec()));
            plain.set("Subtype", Object::Name(b"Type1".to_vec()));
            plain.set("BaseFont", Object::Name(b"Helvetica".to_vec()));
            plain.set("Encoding", encoding);
            *dict = plain;
        }
    }
    Some(before)
}

/// The font dictionaries (by object id) a page uses: its resources' fonts and those of the
/// form XObjects it draws.
pub fn page_fonts(doc: &Document, page: pdf_extract::ObjectId) -> Vec<pdf_extract::ObjectId> {
    let mut out = Vec::new();
    let Ok((inline, ids)) = doc.get_page_resources(page) else { return out };
    let mut resources: Vec<&Dictionary> = inline.into_iter().collect();
    resources.extend(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
    let deref = |o: &Object| -> Option<Dictionary> {
        match o {
            Object::Reference(id) => match doc.get_object(*id).ok()? {
                Object::Dictionary(d) => Some(d.clone()),
                Object::Stream(s) => Some(s.dict.clone()),
                _ => None,
            },
            Object::Dictionary(d) => Some(d.clone()),
            _ => None,
        }
    };
    let mut dicts: Vec<Dictionary> = resources.into_iter().cloned().collect();
    // Form XObjects' own resources, one level down.
    let forms: Vec<Dictionary> = dicts
        .iter()
        .filter_map(|r| r.get(b"XObject").ok().and_then(deref))
        .flat_map(|x| x.iter().filter_map(|(_, o)| deref(o)).collect::<Vec<_>>())
        .filter_map(|form| form.get(b"Resources").ok().and_then(deref))
        .collect();
    dicts.extend(forms);
    for r in &dicts {
        let Some(fonts) = r.get(b"Font").ok().and_then(deref) else { continue };
        for (_, f) in fonts.iter() {
            if let Object::Reference(id) = f {
                if !out.contains(id) {
                    out.push(*id);
                }
            }
        }
    }
    out
}

/// The fewest operands each content-stream operator pdf-extract reads takes; it indexes them
/// without checking.
fn arity(op: &str) -> usize {
    match op {
        "cm" | "Tm" | "c" | "d0" => 6,
        "re" | "v" | "y" | "K" | "k" => 4,
        "RG" | "rg" | "\"" => 3,
        "Td" | "TD" | "Tf" | "m" | "l" | "d" | "BDC" | "d1" => 2,
        "Tc" | "Tw" | "Tz" | "TL" | "Ts" | "Tr" | "Tj" | "TJ" | "'" | "Do" | "gs" | "w" | "CS" | "cs" | "G" | "g"
        | "BMC" | "J" | "j" | "M" | "ri" | "i" | "sh" => 1,
        _ => 0,
    }
}

/// Drops the operations of a page's content, and of the form XObjects it draws, that lack
/// operands or a current point (a malformed stream), so the rest of the page can be read.
/// Returns how many were dropped.
pub fn sanitize_content(doc: &mut Document, page: pdf_extract::ObjectId) -> usize {
    let mut dropped = 0;
    if let Some((ops, encoded)) = doc.get_page_content(page).ok().and_then(|b| sanitize_stream(&b)) {
        dropped += ops;
        let stream = doc.add_object(pdf_extract::Stream::new(Dictionary::new(), encoded));
        if let Ok(Object::Dictionary(dict)) = doc.get_object_mut(page) {
            dict.set("Contents", Object::Reference(stream));
        }
    }
    for form in page_forms(doc, page) {
        let Ok(Object::Stream(stream)) = doc.get_object_mut(form) else { continue };
        let bytes = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
        if let Some((ops, encoded)) = sanitize_stream(&bytes) {
            dropped += ops;
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
            stream.set_content(encoded);
        }
    }
    dropped
}

/// The form XObjects (by object id) a page's resources name, one level down.
fn page_forms(doc: &Document, page: pdf_extract::ObjectId) -> Vec<pdf_extract::ObjectId> {
    let Ok((inline, ids)) = doc.get_page_resources(page) else { return Vec::new() };
    let mut resources: Vec<&Dictionary> = inline.into_iter().collect();
    resources.extend(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
    let mut out = Vec::new();
    for r in resources {
        let xobjects = match r.get(b"XObject") {
            Ok(Object::Reference(id)) => doc.get_dictionary(*id).ok(),
            Ok(Object::Dictionary(d)) => Some(d),
            _ => None,
        };
        for (_, x) in xobjects.into_iter().flat_map(|d| d.iter()) {
            if let Object::Reference(id) = x {
                if matches!(doc.get_object(*id), Ok(Object::Stream(s)) if s.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Form"))
                {
                    out.push(*id);
                }
            }
        }
    }
    out
}

/// A content stream without its malformed operations, and how many there were; `None` when
/// it has none (or cannot be parsed).
fn sanitize_stream(bytes: &[u8]) -> Option<(usize, Vec<u8>)> {
    let mut content = lopdf::content::Content::decode(bytes).ok()?;
    let before = content.operations.len();
    // `v` continues the current path from its current point; pdf-extract panics when none.
    let mut has_point = false;
    content.operations.retain(|op| {
        let keep = op.operands.len() >= arity(&op.operator) && (op.operator != "v" || has_point);
        match op.operator.as_str() {
            "m" | "re" if keep => has_point = true,
            "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" | "n" => has_point = false,
            _ => {}
        }
        keep
    });
    let dropped = before - content.operations.len();
    if dropped == 0 {
        return None;
    }
    Some((dropped, content.encode().ok()?))
}

/// Rewrites the text operators pdf-extract does not implement into ones it does, in a page's
/// content and the form XObjects it draws: `'` (next line, then show a string) becomes `T*`
/// and `Tj`, and `"` (set word and character spacing, next line, show) becomes `Tw`, `Tc`,
/// `T*` and `Tj`. pdf-extract 0.12 skips both silently, so every line a typesetter wrote with
/// them (common in older PostScript-to-PDF output) was lost. Returns whether anything changed.
pub fn expand_quote_operators(doc: &mut Document, page: pdf_extract::ObjectId) -> bool {
    let mut changed = false;
    if let Some(encoded) = doc.get_page_content(page).ok().and_then(|b| expand_quotes_in(&b)) {
        let stream = doc.add_object(pdf_extract::Stream::new(Dictionary::new(), encoded));
        if let Ok(Object::Dictionary(dict)) = doc.get_object_mut(page) {
            dict.set("Contents", Object::Reference(stream));
            changed = true;
        }
    }
    for form in page_forms(doc, page) {
        let Ok(Object::Stream(stream)) = doc.get_object_mut(form) else { continue };
        let bytes = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
        if let Some(encoded) = expand_quotes_in(&bytes) {
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
            stream.set_content(encoded);
            changed = true;
        }
    }
    changed
}

/// Whether a content stream may use `'` or `"` as operators: one of them right after the end
/// of a string operand. A cheap test before the stream is parsed.
fn may_quote(bytes: &[u8]) -> bool {
    let mut last = 0u8;
    for &b in bytes {
        if (b == b'\'' || b == b'"') && (last == b')' || last == b'>') {
            return true;
        }
        if !b.is_ascii_whitespace() {
            last = b;
        }
    }
    false
}

/// A content stream with `'` and `"` expanded, or `None` when it has none. The stream is
/// rewritten token by token in place, not parsed and encoded again: lopdf's content parser
/// stops at an inline image (`BI … ID … EI`) without an error, which would drop the rest of
/// the page. Strings, names, comments and inline image data are copied as they are.
fn expand_quotes_in(bytes: &[u8]) -> Option<Vec<u8>> {
    if !may_quote(bytes) {
        return None;
    }
    let delimiter = |b: u8| matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%');
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len() + 256);
    // The operands seen since the last operator: (start, end) in `out`, and whether a string.
    let mut operands: Vec<(usize, usize, bool)> = Vec::new();
    let mut changed = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            out.push(b);
            i += 1;
        } else if b == b'%' {
            while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                out.push(bytes[i]);
                i += 1;
            }
        } else if b == b'(' {
            let start = out.len();
            let mut depth = 0usize;
            while i < bytes.len() {
                let c = bytes[i];
                out.push(c);
                i += 1;
                match c {
                    b'\\' if i < bytes.len() => {
                        out.push(bytes[i]);
                        i += 1;
                    }
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            operands.push((start, out.len(), true));
        } else if b == b'<' && bytes.get(i + 1) != Some(&b'<') {
            let start = out.len();
            while i < bytes.len() {
                out.push(bytes[i]);
                i += 1;
                if bytes[i - 1] == b'>' {
                    break;
                }
            }
            operands.push((start, out.len(), true));
        } else if delimiter(b) {
            // `<<`, `>>`, `[`, `]`, `{`, `}`, `)` out of place, or a name: copied; a name or a
            // closing bracket ends an operand that is not a string.
            let start = out.len();
            out.push(b);
            i += 1;
            if b == b'/' {
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !delimiter(bytes[i]) {
                    out.push(bytes[i]);
                    i += 1;
                }
            } else if (b == b'<' || b == b'>') && bytes.get(i) == Some(&b) {
                out.push(b);
                i += 1;
            }
            operands.push((start, out.len(), false));
        } else {
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !delimiter(bytes[i]) {
                i += 1;
            }
            let token = &bytes[start..i];
            let number = token.iter().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+'));
            match token {
                _ if number => {
                    let at = out.len();
                    out.extend_from_slice(token);
                    operands.push((at, out.len(), false));
                    continue;
                }
                b"'" if matches!(operands.last(), Some((_, _, true))) => {
                    let (at, _, _) = *operands.last().expect("matched above");
                    out.splice(at..at, b"T* ".iter().copied());
                    out.extend_from_slice(b" Tj");
                    changed = true;
                }
                b"\"" if operands.len() >= 3 && operands[operands.len() - 1].2 => {
                    let n = operands.len();
                    let (word, spacing, text) = (operands[n - 3], operands[n - 2], operands[n - 1]);
                    let part = |(a, b, _): (usize, usize, bool)| out[a..b].to_vec();
                    let (word, spacing, text_bytes) = (part(word), part(spacing), part(text));
                    out.truncate(operands[n - 3].0);
                    for piece in [&word[..], b" Tw ", &spacing[..], b" Tc T* ", &text_bytes[..], b" Tj"] {
                        out.extend_from_slice(piece);
                    }
                    changed = true;
                }
                b"ID" => {
                    // Inline image data, up to `EI` standing alone after white space.
                    out.extend_from_slice(token);
                    let data = i;
                    let mut end = bytes.len();
                    let mut j = data + 1;
                    while j + 2 <= bytes.len() {
                        if bytes[j - 1].is_ascii_whitespace()
                            && &bytes[j..j + 2] == b"EI"
                            && bytes.get(j + 2).is_none_or(|c| c.is_ascii_whitespace() || delimiter(*c))
                        {
                            end = j;
                            break;
                        }
                        j += 1;
                    }
                    out.extend_from_slice(&bytes[data..end]);
                    i = end;
                }
                _ => out.extend_from_slice(token),
            }
            operands.clear();
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod quote_tests {
    use super::*;

    /// A one-page PDF whose lines are set with `'` and `"`, as older typesetters write them.
    fn quoted_pdf() -> Document {
        super::tests::one_page_pdf(
            b"BT /F1 12 Tf 14 TL 72 700 Td (First line shown with Tj) Tj \
            (Second line shown with a quote)' 1 0 (Third line shown with a double quote)\" ET",
        )
    }

    fn text_of(doc: &Document) -> String {
        let mut text = String::new();
        let mut out = pdf_extract::PlainTextOutput::new(&mut text);
        pdf_extract::output_doc_page(doc, &mut out, 1).unwrap();
        text
    }

    #[test]
    fn lines_set_with_quote_operators_are_read() {
        let mut doc = quoted_pdf();
        let before = text_of(&doc);
        assert!(!before.contains("Second line"), "pdf-extract now reads ' itself: drop the workaround ({before})");
        let page = *doc.get_pages().get(&1).unwrap();
        assert!(expand_quote_operators(&mut doc, page));
        let after = text_of(&doc);
        for line in
            ["First line shown with Tj", "Second line shown with a quote", "Third line shown with a double quote"]
        {
            assert!(after.contains(line), "{line} missing from {after:?}");
        }
        let first = after.find("First").unwrap();
        let second = after.find("Second").unwrap();
        assert!(after[first..second].contains('\n'), "each on its own line: {after:?}");
        assert!(!expand_quote_operators(&mut doc, page), "a second pass changes nothing");
    }

    #[test]
    fn quotes_inside_strings_are_not_operators() {
        assert!(!may_quote(b"BT (it's a \"word\") Tj ET"));
        assert!(may_quote(b"BT (line)' ET"));
        assert!(may_quote(b"BT <4142> ' ET"));
        assert_eq!(expand_quotes_in(b"BT (it)\" ET"), None, "a malformed \" is left for sanitizing");
        let expanded = expand_quotes_in(b"BT 1 0.5 (a \\) b)\" (c)' ET").unwrap();
        assert_eq!(String::from_utf8(expanded).unwrap(), "BT 1 Tw 0.5 Tc T* (a \\) b) Tj T* (c) Tj ET");
    }

    /// Regression: Content::decode stops at an inline image, which lost the rest of P5's page 1.
    #[test]
    fn an_inline_image_keeps_the_text_after_it() {
        let stream = b"BT (before)' ET q BI /W 1 /H 1 /BPC 1 /IM true ID \x00)' EI Q BT (after)' ET";
        let out = String::from_utf8_lossy(&expand_quotes_in(stream).unwrap()).to_string();
        assert!(out.starts_with("BT T* (before) Tj ET q BI"), "{out}");
        assert!(out.contains("ID \x00)' EI Q"), "the image data is copied as it is: {out}");
        assert!(out.ends_with("BT T* (after) Tj ET"), "{out}");
    }
}
