// A safe Markdown subset for minutes and positions, turned into Preact elements (never HTML
// strings, never innerHTML): paragraphs (a single line break kept as a break), ATX headings
// (`#`…`######`), bullet (`-`, `*`, `+`) and numbered (`1.`, `1)`) lists, nested by indentation,
// **bold**, *italic* (also with `_`), `code`, [links](https://…) and <https://…> autolinks whose
// address is http(s) or mailto (anything else is shown as its text, unlinked), backslash
// escapes. Everything else, raw HTML included, is shown as the text it is.
//
// Linear in the input: every closing delimiter is found through a table built in one pass, and
// nesting is bounded (MAX_DEPTH), so no input can make the parser backtrack or recurse deeply.
// Pure and stateless; no words of its own (the source toggle is formatted-text.tsx).
import type { ComponentChildren, VNode } from 'preact';

export type Inline = string | { t: 'strong' | 'em'; c: Inline[] } | { t: 'code'; v: string } | { t: 'a'; href: string; c: Inline[] } | { t: 'br' };
export type Block = { t: 'h'; level: number; c: Inline[] } | { t: 'p'; c: Inline[] } | { t: 'ul' | 'ol'; start: number; tight: boolean; items: Block[][] };

/** Deeper lists and emphasis than this are shown as text. */
export const MAX_DEPTH = 8;

// ---- Blocks ----

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]|$)/;
const ITEM = /^( {0,12})([-*+]|\d{1,9}[.)])(?:[ \t]+|$)/;

interface Item {
  indent: number; // columns before the content
  ordered: boolean;
  marker: string; // '-', '*', '+' or the delimiter '.' / ')'
  start: number;
}

function itemAt(line: string): Item | null {
  const m = ITEM.exec(line);
  if (!m) return null;
  const mark = m[2];
  const ordered = mark.length > 1 || /\d/.test(mark);
  return { indent: m[0].length, ordered, marker: ordered ? mark.slice(-1) : mark, start: ordered ? Number(mark.slice(0, -1)) : 1 };
}

const blank = (line: string) => line.trim() === '';
const indentOf = (line: string) => line.length - line.trimStart().length;

/** The heading text without the closing run of `#` (trimmed by hand: no backtracking regex). */
function headingText(line: string, hashes: number): string {
  let s = line.trimStart().slice(hashes).trim();
  let end = s.length;
  while (end > 0 && s[end - 1] === '#') end--;
  if (end === 0) return '';
  if (end < s.length && (s[end - 1] === ' ' || s[end - 1] === '\t')) s = s.slice(0, end);
  return s.trim();
}

/** Parses Markdown `text` into blocks (the subset above). */
export function parseMarkdown(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return parseBlocks(lines, 0);
}

function parseBlocks(lines: string[], depth: number): Block[] {
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (blank(line)) {
      i++;
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      out.push({ t: 'h', level: h[1].length, c: parseInline(headingText(line, h[1].length), depth) });
      i++;
      continue;
    }
    const item = depth < MAX_DEPTH ? itemAt(line) : null;
    if (item) {
      i = parseList(lines, i, item, depth, out);
      continue;
    }
    // A paragraph: up to a blank line, a heading or a list item.
    const para: string[] = [];
    while (i < lines.length && !blank(lines[i]) && (para.length === 0 || (!HEADING.exec(lines[i]) && !(depth < MAX_DEPTH && itemAt(lines[i]))))) {
      para.push(lines[i].trim());
      i++;
    }
    out.push({ t: 'p', c: parseInline(para.join('\n'), depth) });
  }
  return out;
}

/** One list from line `i` (whose item is `first`); returns the index after it. */
function parseList(lines: string[], i: number, first: Item, depth: number, out: Block[]): number {
  const items: Block[][] = [];
  let tight = true;
  let sawBlank = false;
  const base = indentOf(lines[i]);
  while (i < lines.length) {
    const item = itemAt(lines[i]);
    if (!item || item.ordered !== first.ordered || item.marker !== first.marker || indentOf(lines[i]) > base + 1) break;
    if (sawBlank) tight = false;
    // The item's lines: its first line's content, then lines indented past its marker (dedented),
    // lazy continuation lines of its paragraph, and blank lines followed by indented ones.
    const own: string[] = [lines[i].slice(item.indent)];
    i++;
    sawBlank = false;
    while (i < lines.length) {
      const l = lines[i];
      if (blank(l)) {
        let j = i;
        while (j < lines.length && blank(lines[j])) j++;
        if (j < lines.length && indentOf(lines[j]) >= item.indent) {
          for (; i < j; i++) own.push('');
          tight = false;
          continue;
        }
        sawBlank = true;
        i = j;
        break;
      }
      const ind = indentOf(l);
      if (ind >= item.indent) {
        own.push(l.slice(item.indent));
      } else if (itemAt(l) || HEADING.exec(l)) {
        break;
      } else {
        own.push(l.trim()); // lazy continuation
      }
      i++;
    }
    items.push(parseBlocks(own, depth + 1));
  }
  out.push({ t: first.ordered ? 'ol' : 'ul', start: first.start, tight, items });
  return i;
}

// ---- Inline ----

const PUNCT = '\\`*_{}[]()#+-.!<>~|"\'';
const AUTOLINK = /^(?:https?:\/\/|mailto:)[^\s<>]+$/i;

/**
 * The only addresses linked: http(s) and mailto, with no space or control character (which a
 * browser would strip, letting `java\tscript:` through). Anything else gives null.
 */
export function safeHref(url: string): string | null {
  const u = url.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f]/.test(u)) return null;
  if (/^https?:\/\/[^/?#]/i.test(u) || /^mailto:[^/]/i.test(u)) return u;
  return null;
}

/** For each position, the next position at or after it where `at` holds (or -1). */
function nextTable(s: string, at: (i: number) => boolean): Int32Array {
  const next = new Int32Array(s.length + 1);
  next[s.length] = -1;
  for (let i = s.length - 1; i >= 0; i--) next[i] = at(i) ? i : next[i + 1];
  return next;
}

const space = (ch: string | undefined) => ch === undefined || /\s/.test(ch);
const alnum = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/** The scanner's lookup tables, built lazily, once per text. */
class Scanner {
  private tables = new Map<string, Int32Array>();
  constructor(readonly s: string) {}

  /** Escaped character: preceded by an odd run of backslashes. */
  escaped(i: number): boolean {
    let n = 0;
    for (let j = i - 1; j >= 0 && this.s[j] === '\\' && n < 64; j--) n++;
    return n % 2 === 1;
  }

  private table(key: string, at: (i: number) => boolean): Int32Array {
    let t = this.tables.get(key);
    if (!t) {
      t = nextTable(this.s, at);
      this.tables.set(key, t);
    }
    return t;
  }

  /** Whether [from, to) holds no white space (one lookup, however long the range). */
  noSpace(from: number, to: number): boolean {
    const j = from <= this.s.length ? this.table('space', (k) => /\s/.test(this.s[k]))[from] : -1;
    return j < 0 || j >= to;
  }

  /** The next unescaped `ch` at or after `i`, before `end`; -1 if none. */
  nextChar(ch: string, i: number, end: number): number {
    const j = i <= this.s.length ? this.table(`c${ch}`, (k) => this.s[k] === ch && (ch === '`' || !this.escaped(k)))[i] : -1;
    return j >= 0 && j < end ? j : -1;
  }

  /**
   * The next run of exactly `k` × `ch` that can close, at or after `i` and ending by `end`: a
   * whole run, after a non-space (and for `_` not before a letter or digit, so snake_case stays).
   */
  nextCloser(ch: string, k: number, i: number, end: number): number {
    const s = this.s;
    const t = this.table(`e${ch}${k}`, (j) => {
      if (s[j] !== ch || s[j - 1] === ch || space(s[j - 1]) || this.escaped(j)) return false;
      let run = 0;
      while (s[j + run] === ch && run <= k) run++;
      return run === k && (ch !== '_' || !alnum(s[j + k]));
    });
    const j = i <= s.length ? t[i] : -1;
    return j >= 0 && j + k <= end ? j : -1;
  }
}

/** Parses one block's inline text. */
export function parseInline(text: string, depth = 0): Inline[] {
  const sc = new Scanner(text);
  return inline(sc, 0, text.length, depth, true);
}

function inline(sc: Scanner, start: number, end: number, depth: number, links: boolean): Inline[] {
  const s = sc.s;
  const out: Inline[] = [];
  let buf = '';
  const flush = () => {
    if (buf) out.push(buf);
    buf = '';
  };
  let i = start;
  while (i < end) {
    const ch = s[i];
    if (ch === '\\' && i + 1 < end && PUNCT.includes(s[i + 1])) {
      buf += s[i + 1];
      i += 2;
      continue;
    }
    if (ch === '\n') {
      flush();
      out.push({ t: 'br' });
      i++;
      continue;
    }
    if (ch === '`') {
      const close = sc.nextChar('`', i + 1, end);
      if (close > i + 1) {
        flush();
        out.push({ t: 'code', v: s.slice(i + 1, close) });
        i = close + 1;
        continue;
      }
    }
    if (ch === '[' && links && depth < MAX_DEPTH) {
      const close = sc.nextChar(']', i + 1, end);
      if (close > i && s[close + 1] === '(') {
        const paren = sc.nextChar(')', close + 2, end);
        // Checked before any slice, so that many `[` before one `](` cost one lookup each.
        if (paren > close + 2 && sc.noSpace(close + 2, paren)) {
          flush();
          const label = inline(sc, i + 1, close, depth + 1, false);
          const href = safeHref(s.slice(close + 2, paren));
          if (href) out.push({ t: 'a', href, c: label });
          else out.push(...label);
          i = paren + 1;
          continue;
        }
      }
    }
    if (ch === '<' && links) {
      const close = sc.nextChar('>', i + 1, end);
      if (close > i + 1 && sc.noSpace(i + 1, close) && sc.nextChar('<', i + 1, close) < 0 && /^(?:https?:|mailto:)/i.test(s.slice(i + 1, i + 8))) {
        const url = s.slice(i + 1, close);
        const href = AUTOLINK.test(url) ? safeHref(url) : null;
        if (href) {
          flush();
          out.push({ t: 'a', href, c: [url] });
          i = close + 1;
          continue;
        }
      }
    }
    if (ch === '*' || ch === '_') {
      // A run of one, two or three opens emphasis, strong, or both; the next run of the same
      // length that can close (nextCloser) closes it. Longer runs, and runs that close nothing,
      // are text.
      let run = 0;
      while (i + run < end && s[i + run] === ch) run++;
      const opens = run <= 3 && depth < MAX_DEPTH && i + run < end && !space(s[i + run]) && (ch !== '_' || !alnum(s[i - 1]));
      const close = opens ? sc.nextCloser(ch, run, i + run + 1, end) : -1;
      if (close > 0) {
        flush();
        const inner = inline(sc, i + run, close, depth + 1, links);
        out.push(run === 1 ? { t: 'em', c: inner } : run === 2 ? { t: 'strong', c: inner } : { t: 'strong', c: [{ t: 'em', c: inner }] });
        i = close + run;
        continue;
      }
      buf += ch.repeat(run);
      i += run;
      continue;
    }
    buf += ch;
    i++;
  }
  flush();
  return out;
}

// ---- Elements ----

function inlineNodes(nodes: Inline[]): ComponentChildren[] {
  return nodes.map((n, i) => {
    if (typeof n === 'string') return n;
    switch (n.t) {
      case 'br':
        return <br key={i} />;
      case 'code':
        return <code key={i}>{n.v}</code>;
      case 'strong':
        return <strong key={i}>{inlineNodes(n.c)}</strong>;
      case 'em':
        return <em key={i}>{inlineNodes(n.c)}</em>;
      case 'a':
        return (
          <a key={i} href={n.href} rel="noopener noreferrer">
            {inlineNodes(n.c)}
          </a>
        );
    }
  });
}

function blockNodes(blocks: Block[], headingBase: number, tight = false): ComponentChildren[] {
  return blocks.map((b, i) => {
    switch (b.t) {
      case 'h': {
        const level = Math.min(6, headingBase + b.level - 1);
        const H = `h${level}` as 'h3';
        return <H key={i}>{inlineNodes(b.c)}</H>;
      }
      case 'p':
        return tight ? <span key={i}>{inlineNodes(b.c)}</span> : <p key={i}>{inlineNodes(b.c)}</p>;
      case 'ul':
        return (
          <ul key={i}>
            {b.items.map((item, j) => (
              <li key={j}>{blockNodes(item, headingBase, b.tight)}</li>
            ))}
          </ul>
        );
      case 'ol':
        return (
          <ol key={i} start={b.start === 1 ? undefined : b.start}>
            {b.items.map((item, j) => (
              <li key={j}>{blockNodes(item, headingBase, b.tight)}</li>
            ))}
          </ol>
        );
    }
  });
}

/**
 * The elements for `blocks`; a Markdown `#` heading becomes `h{headingBase}` (the page's own
 * headings come first), deeper ones follow, at most h6.
 */
export function renderMarkdown(blocks: Block[], headingBase = 3): VNode {
  return <>{blockNodes(blocks, headingBase)}</>;
}

/** Markdown `text` as elements, in a `div.markdown`. */
export function Markdown({ text, headingBase = 3, testId }: { text: string; headingBase?: number; testId?: string }) {
  return (
    <div class="markdown" dir="auto" data-testid={testId}>
      {renderMarkdown(parseMarkdown(text), headingBase)}
    </div>
  );
}
