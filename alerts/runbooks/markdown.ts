// Runbook Markdown to HTML that is safe to put in the dashboard as is: raw HTML is escaped,
// links and images may only point to http(s), mailto or relative targets, and headings get
// ids (prefixed, so a heading can never take the id of a dashboard element) for in-page links.
// Also the plain-text first steps an alert email shows inline.
import markdownit, { type MarkdownIt, type Token } from 'markdown-it';

/** Heading ids are `rb-<slug>`; a runbook's `[x](#slug)` links are rewritten to match. */
export const HEADING_ID_PREFIX = 'rb-';
/** At most this many first steps go into an email. */
export const MAX_FIRST_STEPS = 5;

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * True for http(s) and mailto URLs and for relative ones (a path, `?query` or `#fragment`).
 * Browsers ignore ASCII whitespace and control characters inside a scheme (`java\tscript:`),
 * and entities or percent-escapes may hide one, so the check runs on every decoded spelling.
 */
export function isSafeLink(url: string): boolean {
  const spellings = [url];
  try {
    spellings.push(decodeURIComponent(url));
  } catch {
    return false;
  }
  return spellings.every((spelling) => {
    const squeezed = spelling.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
    const scheme = /^([a-z][a-z0-9+.-]*):/.exec(squeezed)?.[1];
    if (scheme !== undefined) return SAFE_SCHEMES.has(scheme);
    // No scheme, but a colon before the first /, ? or # would still read as one to some parser.
    return !/^[^/?#]*:/.test(squeezed);
  });
}

/** Lowercase words joined by dashes: `## Common causes` → `common-causes`. */
export function slugify(text: string): string {
  const slug = text.normalize('NFKD').toLowerCase().replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, 64) || 'section';
}

/** The text of an inline token's children, markup dropped, line breaks as spaces. */
function plainText(tokens: Token[] | null): string {
  let out = '';
  for (const token of tokens ?? []) {
    if (token.type === 'text' || token.type === 'code_inline' || token.type === 'html_inline') out += token.content;
    else if (token.type === 'softbreak' || token.type === 'hardbreak') out += ' ';
    else if (token.type === 'image') out += plainText(token.children);
  }
  return out;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function createRenderer(): MarkdownIt {
  const md = markdownit({ html: false, linkify: false, typographer: false });
  md.validateLink = isSafeLink;

  md.core.ruler.push('telltale_heading_ids', (state) => {
    const used = new Map<string, number>();
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (token?.type === 'heading_open') {
        const base = slugify(plainText(tokens[i + 1]?.children ?? null));
        const n = (used.get(base) ?? 0) + 1;
        used.set(base, n);
        token.attrSet('id', `${HEADING_ID_PREFIX}${n === 1 ? base : `${base}-${n}`}`);
      }
      for (const child of token?.children ?? []) {
        if (child.type !== 'link_open') continue;
        const href = String(child.attrGet('href') ?? '');
        if (href.startsWith('#') && href.length > 1) child.attrSet('href', `#${HEADING_ID_PREFIX}${href.slice(1)}`);
        else if (/^(https?:)?\/\//i.test(href)) child.attrSet('rel', 'noopener noreferrer nofollow');
      }
    }
  });
  return md;
}

let renderer: MarkdownIt | null = null;
// Built on first use, not at import (no work at import time).
const markdownIt = (): MarkdownIt => (renderer ??= createRenderer());

export interface RenderedMarkdown {
  html: string;
  /** The items of the first ordered list, as plain text, at most MAX_FIRST_STEPS. */
  firstSteps: string[];
}

export function renderRunbookMarkdown(markdown: string): RenderedMarkdown {
  const md = markdownIt();
  const tokens = md.parse(markdown, {});
  return { html: md.renderer.render(tokens, md.options, {}), firstSteps: firstSteps(tokens) };
}

function firstSteps(tokens: Token[]): string[] {
  const start = tokens.findIndex((t) => t.type === 'ordered_list_open');
  const list = tokens[start];
  if (!list) return [];
  const steps: string[] = [];
  let current: string[] | null = null;
  for (let i = start + 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token) break;
    if (token.type === 'ordered_list_close' && token.level === list.level) break;
    if (token.type === 'list_item_open' && token.level === list.level + 1) current = [];
    else if (token.type === 'list_item_close' && token.level === list.level + 1 && current) {
      const text = oneLine(current.join(' '));
      if (text) steps.push(text);
      current = null;
    } else if (token.type === 'inline' && current && token.level === list.level + 3) {
      // The item's own paragraphs (level + 3: list item, paragraph, inline); nested lists are detail.
      current.push(plainText(token.children));
    }
  }
  return steps.slice(0, MAX_FIRST_STEPS);
}
