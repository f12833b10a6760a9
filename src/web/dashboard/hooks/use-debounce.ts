import { useEffect, useState } from 'preact/hooks';

/** The value, once it has stopped changing for `delayMs` (seed §2: search waits 300 ms). */
export function useDebounce<T>(value: T, delayMs = 300): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}
