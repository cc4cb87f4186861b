import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { isShortViewport, keyboardInset, useVisualViewportInset } from '@/features/chat/hooks/use-visual-viewport';

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

  it('tells a short visible area: an open keyboard or a low screen', () => {
    expect(isShortViewport(750, 0)).toBe(false); // a phone, keyboard closed
    expect(isShortViewport(450, 300)).toBe(true); // keyboard open
    expect(isShortViewport(600, 400)).toBe(true); // a tablet with its keyboard open
    expect(isShortViewport(600, 60)).toBe(false); // a browser toolbar, not a keyboard
    expect(isShortViewport(390, 0)).toBe(true); // a phone held sideways
  });

  it('publishes the visible height as --app-height, the pan as --visual-viewport-top, and marks a short viewport', () => {
    const viewport = new FakeVisualViewport();
    Object.defineProperty(window, 'visualViewport', { configurable: true, value: viewport });
    Object.defineProperty(window, 'innerHeight', { configurable: true, value: 800 });
    const root = document.createElement('div');
    const { unmount } = renderHook(() => useVisualViewportInset(root));
    expect(root.style.getPropertyValue('--app-height')).toBe('800px');
    expect(root.style.getPropertyValue('--visual-viewport-top')).toBe('0px');
    expect(root).not.toHaveAttribute('data-short-viewport');

    // the on-screen keyboard opens and iOS pans the visible area down
    act(() => viewport.set(440.4, 60));
    expect(root.style.getPropertyValue('--app-height')).toBe('440px');
    expect(root.style.getPropertyValue('--visual-viewport-top')).toBe('60px');
    expect(root).toHaveAttribute('data-short-viewport', 'true');

    act(() => viewport.set(800, 0));
    expect(root).not.toHaveAttribute('data-short-viewport');
    act(() => viewport.set(400, 0));
    unmount();
    expect(root.style.getPropertyValue('--app-height')).toBe('');
    expect(root.style.getPropertyValue('--visual-viewport-top')).toBe('');
    expect(root).not.toHaveAttribute('data-short-viewport');
  });

  it('does nothing without visualViewport (older browsers)', () => {
    Object.defineProperty(window, 'visualViewport', { configurable: true, value: undefined });
    const root = document.createElement('div');
    const { result } = renderHook(() => useVisualViewportInset(root));
    expect(result.current).toBe(0);
    expect(root.style.getPropertyValue('--keyboard-inset')).toBe('');
  });
});
