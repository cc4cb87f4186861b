import { describe, expect, it } from 'vitest';
import en from '@/locales/en';
import zhTW from '@/locales/zh-tw';

/** Flattened keys; plural forms (`_one`, `_other`) count as one key. */
function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) =>
    keys(child, prefix ? `${prefix}.${key.replace(/_(one|other)$/, '')}` : key.replace(/_(one|other)$/, '')),
  );
}

describe('locales', () => {
  it('zh-TW and English have the same keys', () => {
    expect([...new Set(keys(en))].sort()).toEqual([...new Set(keys(zhTW))].sort());
  });
});
