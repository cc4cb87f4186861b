import { describe, expect, it } from 'vitest';
import { parseFrame } from '@/lib/socket/frames';

describe('parseFrame', () => {
  it('accepts JSON objects with a type and ignores anything else', () => {
    expect(parseFrame('{"type":"pong"}')).toEqual({ type: 'pong' });
    expect(parseFrame('not json')).toBeNull();
    expect(parseFrame('{"no":"type"}')).toBeNull();
    expect(parseFrame('[1,2]')).toBeNull();
    expect(parseFrame(new ArrayBuffer(2))).toBeNull();
  });
});
