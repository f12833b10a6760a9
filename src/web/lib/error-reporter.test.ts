// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { clientErrorReportSchema } from '../../contracts/client-errors.ts';
import { reportClientErrors } from './error-reporter.ts';

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
});

function capture(page: 'widget' | 'dashboard' | 'debug' = 'widget') {
  const sent: Array<{ url: string; body: Record<string, unknown> }> = [];
  stop = reportClientErrors(page, (url, body) => sent.push({ url, body: JSON.parse(body) }));
  return sent;
}

const throwError = (error: unknown, message = (error as Error)?.message ?? '') =>
  window.dispatchEvent(new ErrorEvent('error', { error, message }));
const rejectWith = (reason: unknown) => {
  const ev = new Event('unhandledrejection') as Event & { reason: unknown };
  Object.defineProperty(ev, 'reason', { value: reason });
  window.dispatchEvent(ev);
};

describe('reportClientErrors', () => {
  it('reports an uncaught error with its type, message, stack and the address without query or fragment', () => {
    history.replaceState(null, '', '/agent/tickets/1?embed=1#ticket=abc&token=SECRET');
    const sent = capture('dashboard');
    const err = new TypeError('x is undefined');
    throwError(err);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('/api/client-errors');
    expect(sent[0]!.body).toMatchObject({ page: 'dashboard', type: 'TypeError', message: 'x is undefined', stack: err.stack });
    expect(sent[0]!.body.url).toBe(`${location.origin}/agent/tickets/1`);
    expect(JSON.stringify(sent)).not.toContain('SECRET');
    // What it sends is what the server accepts.
    expect(clientErrorReportSchema.safeParse(sent[0]!.body).success).toBe(true);
  });

  it('reports unhandled rejections, of an Error or of a plain value', () => {
    const sent = capture();
    rejectWith(new RangeError('too far'));
    rejectWith('offline');
    expect(sent.map((s) => [s.body.type, s.body.message])).toEqual([
      ['RangeError', 'too far'],
      ['Error', 'offline'],
    ]);
  });

  it('sends the same error once, at most 10 a page, and never "Script error."', () => {
    const sent = capture();
    for (let i = 0; i < 5; i++) throwError(new Error('same'));
    throwError(null, 'Script error.');
    for (let i = 0; i < 20; i++) throwError(new Error(`error ${i}`));
    expect(sent).toHaveLength(10);
    expect(sent.filter((s) => s.body.message === 'same')).toHaveLength(1);
    // Sent second if at all, so the cap at 10 alone would not show it.
    expect(sent.map((s) => s.body.message)).not.toContain('Script error.');
  });

  it('cuts long texts to what the server accepts, without a lone surrogate', () => {
    const sent = capture();
    throwError(new Error(`${'a'.repeat(999)}😀 tail\u0000`));
    const body = sent[0]!.body;
    expect((body.message as string).length).toBeLessThanOrEqual(1000);
    expect(clientErrorReportSchema.safeParse(body).success).toBe(true);
  });

  it('stops reporting once stopped', () => {
    const sent = capture();
    stop!();
    throwError(new Error('after stop'));
    expect(sent).toHaveLength(0);
  });
});
