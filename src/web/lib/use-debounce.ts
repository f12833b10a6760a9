import { useEffect, useState } from 'preact/hooks';

/** The value, once it has stopped changing for `delay` ms (the FAQ and the queue search wait 300 ms: docs/widget.md, docs/dashboard.md). */
export function useDebounce<T>(value: T, delay = 300): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}
