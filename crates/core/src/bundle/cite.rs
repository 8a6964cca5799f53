//! Citations in a CSL style, formatted by hayagriva (a real CSL processor) with its bundled
//! APA, IEEE and Chicago styles. The papers become hayagriva entries whose titles are kept
//! verbatim, so no style re-cases "DeepSeek-V3" or "LLMs" (CSL-JSON has no way to say so).

use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{FontStyle, FontVariant, FontWeight, IndependentStyle, Locale, Style, VerticalAlign};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest, ElemChild, ElemChildren,
    Entry, LocatorPayload, SpecificLocator,
};
use serde_json::json;

use super::plan::PaperRef;
use super::references::{csl_name, CslName};
use super::CitationStyle;
use crate::error::{Error, Result};

/// A request for one citation: the item's key and the page it points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cite {
    /// The cited paper's id (its citation key).
    pub key: String,
    /// The 1-based page, as a locator.
    pub page: u32,
}

/// Formatted citations and the reference list, as hayagriva's rendered elements.
pub struct Formatted {
    /// One per [`Cite`], in order.
    pub citations: Vec<ElemChildren>,
    /// The reference list, in the style's order.
    pub bibliography: Vec<ElemChildren>,
    /// The style's full name.
    pub style_name: &'static str,
}

fn archived(style: CitationStyle) -> ArchivedStyle {
    match style {
        CitationStyle::Apa => ArchivedStyle::AmericanPsychologicalAssociation,
        CitationStyle::Ieee => ArchivedStyle::InstituteOfElectricalAndElectronicsEngineers,
        CitationStyle::Chicago => ArchivedStyle::ChicagoAuthorDate,
    }
}

/// A hayagriva entry for a paper: a preprint (arXiv) or a report, title and publisher verbatim.
pub fn entry(p: &PaperRef) -> Result<Entry> {
    let verbatim = |s: &str| json!({"value": {"value": s, "verbatim": true}});
    let authors: Vec<serde_json::Value> = p
        .authors
        .iter()
        .map(|a| match csl_name(a) {
            CslName::Person { family, given } => json!({"name": family, "given-name": given}),
            CslName::Literal { literal } => json!({"name": literal}),
        })
        .collect();
    let mut e = json!({
        "type": if p.arxiv_id.is_some() { "Article" } else { "Report" },
        "title": verbatim(&p.title),
        "author": authors,
    });
    if let Some(d) = &p.date {
        e["date"] = json!(d);
    }
    if let Some(a) = &p.arxiv_id {
        e["genre"] = json!("Preprint");
        e["publisher"] = json!({"name": verbatim("arXiv")});
        e["serial-number"] = json!({"doi": format!("10.48550/arXiv.{a}"), "arxiv": a});
        e["url"] = json!(format!("https://arxiv.org/abs/{a}"));
    } else if let Some(u) = &p.source_url {
        e["url"] = json!(u);
    }
    let lib: hayagriva::Library = serde_json::from_value(json!({ p.id.clone(): e }))
        .map_err(|e| Error::invalid("reference", format!("paper `{}` cannot be cited: {e}", p.id)))?;
    lib.get(&p.id).cloned().ok_or_else(|| Error::invalid("reference", format!("paper `{}` cannot be cited", p.id)))
}

/// Formats `cites` of `papers` in `style`, with every paper in the reference list.
pub fn format(style: CitationStyle, papers: &[PaperRef], cites: &[Cite]) -> Result<Formatted> {
    let archived = archived(style);
    let csl: IndependentStyle = match archived.get() {
        Style::Independent(s) => s,
        Style::Dependent(_) => {
            return Err(Error::invalid("style", format!("{} is a dependent CSL style", archived.display_name())))
        }
    };
    let locales: Vec<Locale> = hayagriva::archive::locales();
    let items: Vec<Entry> = papers.iter().map(entry).collect::<Result<_>>()?;
    let mut driver: BibliographyDriver<'_, Entry> = BibliographyDriver::new();
    let pages: Vec<String> = cites.iter().map(|c| c.page.to_string()).collect();
    for (cite, page) in cites.iter().zip(&pages) {
        let Some(item) = items.iter().find(|i| i.key() == cite.key) else {
            return Err(Error::invalid("citation", format!("no reference `{}` to cite", cite.key)));
        };
        let locator = SpecificLocator(Locator::Page, LocatorPayload::Str(page));
        driver.citation(CitationRequest::from_items(
            vec![CitationItem::with_locator(item, Some(locator))],
            &csl,
            &locales,
        ));
    }
    // Every item appears in the reference list, cited or not.
    for item in &items {
        let mut ci = CitationItem::with_entry(item);
        ci.hidden = true;
        driver.citation(CitationRequest::from_items(vec![ci], &csl, &locales));
    }
    let rendered = driver.finish(BibliographyRequest { style: &csl, locale: None, locale_files: &locales });
    let citations = rendered.citations.into_iter().take(cites.len()).map(|c| c.citation).collect();
    // Numeric styles put the number in a first field ("[1]"); keep it before the entry.
    let bibliography = rendered
        .bibliography
        .map(|b| {
            b.items
                .into_iter()
                .map(|i| match i.first_field {
                    Some(first) => {
                        let mut children = vec![first, ElemChild::Markup(" ".into())];
                        children.extend(i.content.0);
                        ElemChildren(children)
                    }
                    None => i.content,
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Formatted { citations, bibliography, style_name: archived.display_name() })
}

/// Plain text of rendered elements.
pub fn plain(e: &ElemChildren) -> String {
    let mut s = String::new();
    let _ = e.write_buf(&mut s, BufWriteFormat::Plain);
    s.trim().to_string()
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// HTML of rendered elements with every piece of text escaped (hayagriva's own HTML writer
/// does not escape), italics, bold, small caps and links kept.
pub fn html(e: &ElemChildren) -> String {
    let mut out = String::new();
    for child in &e.0 {
        write_child(&mut out, child);
    }
    out.trim().to_string()
}

fn write_text(out: &mut String, text: &str, f: &hayagriva::Formatting) {
    let mut close = Vec::new();
    let mut open = |tag: &'static str, open_tag: &str| {
        out.push_str(open_tag);
        close.push(tag);
    };
    if f.font_style == FontStyle::Italic {
        open("</i>", "<i>");
    }
    if f.font_weight == FontWeight::Bold {
        open("</b>", "<b>");
    }
    if f.font_variant == FontVariant::SmallCaps {
        open("</span>", "<span style=\"font-variant: small-caps\">");
    }
    match f.vertical_align {
        VerticalAlign::Sup => open("</sup>", "<sup>"),
        VerticalAlign::Sub => open("</sub>", "<sub>"),
        _ => {}
    }
    out.push_str(&html_escape(text));
    for tag in close.iter().rev() {
        out.push_str(tag);
    }
}

fn write_child(out: &mut String, child: &ElemChild) {
    match child {
        ElemChild::Text(t) => write_text(out, &t.text, &t.formatting),
        ElemChild::Elem(e) => {
            let block = e.display.is_some();
            if block {
                out.push_str("<span class=\"csl-block\">");
            }
            for c in &e.children.0 {
                write_child(out, c);
            }
            if block {
                out.push_str("</span> ");
            }
        }
        ElemChild::Markup(m) => out.push_str(&html_escape(m)),
        ElemChild::Link { text, url } => {
            let safe = url.starts_with("https://") || url.starts_with("http://");
            if safe {
                out.push_str(&format!("<a href=\"{}\">", html_escape(url)));
            }
            write_text(out, &text.text, &text.formatting);
            if safe {
                out.push_str("</a>");
            }
        }
        ElemChild::Transparent { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper() -> PaperRef {
        PaperRef {
            doi: None,
            id: "deepseek-v3".into(),
            title: "DeepSeek-V3 Technical Report <script> {LLMs} $x$".into(),
            date: Some("2024-12-26".into()),
            date_precision: None,
            arxiv_id: Some("2412.19437".into()),
            authors: vec!["DeepSeek-AI".into()],
            source_url: None,
            versions: Vec::new(),
        }
    }

    #[test]
    fn each_style_formats_a_page_citation_and_a_reference_keeping_the_title_as_written() {
        let cites = [Cite { key: "deepseek-v3".into(), page: 5 }];
        let apa = format(CitationStyle::Apa, &[paper()], &cites).unwrap();
        assert_eq!(plain(&apa.citations[0]), "(DeepSeek-AI, 2024, p. 5)");
        assert_eq!(
            plain(&apa.bibliography[0]),
            "DeepSeek-AI. (2024). DeepSeek-V3 Technical Report <script> {LLMs} $x$ [Preprint]. arXiv. https://doi.org/10.48550/arXiv.2412.19437"
        );
        let ieee = format(CitationStyle::Ieee, &[paper()], &cites).unwrap();
        assert_eq!(plain(&ieee.citations[0]), "[1, p. 5]");
        assert!(
            plain(&ieee.bibliography[0]).starts_with("[1] DeepSeek-AI, “DeepSeek-V3"),
            "{}",
            plain(&ieee.bibliography[0])
        );
        let chicago = format(CitationStyle::Chicago, &[paper()], &cites).unwrap();
        assert_eq!(plain(&chicago.citations[0]), "(DeepSeek-AI 2024, 5)");
        assert!(
            plain(&chicago.bibliography[0]).contains("“DeepSeek-V3 Technical Report"),
            "{}",
            plain(&chicago.bibliography[0])
        );
        let h = html(&apa.bibliography[0]);
        assert!(h.contains("&lt;script&gt;") && !h.contains("<script>"), "{h}");
    }
}
