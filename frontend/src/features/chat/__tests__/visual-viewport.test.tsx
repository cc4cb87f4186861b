import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { keyboardInset, useVisualViewportInset } from '@/features/chat/hooks/use-visual-viewport';

class FakeVisualViewport extends EventTarget {
  height = 800;
  offsetTop = 0;
  /** The on-screen keyboard opens: the visual viewport shrinks. */
  set(height: number, offsetTop = 0) {
    this.height = height;
    this.offsetTop = offsetTop;
    this.dispatchEvent(new Event('resize'));
  }
  scrollTo(offsetTop: number) {
    this.offsetTop = offsetTop;
    this.dispatchEvent(new Event('scroll'));
  }
}

const original = Object.getOwnPropertyDescriptor(window, 'visualViewport');

afterEach(() => {
  if (original) Object.defineProperty(window, 'visualViewport', original);
  else delete (window as { visualViewport?: unknown }).visualViewport;
});

describe('useVisualViewportInset', () => {
  it('computes how much of the layout viewport the keyboard covers', () => {
    expect(keyboardInset(800, { height: 800, offsetTop: 0 })).toBe(0);
    expect(keyboardInset(800, { height: 500, offsetTop: 0 })).toBe(300);
    expect(keyboardInset(800, { height: 500, offsetTop: 100 })).toBe(200);
    expect(keyboardInset(800, { height: 900, offsetTop: 0 })).toBe(0);
  });

  it('follows visualViewport resize and scroll into CSS variables, and cleans up', () => {
    const viewport = new FakeVisualViewport();
    Object.defineProperty(window, 'visualViewport', { configurable: true, value: viewport });
    Object.defineProperty(window, 'innerHeight', { configurable: true, value: 800 });
    const root = document.createElement('div');
    const { result, unmount } = renderHook(() => useVisualViewportInset(root));
    expect(result.current).toBe(0);
    expect(root.style.getPropertyValue('--keyboard-inset')).toBe('0px');

    act(() => viewport.set(480));
    expect(result.current).toBe(320);
    expect(root.style.getPropertyValue('--keyboard-inset')).toBe('320px');
    expect(root.style.getPropertyValue('--visual-viewport-height')).toBe('480px');

    act(() => viewport.scrollTo(120));
    expect(result.current).toBe(200);
    expect(root.style.getPropertyValue('--keyboard-inset')).toBe('200px');

    unmount();
    expect(root.style.getPropertyValue('--keyboard-inset')).toBe('');
    act(() => viewport.set(800));
    expect(root.style.getPropertyValue('--keyboard-inset')).toBe('');
  });

  it('does nothing without visualViewport (older browsers)', () => {
    Object.defineProperty(window, 'visualViewport', { configurable: true, value: undefined });
    const root = document.createElement('div');
    const { result } = renderHook(() => useVisualViewportInset(root));
    expect(result.current).toBe(0);
    expect(root.style.getPropertyValue('--keyboard-inset')).toBe('');
  });
});
