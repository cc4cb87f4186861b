import { describe, expect, it } from 'vitest';
import { ACCEPT, checkFile, fileIcon, formatSize, MB, nameForPasted } from '@/features/files/utils/file-types';

describe('checkFile (client-side, before asking for an upload URL)', () => {
  it('accepts the allowed images and documents by extension, whatever type the browser reports', () => {
    expect(checkFile({ name: '回焊爐溫度.PNG', size: 10, type: 'image/png' })).toEqual({ ok: true, kind: 'image', contentType: 'image/png' });
    expect(checkFile({ name: 'line3.log', size: 10, type: '' })).toEqual({ ok: true, kind: 'document', contentType: 'text/plain' });
    expect(checkFile({ name: 'data.csv', size: 10, type: 'application/vnd.ms-excel' })).toMatchObject({ ok: true, contentType: 'text/csv' });
    expect(checkFile({ name: 'SOP.docx', size: 10, type: '' })).toMatchObject({ ok: true, kind: 'document' });
  });

  it('refuses other types, empty files and files over the limit of their kind', () => {
    expect(checkFile({ name: 'setup.exe', size: 10, type: 'application/x-msdownload' })).toEqual({ ok: false, error: 'wrong_type' });
    expect(checkFile({ name: 'noext', size: 10, type: 'image/png' })).toEqual({ ok: false, error: 'wrong_type' });
    expect(checkFile({ name: 'a.png', size: 0, type: 'image/png' })).toMatchObject({ ok: false, error: 'empty' });
    expect(checkFile({ name: 'a.png', size: 20 * MB, type: 'image/png' })).toMatchObject({ ok: true });
    expect(checkFile({ name: 'a.png', size: 20 * MB + 1, type: 'image/png' })).toEqual({ ok: false, error: 'too_large', kind: 'image', limit: 20 * MB });
    expect(checkFile({ name: 'a.pdf', size: 30 * MB, type: 'application/pdf' })).toMatchObject({ ok: true });
    expect(checkFile({ name: 'a.pdf', size: 50 * MB + 1, type: 'application/pdf' })).toMatchObject({ ok: false, error: 'too_large', limit: 50 * MB });
  });

  it('offers the allowed extensions and types to the file picker', () => {
    expect(ACCEPT.split(',')).toEqual(expect.arrayContaining(['.png', '.pdf', '.xlsx', 'image/webp', 'text/csv']));
  });
});

describe('helpers', () => {
  it('formats sizes', () => {
    expect(formatSize(12)).toBe('12 B');
    expect(formatSize(2048)).toBe('2 KB');
    expect(formatSize(1.5 * MB)).toBe('1.5 MB');
  });

  it('names pasted screenshots by time, keeps real names', () => {
    const at = new Date(2025, 10, 17, 9, 5, 7);
    expect(nameForPasted(new File(['x'], 'image.png', { type: 'image/png' }), at)).toBe('paste-20251117-090507.png');
    expect(nameForPasted(new File(['x'], '', { type: 'image/jpeg' }), at)).toBe('paste-20251117-090507.jpg');
    expect(nameForPasted(new File(['x'], '爐溫.png', { type: 'image/png' }), at)).toBe('爐溫.png');
  });

  it('labels the icon by type', () => {
    expect(fileIcon('application/pdf', 'a.pdf')).toBe('PDF');
    expect(fileIcon('text/csv', 'a.csv')).toBe('CSV');
    expect(fileIcon('image/png')).toBe('PNG');
    expect(fileIcon('application/octet-stream', 'x')).toBe('FILE');
  });
});
