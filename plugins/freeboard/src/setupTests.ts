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

// Dialog tests type into several fields with user-event; on a 2-core CI
// machine running every suite in parallel that can pass the 5 s default.
jest.setTimeout(30_000);
