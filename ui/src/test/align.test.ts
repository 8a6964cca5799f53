import { describe, expect, it } from 'vitest';
import { PageAlignment, type LayerPos } from '../lib/align';
import { splitTags } from '../lib/tags';

/** The stored text's code points `start..end`, as the core slices it. */
const slice = (text: string, s: number, e: number) => Array.from(text).slice(s, e).join('');

/** The layer position of the `nth` occurrence of `needle` in the spans (start, or end with `after`). */
function find(spans: string[], needle: string, nth = 0, after = false): LayerPos {
  let seen = 0;
  for (let span = 0; span < spans.length; span++) {
    let i = spans[span].indexOf(needle);
    while (i >= 0) {
      if (seen++ === nth) return { span, offset: after ? i + needle.length : i };
      i = spans[span].indexOf(needle, i + 1);
    }
  }
  throw new Error(`${needle} #${nth} not in spans`);
}

/** Char (code point) offset of the `nth` occurrence of `needle` in `text`. */
function at(text: string, needle: string, nth = 0): number {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  return Array.from(text.slice(0, i)).length;
}

// Shaped like page 1 of the R1 paper: pdf.js spans per line, hyphenated breaks, a ligature,
// running header; the stored text has the hyphens of split words dropped and lines joined.
const SPANS = [
  'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via',
  'Reinforcement Learning',
  'Abstract',
  'We introduce our first-generation reasoning models, DeepSeek-R1-Zero and DeepSeek-R1.',
  'DeepSeek-R1-Zero, a model trained via large-scale reinforcement learning (RL) without super-',
  'vised fine-tuning (SFT) as a preliminary step, demonstrates remarkable reasoning capabilities.',
  'Through RL, DeepSeek-R1-Zero naturally emerges with numerous powerful and intriguing',
  'reasoning behaviors. However, it encounters challenges such as poor readability, and lan-',
  'guage mixing. To address these issues and further enhance reasoning performance, we',
  'introduce DeepSeek-R1, which incorporates multi-stage training and cold-start data before',
  'RL. DeepSeek-R1 achieves performance comparable to OpenAI-o1-1217 on reasoning tasks. To',
  'support the research community, we open-source DeepSeek-R1-Zero, DeepSeek-R1, and six dense',
  'models distilled from DeepSeek-R1 based on Qwen and Llama. An e\uFB03cient setup.',
];
const STORED =
  'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning\n\nAbstract\n\n' +
  'We introduce our first-generation reasoning models, DeepSeek-R1-Zero and DeepSeek-R1. DeepSeek-R1-Zero, a model ' +
  'trained via large-scale reinforcement learning (RL) without supervised fine-tuning (SFT) as a preliminary step, ' +
  'demonstrates remarkable reasoning capabilities. Through RL, DeepSeek-R1-Zero naturally emerges with numerous ' +
  'powerful and intriguing reasoning behaviors. However, it encounters challenges such as poor readability, and ' +
  'language mixing. To address these issues and further enhance reasoning performance, we introduce DeepSeek-R1, ' +
  'which incorporates multi-stage training and cold-start data before RL. DeepSeek-R1 achieves performance ' +
  'comparable to OpenAI-o1-1217 on reasoning tasks. To support the research community, we open-source ' +
  'DeepSeek-R1-Zero, DeepSeek-R1, and six dense models distilled from DeepSeek-R1 based on Qwen and Llama. An efficient setup.';

describe('PageAlignment', () => {
  const al = new PageAlignment(SPANS, STORED);

  it('aligns nearly every character of the layer', () => {
    expect(al.coverage).toBeGreaterThan(0.99);
  });

  it('maps two whole lines across a hyphenated break to the stored text', () => {
    const s = al.toStoredSpan({ span: 4, offset: 0 }, { span: 5, offset: SPANS[5].length })!;
    expect(s.exact).toBe(true);
    expect(slice(STORED, s.start, s.end)).toBe(
      'DeepSeek-R1-Zero, a model trained via large-scale reinforcement learning (RL) without supervised fine-tuning (SFT) as a preliminary step, demonstrates remarkable reasoning capabilities.',
    );
  });

  it('maps a selection ending inside the first half of a split word to that half', () => {
    const s = al.toStoredSpan(find(SPANS, 'without'), find(SPANS, 'super', 0, true))!;
    expect(slice(STORED, s.start, s.end)).toBe('without super');
  });

  it('maps the fifth occurrence of a repeated word to the fifth occurrence in the stored text', () => {
    for (let n = 0; n < 5; n++) {
      const s = al.toStoredSpan(find(SPANS, 'reasoning', n), find(SPANS, 'reasoning', n, true))!;
      expect([s.start, s.end]).toEqual([at(STORED, 'reasoning', n), at(STORED, 'reasoning', n) + 9]);
    }
  });

  it('maps a ligature both ways', () => {
    const s = al.toStoredSpan(find(SPANS, 'e\uFB03cient'), find(SPANS, 'e\uFB03cient', 0, true))!;
    expect(slice(STORED, s.start, s.end)).toBe('efficient');
    const back = al.toLayerRanges(s.start, s.end);
    expect(back).toEqual([{ span: 12, start: SPANS[12].indexOf('e\uFB03'), end: SPANS[12].indexOf('e\uFB03') + 'e\uFB03cient'.length }]);
  });

  it('draws a stored span back on the spans it came from', () => {
    const start = at(STORED, 'language mixing');
    const ranges = al.toLayerRanges(start, start + 'language mixing'.length);
    expect(ranges).toEqual([
      { span: 7, start: SPANS[7].indexOf('lan-'), end: SPANS[7].length - 1 },
      { span: 8, start: 0, end: 'guage mixing'.length },
    ]);
  });

  it('round-trips every word: layer to stored and back', () => {
    for (let span = 0; span < SPANS.length; span++) {
      for (const m of SPANS[span].matchAll(/[A-Za-z]{4,}/g)) {
        const s = al.toStoredSpan({ span, offset: m.index }, { span, offset: m.index + m[0].length })!;
        expect(s.exact).toBe(true);
        expect(al.toLayerRanges(s.start, s.end)).toEqual([{ span, start: m.index, end: m.index + m[0].length }]);
      }
    }
  });

  it('ignores an empty selection and one of whitespace only', () => {
    expect(al.toStoredSpan({ span: 3, offset: 5 }, { span: 3, offset: 5 })).toBeNull();
    expect(al.toStoredSpan({ span: 3, offset: 2 }, { span: 3, offset: 3 })).toBeNull();
  });
});

describe('PageAlignment with differences between the extractions', () => {
  // the layer holds a header and a footnote mark the stored text lacks, and the stored text
  // a word the layer lacks; code points beyond the BMP shift UTF-16 against char offsets
  const spans = ['arXiv:2501.12948v1 [cs.CL] 22 Jan 2025', 'The 😀 model∗ learns to rethink', 'using an anthropomorphic tone.', 'Then the model learns to rethink again.'];
  const stored = 'The 😀 model learns to rethink using an extra anthropomorphic tone. Then the model learns to rethink again.';
  const al = new PageAlignment(spans, stored);

  it('maps around what only one side has', () => {
    const s = al.toStoredSpan(find(spans, 'model∗'), find(spans, 'tone.', 0, true))!;
    expect(slice(stored, s.start, s.end)).toBe('model learns to rethink using an extra anthropomorphic tone.');
    const r = al.toStoredSpan(find(spans, 'rethink', 1), find(spans, 'again', 0, true))!;
    expect(slice(stored, r.start, r.end)).toBe('rethink again');
    expect(r.start).toBe(at(stored, 'rethink', 1));
  });

  it('says where a selection of text the stored page lacks was', () => {
    const s = al.toStoredSpan({ span: 0, offset: 0 }, { span: 0, offset: spans[0].length })!;
    expect(s).toEqual({ start: 0, end: 0, exact: false });
  });
});

describe('PageAlignment on a larger page', () => {
  it('aligns a page of a few thousand characters with scattered differences, every word in place', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const words = Array.from({ length: 900 }, () => ['the', 'model', 'reasoning', 'of', 'RL', 'a', 'fine-tuning', 'data'][rnd(8)]);
    const stored = words.join(' ');
    const lines: string[] = [];
    for (let i = 0; i < words.length; i += 9) lines.push(words.slice(i, i + 9).join('  '));
    const al = new PageAlignment(lines, stored);
    expect(al.coverage).toBe(1);
    for (let k = 0; k < 200; k++) {
      const w = rnd(words.length);
      const line = Math.floor(w / 9);
      const before = words.slice(line * 9, w).map((x) => x.length + 2).reduce((a, b) => a + b, 0);
      const s = al.toStoredSpan({ span: line, offset: before }, { span: line, offset: before + words[w].length })!;
      const expected = words.slice(0, w).map((x) => x.length + 1).reduce((a, b) => a + b, 0);
      expect([s.start, s.end]).toEqual([expected, expected + words[w].length]);
    }
  });
});

describe('splitTags', () => {
  it('splits on commas and spaces, so every tag is one word as the core requires', () => {
    expect(splitTags('rl, reasoning  chain-of-thought,,rl')).toEqual(['rl', 'reasoning', 'chain-of-thought']);
    expect(splitTags('  ')).toEqual([]);
  });
});
