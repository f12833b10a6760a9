import { describe, expect, it } from 'vitest';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi, uniqueEmail } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { csvCell } from './tickets-csv.ts';

const ctx = useTestApp({ publicUrl: 'http://localhost:3000' });

describe('GET /api/agent/tickets.csv', () => {
  it('exports the tickets of the range as CSV, formulas neutralised and quotes escaped', async () => {
    const agent = await createLoggedInAgent(ctx.app, { name: 'Zoé "Z"' });
    const email = uniqueEmail('csv');
    const { ticket } = await createTicketViaApi(ctx.app, { email, message: '=HYPERLINK("http://evil.example","clic")' });
    await ctx.app.inject({ method: 'PATCH', url: `/api/agent/tickets/${ticket.id}`, payload: { assignee_id: agent.id }, headers: { cookie: agent.cookie } });
    const today = new Date().toISOString().slice(0, 10);

    const res = await ctx.app.inject({ url: `/api/agent/tickets.csv?from=${today}&to=${today}`, headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('id,created_at,email,lang,status,priority,order_number,assignee,resolved_at,last_agent_reply_at,message');
    const line = lines.find((l) => l.includes(email))!;
    expect(line).toContain(`"${ticket.id}"`);
    expect(line).toContain('"Zoé ""Z"""');
    expect(line).toContain(`"'=HYPERLINK(""http://evil.example"",""clic"")"`);

    // A date-time range that ends before the ticket leaves it out.
    const before = await ctx.app.inject({
      url: `/api/agent/tickets.csv?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z`,
      headers: { cookie: agent.cookie },
    });
    expect(before.statusCode).toBe(200);
    expect(before.body).not.toContain(email);
  });

  it('answers 401 without a session and 400 for a bad or reversed range', async () => {
    expect((await ctx.app.inject({ url: '/api/agent/tickets.csv' })).statusCode).toBe(401);
    const { cookie } = await createLoggedInAgent(ctx.app);
    for (const q of ['from=yesterday', 'from=2026-02-01&to=2026-01-01', 'from=2020-01-01&to=2026-01-01', 'extra=1']) {
      const res = await ctx.app.inject({ url: `/api/agent/tickets.csv?${q}`, headers: { cookie } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
  });

  it('neutralises every formula prefix a spreadsheet runs', () => {
    for (const p of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${p}1+1`)).toBe(`"'${p}1+1"`);
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvCell(null)).toBe('""');
  });
});
