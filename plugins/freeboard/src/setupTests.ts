import '@testing-library/jest-dom';

// recharts' ResponsiveContainer watches its size with ResizeObserver, which
// jsdom lacks. Charts then render empty in tests, which is fine: tests assert
// on the accessible summary, not on the drawing.
if (!('ResizeObserver' in window)) {
  class NoopResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.defineProperty(window, 'ResizeObserver', {
    value: NoopResizeObserver,
    writable: true,
  });
}
