//! Font work done once per document, before pdf-extract reads the pages.
//!
//! pdf-extract builds each font afresh on every page that uses it: it parses the font's
//! `/ToUnicode` CMap, and for an embedded Type1 font it inflates the font program and parses
//! all of it for the built-in encoding. That was most of the extraction time of a typical
//! LaTeX paper. [`prepare_fonts`] rewrites the in-memory copy of the document so that the same
//! text comes out with far less work per page:
//!
//! - A Type1 font's built-in encoding is read once, from the program's clear-text part, and
//!   written into the font as the `/Encoding` with `/Differences` pdf-extract turns into the
//!   same table.
//! - For a simple font whose encoding is known, every `/ToUnicode` mapping to one character
//!   with a standard glyph name moves into `/Differences` under that name: pdf-extract decodes
//!   it to the same character through the encoding, without a CMap to parse. A mapping to the
//!   letters of a ligature (`fi`) moves under the ligature's name (`ﬁ`), which NFKC, the first
//!   step of normalization, turns back into the same letters. What cannot move (rare
//!   characters) stays in a short CMap; when nothing stays, the CMap goes.
//! - Every other `/ToUnicode` CMap is rewritten as bare mappings, with runs as ranges.
//! - The font programs pdf-extract would only parse (`/FontFile`) or inflate and drop
//!   (`/FontFile2`) are detached.
//!
//! The stored text comes out the same, byte for byte: a test extracts and normalizes the
//! corpus both ways, and the `font_prepare` fuzz target does the same on generated fonts.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream};

/// How many fonts [`prepare_fonts`] changed, by kind of change.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FontWork {
    /// `/ToUnicode` CMaps rewritten shorter.
    pub(crate) cmaps: usize,
    /// Type1 built-in encodings written into their fonts.
    pub(crate) builtin: usize,
    /// Fonts whose mappings moved (some or all) into `/Differences`.
    pub(crate) renamed: usize,
    /// `/ToUnicode` CMaps dropped because every mapping moved.
    pub(crate) dropped: usize,
    /// Font programs detached.
    pub(crate) programs: usize,
}

impl FontWork {
    /// Adds another document's counts.
    #[cfg(test)]
    pub(crate) fn add(&mut self, o: FontWork) {
        self.cmaps += o.cmaps;
        self.builtin += o.builtin;
        self.renamed += o.renamed;
        self.dropped += o.dropped;
        self.programs += o.programs;
    }
}

/// What to change in one font.
struct Change {
    font: ObjectId,
    encoding: Option<Dictionary>,
    /// `Some(None)` removes the `/ToUnicode`; `Some(Some(bytes))` replaces it.
    to_unicode: Option<Option<Vec<u8>>>,
}

/// A simple font's encoding as pdf-extract will read it: an optional base encoding name and
/// the differences, code by code.
struct Encoding {
    base: Option<Vec<u8>>,
    differences: BTreeMap<u32, Vec<u8>>,
}

/// Rewrites the fonts of `doc` (see the module's docs); returns what it changed.
pub(crate) fn prepare_fonts(doc: &mut Document) -> FontWork {
    let mut work = FontWork::default();
    let mut changes = Vec::new();
    let mut programs: Vec<(ObjectId, &'static [u8])> = Vec::new();
    for (&id, object) in &doc.objects {
        let Object::Dictionary(font) = object else { continue };
        if font.get(b"Type").and_then(Object::as_name).ok() != Some(b"Font") {
            continue;
        }
        let subtype = font.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
        let descriptor_id = font.get(b"FontDescriptor").and_then(Object::as_reference).ok();
        let descriptor = descriptor_id.and_then(|d| doc.get_dictionary(d).ok());
        let program = |key: &[u8]| match descriptor.and_then(|d| d.get(key).ok()).map(|o| doc.dereference(o)) {
            Some(Ok((_, Object::Stream(s)))) => Some(s),
            _ => None,
        };
        let mut builtin = None;
        if subtype == b"Type1" {
            if let (Some(file), Some(d)) = (program(b"FontFile"), descriptor_id) {
                if !font.has(b"Encoding") {
                    builtin = type1_builtin_encoding(file);
                }
                programs.push((d, b"FontFile"));
            }
        } else if subtype == b"TrueType" && program(b"FontFile2").is_some() {
            programs.push((descriptor_id.expect("a program comes from a descriptor"), b"FontFile2"));
        }
        let map = to_unicode_map(doc, font);
        // A CFF program (`/FontFile3`) makes pdf-extract start from the program's own glyph
        // names, which `/ToUnicode` overrides but `/Differences` would not.
        let simple = !matches!(subtype, b"Type0" | b"Type3") && program(b"FontFile3").is_none();
        let encoding = if simple { read_encoding(doc, font, builtin.as_ref()) } else { None };
        let mut change = Change { font: id, encoding: None, to_unicode: None };
        match (encoding, map) {
            (Some(mut encoding), Some(map)) => {
                let mut rest = BTreeMap::new();
                let mut moved = 0;
                for (code, value) in map {
                    match (code <= 0xFF, glyph_for(&value)) {
                        (true, Some(name)) => {
                            encoding.differences.insert(code, name.as_bytes().to_vec());
                            moved += 1;
                        }
                        _ => {
                            rest.insert(code, value);
                        }
                    }
                }
                // A code outside `/FirstChar`..`/LastChar` has no width: producers show none,
                // so a mapping for it that could not move is dropped rather than parsed on
                // every page.
                if let Some(shown) = shown_codes(doc, font) {
                    rest.retain(|code, _| shown.contains(code));
                }
                if moved > 0 || builtin.is_some() {
                    change.encoding = Some(encoding_dictionary(&encoding));
                    work.builtin += usize::from(builtin.is_some());
                }
                work.renamed += usize::from(moved > 0);
                if rest.is_empty() {
                    // pdf-extract then decodes every code through the encoding, as it did for
                    // every code the CMap did not hold.
                    work.dropped += 1;
                    change.to_unicode = Some(None);
                } else {
                    work.cmaps += usize::from(moved == 0);
                    change.to_unicode = Some(Some(cmap_text(&rest)));
                }
            }
            (Some(encoding), None) if builtin.is_some() => {
                change.encoding = Some(encoding_dictionary(&encoding));
                work.builtin += 1;
            }
            (_, Some(map)) => {
                change.to_unicode = Some(Some(cmap_text(&map)));
                work.cmaps += 1;
            }
            _ => {}
        }
        if change.encoding.is_some() || change.to_unicode.is_some() {
            changes.push(change);
        }
    }
    work.programs = programs.len();
    for change in changes {
        let cmap = match change.to_unicode {
            Some(Some(bytes)) => Some(Some(doc.add_object(Object::Stream(Stream::new(Dictionary::new(), bytes))))),
            Some(None) => Some(None),
            None => None,
        };
        let Ok(Object::Dictionary(font)) = doc.get_object_mut(change.font) else { continue };
        if let Some(encoding) = change.encoding {
            font.set("Encoding", Object::Dictionary(encoding));
        }
        match cmap {
            Some(Some(stream)) => font.set("ToUnicode", Object::Reference(stream)),
            Some(None) => {
                font.remove(b"ToUnicode");
            }
            None => {}
        }
    }
    for (id, key) in programs {
        if let Ok(Object::Dictionary(descriptor)) = doc.get_object_mut(id) {
            descriptor.remove(key);
        }
    }
    work
}

/// Makes the `/Differences` of simple fonts with a CFF program (`/FontFile3`) count. For such
/// a font pdf-extract maps codes through the glyph names of the program's own encoding first
/// and applies `/Differences` only to codes that encoding leaves out, the reverse of what the
/// PDF specification says; a font subset whose program numbers its glyphs from 1 then reads
/// `F` as `fi` and `I` as `fl`. A `/ToUnicode` overrides the program's names in pdf-extract,
/// so a font without one gets a CMap made from its differences. Returns how many fonts got one.
pub(crate) fn differences_over_cff(doc: &mut Document) -> usize {
    let mut changes: Vec<(ObjectId, Vec<u8>)> = Vec::new();
    for (&id, object) in &doc.objects {
        let Object::Dictionary(font) = object else { continue };
        if font.get(b"Type").and_then(Object::as_name).ok() != Some(b"Font") || font.has(b"ToUnicode") {
            continue;
        }
        if matches!(font.get(b"Subtype").and_then(Object::as_name), Ok(b"Type0" | b"Type3") | Err(_)) {
            continue;
        }
        let descriptor = font.get(b"FontDescriptor").ok().and_then(|o| doc.dereference(o).ok()).map(|(_, o)| o);
        let has_cff = matches!(descriptor, Some(Object::Dictionary(d)) if d.has(b"FontFile3"));
        if !has_cff {
            continue;
        }
        let Some(Encoding { differences, .. }) = read_encoding(doc, font, None) else { continue };
        let map: BTreeMap<u32, Vec<u8>> = differences
            .iter()
            .filter_map(|(code, name)| {
                let unit = unicode_of_glyph(std::str::from_utf8(name).ok()?)?;
                Some((*code, unit.to_be_bytes().to_vec()))
            })
            .collect();
        if !map.is_empty() {
            changes.push((id, cmap_text(&map)));
        }
    }
    let changed = changes.len();
    for (id, cmap) in changes {
        let stream = doc.add_object(Object::Stream(Stream::new(Dictionary::new(), cmap)));
        if let Ok(Object::Dictionary(font)) = doc.get_object_mut(id) {
            font.set("ToUnicode", Object::Reference(stream));
        }
    }
    changed
}

/// The character a standard glyph name (`A`, `fi`, `quoteright`, `uni2019`) stands for.
fn unicode_of_glyph(name: &str) -> Option<u16> {
    if let Some(hex) = name.strip_prefix("uni").filter(|h| h.len() == 4) {
        return u16::from_str_radix(hex, 16).ok().filter(|u| !(0xD800..=0xDFFF).contains(u));
    }
    GLYPH_NAMES
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(u, _)| *u)
        .or_else(|| LIGATURES.iter().find(|(_, _, n)| *n == name).map(|(_, u, _)| *u))
}

/// The codes a simple font gives widths for (`/FirstChar` to `/LastChar`).
fn shown_codes(doc: &Document, font: &Dictionary) -> Option<std::ops::RangeInclusive<u32>> {
    let int = |key: &[u8]| {
        let (_, o) = doc.dereference(font.get(key).ok()?).ok()?;
        u32::try_from(o.as_i64().ok()?).ok()
    };
    Some(int(b"FirstChar")?..=int(b"LastChar")?)
}

/// The font's `/ToUnicode` mappings, parsed as pdf-extract parses them. `None` when there is
/// none, or one pdf-extract would not read the usual way (it then meets it as it is).
fn to_unicode_map(doc: &Document, font: &Dictionary) -> Option<BTreeMap<u32, Vec<u8>>> {
    let (_, object) = doc.dereference(font.get(b"ToUnicode").ok()?).ok()?;
    let Object::Stream(stream) = object else { return None };
    let bytes = stream_bytes(stream)?;
    // The parser panics on what it cannot lex: keep such a CMap as it is.
    let map = std::panic::catch_unwind(|| adobe_cmap_parser::get_unicode_map(&bytes).ok()).ok().flatten()?;
    // pdf-extract rejects a CMap without mappings, and one with odd-length values.
    if map.is_empty() || map.values().any(|v| v.len() % 2 != 0) {
        return None;
    }
    Some(map.into_iter().collect())
}

/// A simple font's encoding, when pdf-extract's reading of it can be reproduced exactly:
/// a base encoding name, differences (each code once, all below 256), or the built-in
/// encoding of its Type1 program.
fn read_encoding(doc: &Document, font: &Dictionary, builtin: Option<&HashMap<u32, Vec<u8>>>) -> Option<Encoding> {
    let deref = |o: &Object| doc.dereference(o).ok().map(|(_, o)| o.clone());
    match font.get(b"Encoding").ok().and_then(deref) {
        None => builtin.map(|b| Encoding {
            base: None,
            differences: b.iter().filter(|(c, _)| **c <= 0xFF).map(|(c, n)| (*c, n.clone())).collect(),
        }),
        Some(Object::Name(name)) => Some(Encoding { base: Some(name), differences: BTreeMap::new() }),
        Some(Object::Dictionary(d)) => {
            let base = match d.get(b"BaseEncoding").ok().and_then(deref) {
                None => None,
                Some(Object::Name(name)) => Some(name),
                Some(_) => return None,
            };
            let mut differences = BTreeMap::new();
            if let Some(items) = d.get(b"Differences").ok().and_then(deref) {
                let Object::Array(items) = items else { return None };
                let mut code = 0i64;
                let mut seen = BTreeSet::new();
                for item in items.iter().map(deref) {
                    match item? {
                        Object::Integer(i) => code = i,
                        Object::Name(name) => {
                            // A code named twice reads differently in pdf-extract's table and
                            // in its character map: leave such a font alone.
                            if !(0..=0xFF).contains(&code) || !seen.insert(code) {
                                return None;
                            }
                            differences.insert(code as u32, name);
                            code += 1;
                        }
                        _ => return None,
                    }
                }
            }
            Some(Encoding { base, differences })
        }
        Some(_) => None,
    }
}

/// The `/Encoding` dictionary for an [`Encoding`].
fn encoding_dictionary(encoding: &Encoding) -> Dictionary {
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"Encoding".to_vec()));
    if let Some(base) = &encoding.base {
        dict.set("BaseEncoding", Object::Name(base.clone()));
    }
    let differences = encoding
        .differences
        .iter()
        .flat_map(|(code, name)| [Object::Integer(i64::from(*code)), Object::Name(name.clone())]);
    dict.set("Differences", Object::Array(differences.collect()));
    dict
}

/// The glyph name pdf-extract decodes to a ToUnicode value, or to a character whose NFKC form
/// is that value (the `ﬁ` ligature for `fi`): the text is normalized with NFKC first thing,
/// so both give the same stored text.
fn glyph_for(value: &[u8]) -> Option<&'static str> {
    if let Some(unit) = single_unit(value) {
        return glyph_name(unit);
    }
    let units: Vec<u16> = value.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
    let text = String::from_utf16(&units).ok()?;
    LIGATURES.iter().find(|(spelled, _, _)| *spelled == text).map(|(_, _, name)| *name)
}

/// Ligatures by the letters they stand for: (letters, ligature character, glyph name).
const LIGATURES: &[(&str, u16, &str)] =
    &[("ff", 0xFB00, "ff"), ("fi", 0xFB01, "fi"), ("fl", 0xFB02, "fl"), ("ffi", 0xFB03, "ffi"), ("ffl", 0xFB04, "ffl")];

/// A ToUnicode value that is one UTF-16 unit (not a surrogate).
fn single_unit(value: &[u8]) -> Option<u16> {
    let [hi, lo] = value else { return None };
    let unit = u16::from_be_bytes([*hi, *lo]);
    (!(0xD800..=0xDFFF).contains(&unit)).then_some(unit)
}

/// Mappings as a bare CMap: runs of consecutive codes mapped to consecutive single units as
/// `bfrange` lines (three tokens instead of two per code), the rest as `bfchar` lines.
fn cmap_text(map: &BTreeMap<u32, Vec<u8>>) -> Vec<u8> {
    let entries: Vec<(u32, &Vec<u8>)> = map.iter().map(|(c, v)| (*c, v)).collect();
    let mut ranges: Vec<(u32, u32, u16)> = Vec::new();
    let mut chars: Vec<(u32, &[u8])> = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        let (code, value) = entries[i];
        let mut j = i + 1;
        if let Some(first) = single_unit(value) {
            while j < entries.len()
                && entries[j].0 == code + (j - i) as u32
                && single_unit(entries[j].1).is_some_and(|u| u32::from(u) == u32::from(first) + (j - i) as u32)
            {
                j += 1;
            }
            if j - i >= 2 {
                ranges.push((code, entries[j - 1].0, first));
                i = j;
                continue;
            }
        }
        chars.push((code, value));
        i += 1;
    }
    let code_hex = |code: u32| if code > 0xFF { format!("{code:04X}") } else { format!("{code:02X}") };
    let mut out = String::new();
    for block in ranges.chunks(100) {
        out.push_str(&format!("{} beginbfrange\n", block.len()));
        for (lo, hi, start) in block {
            out.push_str(&format!("<{}> <{}> <{start:04X}>\n", code_hex(*lo), code_hex(*hi)));
        }
        out.push_str("endbfrange\n");
    }
    for block in chars.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", block.len()));
        for (code, unicode) in block {
            let hex: String = unicode.iter().map(|b| format!("{b:02X}")).collect();
            out.push_str(&format!("<{}> <{hex}>\n", code_hex(*code)));
        }
        out.push_str("endbfchar\n");
    }
    out.into_bytes()
}

/// A stream's content, inflated when it is compressed.
fn stream_bytes(stream: &Stream) -> Option<Vec<u8>> {
    if stream.filters().is_ok_and(|f| !f.is_empty()) {
        stream.decompressed_content().ok()
    } else {
        Some(stream.content.clone())
    }
}

/// The built-in encoding of a Type1 font program, read from its clear-text part (before
/// `eexec`) as pdf-extract reads it. `None` when it cannot be read; pdf-extract then meets the
/// font as it is.
fn type1_builtin_encoding(stream: &Stream) -> Option<HashMap<u32, Vec<u8>>> {
    crate::ingest::type1::builtin_encoding(&type1_clear_text(stream)?)
}

/// The clear-text part of a Type1 font program: `/Length1` bytes, else up to `eexec`.
pub(crate) fn type1_clear_text(stream: &Stream) -> Option<Vec<u8>> {
    let mut bytes = stream_bytes(stream)?;
    let clear = stream.dict.get(b"Length1").and_then(Object::as_i64).ok().and_then(|n| usize::try_from(n).ok());
    let end = clear
        .filter(|&n| n > 0 && n <= bytes.len())
        .or_else(|| bytes.windows(5).position(|w| w == b"eexec").map(|p| p + 5))
        .unwrap_or(bytes.len());
    bytes.truncate(end);
    Some(bytes)
}

/// The standard (Adobe Glyph List) name of a character, for the characters papers are made
/// of: ASCII, Latin-1 and Latin Extended-A, typographic punctuation, Greek and common
/// mathematics. A test checks
/// every name against the list pdf-extract decodes with.
fn glyph_name(unit: u16) -> Option<&'static str> {
    GLYPH_NAMES.binary_search_by_key(&unit, |&(u, _)| u).ok().map(|i| GLYPH_NAMES[i].1)
}

/// Characters and their glyph names, sorted by character.
const GLYPH_NAMES: &[(u16, &str)] = &[
    (0x0020, "space"),
    (0x0021, "exclam"),
    (0x0022, "quotedbl"),
    (0x0023, "numbersign"),
    (0x0024, "dollar"),
    (0x0025, "percent"),
    (0x0026, "ampersand"),
    (0x0027, "quotesingle"),
    (0x0028, "parenleft"),
    (0x0029, "parenright"),
    (0x002A, "asterisk"),
    (0x002B, "plus"),
    (0x002C, "comma"),
    (0x002D, "hyphen"),
    (0x002E, "period"),
    (0x002F, "slash"),
    (0x0030, "zero"),
    (0x0031, "one"),
    (0x0032, "two"),
    (0x0033, "three"),
    (0x0034, "four"),
    (0x0035, "five"),
    (0x0036, "six"),
    (0x0037, "seven"),
    (0x0038, "eight"),
    (0x0039, "nine"),
    (0x003A, "colon"),
    (0x003B, "semicolon"),
    (0x003C, "less"),
    (0x003D, "equal"),
    (0x003E, "greater"),
    (0x003F, "question"),
    (0x0040, "at"),
    (0x0041, "A"),
    (0x0042, "B"),
    (0x0043, "C"),
    (0x0044, "D"),
    (0x0045, "E"),
    (0x0046, "F"),
    (0x0047, "G"),
    (0x0048, "H"),
    (0x0049, "I"),
    (0x004A, "J"),
    (0x004B, "K"),
    (0x004C, "L"),
    (0x004D, "M"),
    (0x004E, "N"),
    (0x004F, "O"),
    (0x0050, "P"),
    (0x0051, "Q"),
    (0x0052, "R"),
    (0x0053, "S"),
    (0x0054, "T"),
    (0x0055, "U"),
    (0x0056, "V"),
    (0x0057, "W"),
    (0x0058, "X"),
    (0x0059, "Y"),
    (0x005A, "Z"),
    (0x005B, "bracketleft"),
    (0x005C, "backslash"),
    (0x005D, "bracketright"),
    (0x005E, "asciicircum"),
    (0x005F, "underscore"),
    (0x0060, "grave"),
    (0x0061, "a"),
    (0x0062, "b"),
    (0x0063, "c"),
    (0x0064, "d"),
    (0x0065, "e"),
    (0x0066, "f"),
    (0x0067, "g"),
    (0x0068, "h"),
    (0x0069, "i"),
    (0x006A, "j"),
    (0x006B, "k"),
    (0x006C, "l"),
    (0x006D, "m"),
    (0x006E, "n"),
    (0x006F, "o"),
    (0x0070, "p"),
    (0x0071, "q"),
    (0x0072, "r"),
    (0x0073, "s"),
    (0x0074, "t"),
    (0x0075, "u"),
    (0x0076, "v"),
    (0x0077, "w"),
    (0x0078, "x"),
    (0x0079, "y"),
    (0x007A, "z"),
    (0x007B, "braceleft"),
    (0x007C, "bar"),
    (0x007D, "braceright"),
    (0x007E, "asciitilde"),
    (0x00A0, "nbspace"),
    (0x00A1, "exclamdown"),
    (0x00A2, "cent"),
    (0x00A3, "sterling"),
    (0x00A4, "currency"),
    (0x00A5, "yen"),
    (0x00A6, "brokenbar"),
    (0x00A7, "section"),
    (0x00A8, "dieresis"),
    (0x00A9, "copyright"),
    (0x00AA, "ordfeminine"),
    (0x00AB, "guillemotleft"),
    (0x00AC, "logicalnot"),
    (0x00AD, "sfthyphen"),
    (0x00AE, "registered"),
    (0x00AF, "macron"),
    (0x00B0, "degree"),
    (0x00B1, "plusminus"),
    (0x00B2, "twosuperior"),
    (0x00B3, "threesuperior"),
    (0x00B4, "acute"),
    (0x00B5, "mu1"),
    (0x00B6, "paragraph"),
    (0x00B7, "periodcentered"),
    (0x00B8, "cedilla"),
    (0x00B9, "onesuperior"),
    (0x00BA, "ordmasculine"),
    (0x00BB, "guillemotright"),
    (0x00BC, "onequarter"),
    (0x00BD, "onehalf"),
    (0x00BE, "threequarters"),
    (0x00BF, "questiondown"),
    (0x00C0, "Agrave"),
    (0x00C1, "Aacute"),
    (0x00C2, "Acircumflex"),
    (0x00C3, "Atilde"),
    (0x00C4, "Adieresis"),
    (0x00C5, "Aring"),
    (0x00C6, "AE"),
    (0x00C7, "Ccedilla"),
    (0x00C8, "Egrave"),
    (0x00C9, "Eacute"),
    (0x00CA, "Ecircumflex"),
    (0x00CB, "Edieresis"),
    (0x00CC, "Igrave"),
    (0x00CD, "Iacute"),
    (0x00CE, "Icircumflex"),
    (0x00CF, "Idieresis"),
    (0x00D0, "Eth"),
    (0x00D1, "Ntilde"),
    (0x00D2, "Ograve"),
    (0x00D3, "Oacute"),
    (0x00D4, "Ocircumflex"),
    (0x00D5, "Otilde"),
    (0x00D6, "Odieresis"),
    (0x00D7, "multiply"),
    (0x00D8, "Oslash"),
    (0x00D9, "Ugrave"),
    (0x00DA, "Uacute"),
    (0x00DB, "Ucircumflex"),
    (0x00DC, "Udieresis"),
    (0x00DD, "Yacute"),
    (0x00DE, "Thorn"),
    (0x00DF, "germandbls"),
    (0x00E0, "agrave"),
    (0x00E1, "aacute"),
    (0x00E2, "acircumflex"),
    (0x00E3, "atilde"),
    (0x00E4, "adieresis"),
    (0x00E5, "aring"),
    (0x00E6, "ae"),
    (0x00E7, "ccedilla"),
    (0x00E8, "egrave"),
    (0x00E9, "eacute"),
    (0x00EA, "ecircumflex"),
    (0x00EB, "edieresis"),
    (0x00EC, "igrave"),
    (0x00ED, "iacute"),
    (0x00EE, "icircumflex"),
    (0x00EF, "idieresis"),
    (0x00F0, "eth"),
    (0x00F1, "ntilde"),
    (0x00F2, "ograve"),
    (0x00F3, "oacute"),
    (0x00F4, "ocircumflex"),
    (0x00F5, "otilde"),
    (0x00F6, "odieresis"),
    (0x00F7, "divide"),
    (0x00F8, "oslash"),
    (0x00F9, "ugrave"),
    (0x00FA, "uacute"),
    (0x00FB, "ucircumflex"),
    (0x00FC, "udieresis"),
    (0x00FD, "yacute"),
    (0x00FE, "thorn"),
    (0x00FF, "ydieresis"),
    (0x0100, "Amacron"),
    (0x0101, "amacron"),
    (0x0102, "Abreve"),
    (0x0103, "abreve"),
    (0x0104, "Aogonek"),
    (0x0105, "aogonek"),
    (0x0106, "Cacute"),
    (0x0107, "cacute"),
    (0x0108, "Ccircumflex"),
    (0x0109, "ccircumflex"),
    (0x010A, "Cdotaccent"),
    (0x010B, "cdotaccent"),
    (0x010C, "Ccaron"),
    (0x010D, "ccaron"),
    (0x010E, "Dcaron"),
    (0x010F, "dcaron"),
    (0x0110, "Dcroat"),
    (0x0111, "dcroat"),
    (0x0112, "Emacron"),
    (0x0113, "emacron"),
    (0x0114, "Ebreve"),
    (0x0115, "ebreve"),
    (0x0116, "Edotaccent"),
    (0x0117, "edotaccent"),
    (0x0118, "Eogonek"),
    (0x0119, "eogonek"),
    (0x011A, "Ecaron"),
    (0x011B, "ecaron"),
    (0x011C, "Gcircumflex"),
    (0x011D, "gcircumflex"),
    (0x011E, "Gbreve"),
    (0x011F, "gbreve"),
    (0x0120, "Gdotaccent"),
    (0x0121, "gdotaccent"),
    (0x0122, "Gcommaaccent"),
    (0x0123, "gcommaaccent"),
    (0x0124, "Hcircumflex"),
    (0x0125, "hcircumflex"),
    (0x0126, "Hbar"),
    (0x0127, "hbar"),
    (0x0128, "Itilde"),
    (0x0129, "itilde"),
    (0x012A, "Imacron"),
    (0x012B, "imacron"),
    (0x012C, "Ibreve"),
    (0x012D, "ibreve"),
    (0x012E, "Iogonek"),
    (0x012F, "iogonek"),
    (0x0130, "Idotaccent"),
    (0x0131, "dotlessi"),
    (0x0132, "IJ"),
    (0x0133, "ij"),
    (0x0134, "Jcircumflex"),
    (0x0135, "jcircumflex"),
    (0x0136, "Kcommaaccent"),
    (0x0137, "kcommaaccent"),
    (0x0138, "kgreenlandic"),
    (0x0139, "Lacute"),
    (0x013A, "lacute"),
    (0x013B, "Lcommaaccent"),
    (0x013C, "lcommaaccent"),
    (0x013D, "Lcaron"),
    (0x013E, "lcaron"),
    (0x013F, "Ldot"),
    (0x0140, "ldot"),
    (0x0141, "Lslash"),
    (0x0142, "lslash"),
    (0x0143, "Nacute"),
    (0x0144, "nacute"),
    (0x0145, "Ncommaaccent"),
    (0x0146, "ncommaaccent"),
    (0x0147, "Ncaron"),
    (0x0148, "ncaron"),
    (0x0149, "napostrophe"),
    (0x014A, "Eng"),
    (0x014B, "eng"),
    (0x014C, "Omacron"),
    (0x014D, "omacron"),
    (0x014E, "Obreve"),
    (0x014F, "obreve"),
    (0x0150, "Ohungarumlaut"),
    (0x0151, "ohungarumlaut"),
    (0x0152, "OE"),
    (0x0153, "oe"),
    (0x0154, "Racute"),
    (0x0155, "racute"),
    (0x0156, "Rcommaaccent"),
    (0x0157, "rcommaaccent"),
    (0x0158, "Rcaron"),
    (0x0159, "rcaron"),
    (0x015A, "Sacute"),
    (0x015B, "sacute"),
    (0x015C, "Scircumflex"),
    (0x015D, "scircumflex"),
    (0x015E, "Scedilla"),
    (0x015F, "scedilla"),
    (0x0160, "Scaron"),
    (0x0161, "scaron"),
    (0x0162, "Tcommaaccent"),
    (0x0163, "tcommaaccent"),
    (0x0164, "Tcaron"),
    (0x0165, "tcaron"),
    (0x0166, "Tbar"),
    (0x0167, "tbar"),
    (0x0168, "Utilde"),
    (0x0169, "utilde"),
    (0x016A, "Umacron"),
    (0x016B, "umacron"),
    (0x016C, "Ubreve"),
    (0x016D, "ubreve"),
    (0x016E, "Uring"),
    (0x016F, "uring"),
    (0x0170, "Uhungarumlaut"),
    (0x0171, "uhungarumlaut"),
    (0x0172, "Uogonek"),
    (0x0173, "uogonek"),
    (0x0174, "Wcircumflex"),
    (0x0175, "wcircumflex"),
    (0x0176, "Ycircumflex"),
    (0x0177, "ycircumflex"),
    (0x0178, "Ydieresis"),
    (0x0179, "Zacute"),
    (0x017A, "zacute"),
    (0x017B, "Zdotaccent"),
    (0x017C, "zdotaccent"),
    (0x017D, "Zcaron"),
    (0x017E, "zcaron"),
    (0x017F, "longs"),
    (0x0192, "florin"),
    (0x0218, "Scommaaccent"),
    (0x0219, "scommaaccent"),
    (0x02C6, "circumflex"),
    (0x02C7, "caron"),
    (0x02D8, "breve"),
    (0x02D9, "dotaccent"),
    (0x02DA, "ring"),
    (0x02DB, "ogonek"),
    (0x02DC, "tilde"),
    (0x02DD, "hungarumlaut"),
    (0x0300, "gravecomb"),
    (0x0301, "acutecomb"),
    (0x0303, "tildecomb"),
    (0x0309, "hookabovecomb"),
    (0x0323, "dotbelowcomb"),
    (0x0391, "Alpha"),
    (0x0392, "Beta"),
    (0x0393, "Gamma"),
    (0x0395, "Epsilon"),
    (0x0396, "Zeta"),
    (0x0397, "Eta"),
    (0x0398, "Theta"),
    (0x0399, "Iota"),
    (0x039A, "Kappa"),
    (0x039B, "Lambda"),
    (0x039C, "Mu"),
    (0x039D, "Nu"),
    (0x039E, "Xi"),
    (0x039F, "Omicron"),
    (0x03A0, "Pi"),
    (0x03A1, "Rho"),
    (0x03A3, "Sigma"),
    (0x03A4, "Tau"),
    (0x03A5, "Upsilon"),
    (0x03A6, "Phi"),
    (0x03A7, "Chi"),
    (0x03A8, "Psi"),
    (0x03B1, "alpha"),
    (0x03B2, "beta"),
    (0x03B3, "gamma"),
    (0x03B4, "delta"),
    (0x03B5, "epsilon"),
    (0x03B6, "zeta"),
    (0x03B7, "eta"),
    (0x03B8, "theta"),
    (0x03B9, "iota"),
    (0x03BA, "kappa"),
    (0x03BB, "lambda"),
    (0x03BD, "nu"),
    (0x03BE, "xi"),
    (0x03BF, "omicron"),
    (0x03C0, "pi"),
    (0x03C1, "rho"),
    (0x03C2, "sigma1"),
    (0x03C3, "sigma"),
    (0x03C4, "tau"),
    (0x03C5, "upsilon"),
    (0x03C6, "phi"),
    (0x03C7, "chi"),
    (0x03C8, "psi"),
    (0x03C9, "omega"),
    (0x2013, "endash"),
    (0x2014, "emdash"),
    (0x2018, "quoteleft"),
    (0x2019, "quoteright"),
    (0x201A, "quotesinglbase"),
    (0x201C, "quotedblleft"),
    (0x201D, "quotedblright"),
    (0x201E, "quotedblbase"),
    (0x2020, "dagger"),
    (0x2021, "daggerdbl"),
    (0x2022, "bullet"),
    (0x2026, "ellipsis"),
    (0x2030, "perthousand"),
    (0x2032, "minute"),
    (0x2033, "second"),
    (0x2039, "guilsinglleft"),
    (0x203A, "guilsinglright"),
    (0x2044, "fraction"),
    (0x20AC, "Euro"),
    (0x2111, "Ifraktur"),
    (0x2118, "weierstrass"),
    (0x211C, "Rfraktur"),
    (0x2122, "trademark"),
    (0x2126, "Omega"),
    (0x2135, "aleph"),
    (0x2190, "arrowleft"),
    (0x2191, "arrowup"),
    (0x2192, "arrowright"),
    (0x2193, "arrowdown"),
    (0x2194, "arrowboth"),
    (0x21D2, "arrowdblright"),
    (0x21D4, "arrowdblboth"),
    (0x2200, "universal"),
    (0x2202, "partialdiff"),
    (0x2203, "existential"),
    (0x2205, "emptyset"),
    (0x2206, "Delta"),
    (0x2207, "gradient"),
    (0x2208, "element"),
    (0x2209, "notelement"),
    (0x220F, "product"),
    (0x2211, "summation"),
    (0x2212, "minus"),
    (0x2217, "asteriskmath"),
    (0x221A, "radical"),
    (0x221D, "proportional"),
    (0x221E, "infinity"),
    (0x2227, "logicaland"),
    (0x2228, "logicalor"),
    (0x2229, "intersection"),
    (0x222A, "union"),
    (0x222B, "integral"),
    (0x223C, "similar"),
    (0x2248, "approxequal"),
    (0x2260, "notequal"),
    (0x2261, "equivalence"),
    (0x2264, "lessequal"),
    (0x2265, "greaterequal"),
    (0x2282, "propersubset"),
    (0x2283, "propersuperset"),
    (0x2286, "reflexsubset"),
    (0x2287, "reflexsuperset"),
    (0x2295, "circleplus"),
    (0x2297, "circlemultiply"),
    (0x22C5, "dotmath"),
    (0x25CA, "lozenge"),
    (0x25E6, "openbullet"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// pdf-extract's own glyph list, read from its source in Cargo's registry.
    fn pdf_extract_glyph_list() -> HashMap<String, u16> {
        let home = std::env::var_os("CARGO_HOME")
            .map(std::path::PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo")))
            .expect("CARGO_HOME or HOME");
        let registry = home.join("registry/src");
        let source = std::fs::read_dir(&registry)
            .unwrap_or_else(|e| panic!("{}: {e}", registry.display()))
            .flatten()
            .map(|index| index.path().join("pdf-extract-0.12.1/src/glyphnames.rs"))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("pdf-extract 0.12.1's glyphnames.rs under {}", registry.display()));
        let text = std::fs::read_to_string(source).unwrap();
        let mut list = HashMap::new();
        for line in text.lines() {
            let Some(rest) = line.trim().strip_prefix("(\"") else { continue };
            let Some((name, code)) = rest.split_once("\", 0x") else { continue };
            let code = code.trim_end_matches([')', ',']);
            list.insert(name.to_string(), u16::from_str_radix(code, 16).unwrap());
        }
        assert!(list.len() > 4000, "{}", list.len());
        list
    }

    #[test]
    fn every_glyph_name_decodes_to_its_character_in_pdf_extract() {
        let list = pdf_extract_glyph_list();
        for &(unit, name) in GLYPH_NAMES {
            assert_eq!(list.get(name), Some(&unit), "{name} should be U+{unit:04X}");
        }
        assert!(GLYPH_NAMES.windows(2).all(|w| w[0].0 < w[1].0), "sorted by character, once each");
        use unicode_normalization::UnicodeNormalization;
        for &(letters, unit, name) in LIGATURES {
            assert_eq!(list.get(name), Some(&unit), "{name} should be U+{unit:04X}");
            let nfkc: String = char::from_u32(u32::from(unit)).unwrap().to_string().nfkc().collect();
            assert_eq!(nfkc, letters);
        }
    }

    #[test]
    fn cmap_text_reads_back_as_the_same_mappings() {
        let map: BTreeMap<u32, Vec<u8>> = [
            (0x21, vec![0, 0x41]),
            (0x22, vec![0, 0x42]),
            (0x23, vec![0, 0x43]),
            (0x30, vec![0, 0x66, 0, 0x69]),
            (0x31, vec![0xD8, 0x35, 0xDC, 0x00]),
            (0x1234, vec![0x20, 0x13]),
        ]
        .into_iter()
        .collect();
        let text = cmap_text(&map);
        let back: BTreeMap<u32, Vec<u8>> = adobe_cmap_parser::get_unicode_map(&text).unwrap().into_iter().collect();
        assert_eq!(back, map);
        assert!(String::from_utf8(text).unwrap().contains("<21> <23> <0041>"));
    }

    #[test]
    fn differences_of_a_cff_font_become_its_unicode_map() {
        use lopdf::dictionary;
        let mut doc = Document::with_version("1.4");
        let program = doc.add_object(Stream::new(dictionary! { "Subtype" => "Type1C" }, b"not parsed here".to_vec()));
        let cff_descriptor = doc.add_object(dictionary! { "Type" => "FontDescriptor", "FontFile3" => program });
        let plain_descriptor = doc.add_object(dictionary! { "Type" => "FontDescriptor" });
        let differences = || {
            dictionary! {
                "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![1.into(), "T".into(), "F".into(), "I".into(), "fi".into(), "quoteright".into(), "uni00E9".into(), "notaglyph".into()],
            }
        };
        let cff = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "FontDescriptor" => cff_descriptor, "Encoding" => differences(),
        });
        let plain = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "FontDescriptor" => plain_descriptor, "Encoding" => differences(),
        });
        assert_eq!(differences_over_cff(&mut doc), 1);
        assert!(!doc.get_dictionary(plain).unwrap().has(b"ToUnicode"), "only CFF fonts are misread");
        let font = doc.get_dictionary(cff).unwrap().clone();
        let map = to_unicode_map(&doc, &font).expect("a CMap");
        let text: BTreeMap<u32, String> = map
            .into_iter()
            .map(|(c, v)| {
                (
                    c,
                    String::from_utf16(&v.chunks(2).map(|b| u16::from_be_bytes([b[0], b[1]])).collect::<Vec<_>>())
                        .unwrap(),
                )
            })
            .collect();
        let want: BTreeMap<u32, String> = [(1, "T"), (2, "F"), (3, "I"), (4, "\u{FB01}"), (5, "\u{2019}"), (6, "é")]
            .into_iter()
            .map(|(c, s)| (c, s.to_string()))
            .collect();
        assert_eq!(text, want, "an unknown glyph name is left to the font");
        assert_eq!(differences_over_cff(&mut doc), 0, "a font with a CMap is left alone");
    }
}
