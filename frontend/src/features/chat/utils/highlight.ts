import type { Highlight } from '@/features/chat/api/search-messages';

export type TextPart = { text: string; hit: boolean };

/**
 * Splits `text` at the server's highlight spans. The server counts Unicode code points (Python
 * string offsets), JavaScript strings count UTF-16 units, so the text is split by code point
 * (an emoji before a hit would shift it otherwise). Overlapping / out-of-range spans are tolerated.
 */
export function splitHighlights(text: string, highlights: Highlight[]): TextPart[] {
  const chars = Array.from(text);
  const spans = [...highlights]
    .map(({ start, end }) => ({ start: Math.max(0, Math.min(start, chars.length)), end: Math.max(0, Math.min(end, chars.length)) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  const parts: TextPart[] = [];
  let at = 0;
  for (const span of spans) {
    const start = Math.max(span.start, at);
    if (span.end <= start) continue;
    if (start > at) parts.push({ text: chars.slice(at, start).join(''), hit: false });
    const last = parts.at(-1);
    if (last?.hit && start === at) last.text += chars.slice(start, span.end).join('');
    else parts.push({ text: chars.slice(start, span.end).join(''), hit: true });
    at = span.end;
  }
  if (at < chars.length) parts.push({ text: chars.slice(at).join(''), hit: false });
  return parts;
}
