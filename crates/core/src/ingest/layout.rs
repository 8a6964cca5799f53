//! The layout of a page's text: lines with their font size and place on the page, recorded
//! beside pdf-extract's plain text. Titles and authors are read from it (see
//! [`crate::ingest::metadata`]): a title is the largest text near the top of the first page,
//! whatever its first line says.

use pdf_extract::{MediaBox, OutputDev, OutputError, PlainTextOutput, Transform};
use serde::{Deserialize, Serialize};

/// One line of text on a page as it is laid out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextLine {
    /// The characters of the line, with spaces where the glyphs leave a gap.
    pub text: String,
    /// The font size in points (the largest on the line).
    pub size: f32,
    /// Distance of the baseline from the top of the page, in points.
    pub top: f32,
    /// Distance of the line's first glyph from the left of the page, in points.
    pub left: f32,
}

/// A page's lines and its size.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageLayout {
    /// Height of the page in points.
    pub height: f32,
    /// Width of the page in points.
    pub width: f32,
    /// Lines in the order the PDF draws them.
    pub lines: Vec<TextLine>,
}

/// The most lines kept per page (a title page never needs more).
const MAX_LINES: usize = 400;

/// An [`OutputDev`] that writes pdf-extract's plain text and, when asked, records the layout.
pub struct Recorder<'a> {
    plain: PlainTextOutput<&'a mut String>,
    layout: Option<&'a mut PageLayout>,
    page_top: f64,
    page_left: f64,
    last_end: f64,
    last_y: f64,
    word_start: bool,
}

impl<'a> Recorder<'a> {
    /// Writes plain text into `text` and, if `layout` is given, lines into it.
    pub fn new(text: &'a mut String, layout: Option<&'a mut PageLayout>) -> Self {
        Self {
            plain: PlainTextOutput::new(text),
            layout,
            page_top: 0.0,
            page_left: 0.0,
            last_end: f64::MAX,
            last_y: f64::MAX,
            word_start: false,
        }
    }
}

impl OutputDev for Recorder<'_> {
    fn begin_page(&mut self, num: u32, media: &MediaBox, art: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        self.page_top = media.ury;
        self.page_left = media.llx;
        if let Some(l) = self.layout.as_deref_mut() {
            l.height = (media.ury - media.lly).abs() as f32;
            l.width = (media.urx - media.llx).abs() as f32;
        }
        self.plain.begin_page(num, media, art)
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.plain.end_page()
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        spacing: f64,
        size: f64,
        ch: &str,
    ) -> Result<(), OutputError> {
        self.plain.output_character(trm, width, spacing, size, ch)?;
        let Some(layout) = self.layout.as_deref_mut() else { return Ok(()) };
        // Rotated text (an arXiv stamp up the margin, a rotated table) is not part of the lines.
        if trm.m11.abs() <= 4.0 * trm.m12.abs() || trm.m22.abs() <= 4.0 * trm.m21.abs() {
            return Ok(());
        }
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = size * scale;
        let (x, y) = (trm.m31, trm.m32);
        if !size.is_finite() || size <= 0.0 || !x.is_finite() || !y.is_finite() {
            return Ok(());
        }
        let same_line = (y - self.last_y).abs() <= size * 0.5 && x >= self.last_end - size * 2.0;
        let top = (self.page_top - y) as f32;
        let full = layout.lines.len() >= MAX_LINES;
        match layout.lines.last_mut() {
            Some(line) if same_line => {
                if x > self.last_end + size * 0.1 || (self.word_start && x > self.last_end + size * 0.05) {
                    line.text.push(' ');
                }
                line.text.push_str(ch);
                line.size = line.size.max(size as f32);
            }
            _ if full => {}
            _ => layout.lines.push(TextLine {
                text: ch.to_string(),
                size: size as f32,
                top,
                left: (x - self.page_left) as f32,
            }),
        }
        self.word_start = false;
        self.last_y = y;
        self.last_end = x + width * size;
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.word_start = true;
        self.plain.begin_word()
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        self.plain.end_word()
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        self.plain.end_line()
    }
}
