//! The pages of an extracted file as they are stored: normalized text where the text layer
//! reads as words, nothing where it does not (a scan, a failed page, unmapped glyphs), each page
//! marked with where its text came from, and the file's problems in sentences.

use crate::ingest::extract::Extracted;
use crate::ingest::normalize::normalize_pages;
use crate::ingest::quality::{classify, PageSource};
use crate::model::{OcrState, PageProblem, TextLayer};

/// The stored form of a file's pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageTexts {
    /// Normalized text per page; empty for pages without usable text.
    pub pages: Vec<String>,
    /// Where each page's text came from.
    pub sources: Vec<PageSource>,
    /// How much of the file has a text layer.
    pub layer: TextLayer,
    /// Whether OCR is wanted (and possible).
    pub ocr: OcrState,
    /// What went wrong, page by page (page 0: the whole file).
    pub problems: Vec<PageProblem>,
}

impl PageTexts {
    /// Classifies and normalizes an extraction. `ocr_available`: whether Tesseract can read
    /// the pages without text later.
    pub fn read(extracted: &Extracted, ocr_available: bool) -> Self {
        let mut pages = normalize_pages(&extracted.pages);
        let mut sources: Vec<PageSource> = pages.iter().map(|t| classify(t)).collect();
        let mut problems: Vec<PageProblem> =
            extracted.repairs.iter().map(|r| PageProblem { page: 0, problem: format!("Repaired: {r}.") }).collect();
        for (page, reason) in &extracted.page_errors {
            if let Some(s) = sources.get_mut(*page as usize - 1) {
                *s = PageSource::Unreadable;
            }
            problems.push(PageProblem { page: *page, problem: format!("{}.", capitalize(reason)) });
        }
        for (i, source) in sources.iter().enumerate() {
            if *source == PageSource::Unreadable {
                pages[i].clear();
                if !extracted.page_errors.iter().any(|(p, _)| *p as usize == i + 1) {
                    problems.push(PageProblem {
                        page: i as u32 + 1,
                        problem: "Its text layer uses a font whose letters cannot be read; the text is not indexed."
                            .into(),
                    });
                }
            }
        }
        let text = sources.iter().filter(|s| **s == PageSource::Text).count();
        let unreadable = sources.iter().filter(|s| **s == PageSource::Unreadable).count();
        let empty = sources.iter().filter(|s| **s == PageSource::Empty).count();
        // A few empty pages in a text document are blank or figure pages; many are scanned.
        let scanned_pages = text == 0 || empty * 4 > sources.len();
        let layer = if text == 0 {
            TextLayer::None
        } else if unreadable > 0 || (scanned_pages && empty > 0) {
            TextLayer::Partial
        } else {
            TextLayer::Text
        };
        if text == 0 {
            // A text layer whose every glyph is unmapped is not a scan, though it is read as one.
            let problem = if unreadable == 0 {
                "No text layer: the pages are images (a scan)."
            } else {
                "No usable text layer: its fonts' letters cannot be read, so the pages are read as images."
            };
            problems.push(PageProblem { page: 0, problem: problem.into() });
        }
        let ocr = match layer {
            TextLayer::Text => OcrState::None,
            _ if ocr_available => OcrState::Pending,
            _ => OcrState::Unavailable,
        };
        if !scanned_pages {
            // Blank pages are not worth OCR; only unreadable ones are.
            for s in &mut sources {
                if *s == PageSource::Empty {
                    *s = PageSource::Text;
                }
            }
        }
        Self { pages, sources, layer, ocr, problems }
    }

    /// Sentences for the import's report on this file.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        for p in self.problems.iter().filter(|p| p.page == 0) {
            notes.push(p.problem.clone());
        }
        let bad: Vec<String> = self.problems.iter().filter(|p| p.page > 0).map(|p| p.page.to_string()).collect();
        if !bad.is_empty() {
            let shown: Vec<String> = bad.iter().take(12).cloned().collect();
            let more =
                if bad.len() > shown.len() { format!(" and {} more", bad.len() - shown.len()) } else { String::new() };
            notes.push(format!(
                "{} of {} pages have no readable text (page {}{more}); they are not indexed as words.",
                bad.len(),
                self.pages.len(),
                shown.join(", ")
            ));
        }
        match self.ocr {
            OcrState::Pending => notes.push("OCR will read the pages without text in the background.".into()),
            OcrState::Unavailable => {
                notes.push("Flagged \"no text layer\": install Tesseract (tesseract-ocr) to make it searchable.".into())
            }
            _ => {}
        }
        notes
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extracted(pages: &[&str]) -> Extracted {
        Extracted { pages: pages.iter().map(|p| p.to_string()).collect(), ..Default::default() }
    }

    const PROSE: &str = "A protocol for anonymous communication over the Internet that hides who talks to whom.";

    #[test]
    fn a_scan_is_kept_without_text_and_waits_for_ocr() {
        let t = PageTexts::read(&extracted(&["", " ", ""]), true);
        assert_eq!(t.layer, TextLayer::None);
        assert_eq!(t.ocr, OcrState::Pending);
        assert!(t.sources.iter().all(|s| *s == PageSource::Empty));
        let t = PageTexts::read(&extracted(&["", ""]), false);
        assert_eq!(t.ocr, OcrState::Unavailable);
        assert!(t.notes().iter().any(|n| n.contains("no text layer")), "{:?}", t.notes());
    }

    #[test]
    fn unreadable_pages_are_not_stored_as_words() {
        let soup = "!\"#$%&'()*+ ,-./0 !\"#$ %&'()*+,-./ !\"# $%&'()* +,-./0 !\"#$%&'( )*+,-./";
        let t = PageTexts::read(&extracted(&[PROSE, soup, PROSE]), true);
        assert_eq!(t.pages[1], "");
        assert_eq!(t.sources[1], PageSource::Unreadable);
        assert_eq!(t.layer, TextLayer::Partial);
        assert_eq!(t.ocr, OcrState::Pending);
        assert!(t.notes()[0].contains("1 of 3 pages"), "{:?}", t.notes());
    }

    #[test]
    fn a_text_layer_that_cannot_be_read_is_not_called_a_scan() {
        let soup = "!\"#$%&'()*+ ,-./0 !\"#$ %&'()*+,-./ !\"# $%&'()* +,-./0 !\"#$%&'( )*+,-./";
        let t = PageTexts::read(&extracted(&[soup, soup]), true);
        assert_eq!(t.layer, TextLayer::None);
        assert_eq!(t.ocr, OcrState::Pending);
        let notes = t.notes();
        assert!(notes[0].starts_with("No usable text layer"), "{notes:?}");
        assert!(!notes.iter().any(|n| n.contains("(a scan)")), "{notes:?}");
        let scan = PageTexts::read(&extracted(&["", ""]), true);
        assert!(scan.notes()[0].contains("(a scan)"), "{:?}", scan.notes());
    }

    #[test]
    fn a_blank_page_in_a_text_document_is_no_problem() {
        let t = PageTexts::read(&extracted(&[PROSE, "", PROSE, PROSE, PROSE]), true);
        assert_eq!(t.layer, TextLayer::Text);
        assert_eq!(t.ocr, OcrState::None);
        assert!(t.notes().is_empty());
    }

    #[test]
    fn failed_pages_are_named() {
        let mut e = extracted(&[PROSE, ""]);
        e.page_errors.push((2, "the text extractor failed on this page".into()));
        let t = PageTexts::read(&e, false);
        assert_eq!(t.sources[1], PageSource::Unreadable);
        assert!(t.problems.iter().any(|p| p.page == 2 && p.problem.starts_with("The text extractor failed")));
    }
}
