import { describe, expect, it } from 'vitest';
import { filenameFrom } from '@/lib/download';

describe('the file name a Content-Disposition offers', () => {
  it("prefers the exact UTF-8 name of filename*=UTF-8'' (a Chinese title survives)", () => {
    const header = `attachment; filename="Line_3.pdf"; filename*=UTF-8''${encodeURIComponent('Line 3 回焊爐溫度異常.pdf')}`;
    expect(filenameFrom(header, 'report.pdf')).toBe('Line 3 回焊爐溫度異常.pdf');
  });

  it('takes the quoted ASCII name when there is no extended one', () => {
    expect(filenameFrom('attachment; filename="incident-2026-11-30-abc.pdf"', 'report.pdf')).toBe('incident-2026-11-30-abc.pdf');
  });

  it('falls back to the ASCII name when the extended one is malformed or names a path', () => {
    expect(filenameFrom(`attachment; filename="a.pdf"; filename*=UTF-8''%E5%9B%9`, 'x')).toBe('a.pdf');
    expect(filenameFrom(`attachment; filename="a.pdf"; filename*=UTF-8''..%2Fetc%2Fpasswd`, 'x')).toBe('a.pdf');
  });

  it('uses the caller’s name without a usable header', () => {
    expect(filenameFrom(null, 'report.md')).toBe('report.md');
    expect(filenameFrom('inline', 'report.md')).toBe('report.md');
  });
});
