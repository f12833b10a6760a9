function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/**
 * When an order event happened, in the customer's time zone: the time alone for today's, the day and
 * time for older ones (a time alone on yesterday's event read as today's), the year only when it is not
 * this year's.
 */
export function eventTime(iso: string | null | undefined, lang: string, now: Date = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const time = { hour: '2-digit', minute: '2-digit' } as const;
  if (sameDay(d, now)) return d.toLocaleTimeString(lang, time);
  const year = d.getFullYear() === now.getFullYear() ? {} : ({ year: 'numeric' } as const);
  return d.toLocaleString(lang, { day: 'numeric', month: 'short', ...year, ...time });
}

/** A line's price (quantity × unit price, in euros) as the customer's language writes it. */
export function linePrice(qty: number, unitPrice: number, lang: string): string {
  return new Intl.NumberFormat(lang, { style: 'currency', currency: 'EUR' }).format(qty * unitPrice);
}
