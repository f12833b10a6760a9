import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../contracts/tickets.ts';
import { createAgent } from '../../test/agent-factories.ts';
import { uniqueEmail } from '../../test/factories.ts';
import { useTestApp } from '../../test/test-app.ts';
import { EMAILS_PER_RECIPIENT_PER_HOUR } from '../../events/email-outbox.ts';
import { TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY } from '../../modules/tickets/index.ts';
import { expectError, expectNoWrites, useStaff } from '../../test/adversarial-fixtures.ts';

// Issue 13: what a stranger could do to a customer or an agent with nothing but their e-mail address,
// an order number or a clientId. Each attack runs from its own client address; the victim's own calls
// come from another one, as on the Internet. The module tests hold the finer cases (tickets.test.ts,
// auth.test.ts, orders.test.ts, email.test.ts with a real SMTP sink).

const ctx = useTestApp({ publicUrl: 'http://localhost:3000' });
const db = () => ctx.testDb.db;
const staff = useStaff(ctx);

let ipCounter = 0;
function freshIp(): string {
  ipCounter += 1;
  return `10.13.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

function openTicket(payload: Record<string, unknown>, remoteAddress: string) {
  return ctx.app.inject({ method: 'POST', url: '/api/tickets', payload, remoteAddress });
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db().query<{ n: number }>(sql, params);
  return rows[0]!.n;
}

describe('conversation takeover through the opening clientId', () => {
  it('answers a stranger replaying e-mail and clientId with 409, no token, nothing written, and the customer keeps the ticket', async () => {
    const email = uniqueEmail();
    const clientId = randomUUID();
    const clientSecret = randomBytes(32).toString('base64url');
    const opened = await openTicket({ email, message: 'My order is late', clientId, clientSecret }, freshIp());
    expect(opened.statusCode).toBe(201);
    const { ticket, token } = opened.json();

    for (const payload of [
      { email, message: 'My order is late', clientId },
      { email, message: 'x', clientId, clientSecret: randomBytes(32).toString('base64url') },
    ]) {
      await expectNoWrites(db(), async () => {
        const res = await openTicket(payload, freshIp());
        expectError(res, 409, 'conflict');
        expect(res.json()).not.toHaveProperty('token');
        expect(res.body).not.toContain(ticket.id);
      });
    }
    const read = await ctx.app.inject({ url: `/api/tickets/${ticket.id}/messages`, headers: { authorization: `Bearer ${token}` } });
    expect(read.statusCode).toBe(200);
  });

  it('shows a message\'s client_id to its author\'s side only', async () => {
    const clientId = randomUUID();
    const opened = await openTicket({ email: uniqueEmail(), message: 'Hello', clientId }, freshIp());
    const { ticket, token } = opened.json();
    const replyClientId = randomUUID();
    const reply = await ctx.app.inject({
      method: 'POST',
      url: `/api/agent/tickets/${ticket.id}/messages`,
      headers: { cookie: staff.agent.cookie, origin: 'http://localhost:3000' },
      payload: { body: 'On it', clientId: replyClientId },
    });
    expect(reply.statusCode).toBe(201);
    expect(reply.json().message.client_id).toBe(replyClientId);

    const customer = await ctx.app.inject({ url: `/api/tickets/${ticket.id}/messages`, headers: { authorization: `Bearer ${token}` } });
    expect(customer.json().messages.map((m: { author_type: string; client_id: string | null }) => [m.author_type, m.client_id])).toEqual([
      ['user', clientId],
      ['agent', null],
    ]);
    const agent = await ctx.app.inject({ url: `/api/agent/tickets/${ticket.id}`, headers: { cookie: staff.agent.cookie } });
    expect(agent.json().messages.map((m: { author_type: string; client_id: string | null }) => [m.author_type, m.client_id])).toEqual([
      ['user', null],
      ['agent', replyClientId],
    ]);
  });
});

describe('locking an admin out', () => {
  it('lets the admin in after five wrong passwords for their address from a stranger\'s address', async () => {
    const admin = await createAgent(db(), { role: 'admin' });
    const stranger = freshIp();
    for (let i = 0; i < 5; i++) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: admin.email, password: `guess-${i}` }, remoteAddress: stranger });
      expectError(res, 401, 'unauthorized');
    }
    expectError(
      await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: admin.email, password: 'guess' }, remoteAddress: stranger }),
      429,
      'rate_limited',
    );
    const own = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: admin.email, password: admin.password }, remoteAddress: freshIp() });
    expect(own.statusCode).toBe(200);
  });
});

describe('the ticket form as a mail relay', () => {
  it('queues no e-mail past the hourly cap for one address, yet opens the ticket', async () => {
    const target = uniqueEmail('inbox');
    for (let i = 0; i < EMAILS_PER_RECIPIENT_PER_HOUR; i++) {
      expect((await openTicket({ email: target, message: `Click https://evil.test/${i}` }, freshIp())).statusCode).toBe(201);
    }
    await expectNoWrites(
      db(),
      async () => expect((await openTicket({ email: target, message: 'Click https://evil.test/again' }, freshIp())).statusCode).toBe(201),
      { support_requests: 1, support_messages: 1, support_analytics: 2 },
    );
    expect(await count('SELECT count(*)::int AS n FROM email_queue WHERE recipient_email = $1', [target])).toBe(EMAILS_PER_RECIPIENT_PER_HOUR);
  });
});

describe('blocking a customer\'s order tracking', () => {
  it('still answers the customer after ten wrong-e-mail look-ups on their order number from a stranger', async () => {
    const number = `TF-${randomUUID().slice(0, 8).toUpperCase()}`;
    const email = uniqueEmail('orders');
    await db().query(`INSERT INTO orders (number, email, status, source_updated_at, tracking_token) VALUES ($1, $2, 'received', now(), $3)`, [
      number,
      email,
      randomBytes(32).toString('base64url'),
    ]);
    const stranger = freshIp();
    for (let i = 0; i < 10; i++) {
      const res = await ctx.app.inject({ url: `/api/orders/track?number=${number}&email=${encodeURIComponent(uniqueEmail())}`, remoteAddress: stranger });
      expectError(res, 404, 'not_found');
    }
    expectError(await ctx.app.inject({ url: `/api/orders/track?number=${number}&email=${encodeURIComponent(email)}`, remoteAddress: stranger }), 429, 'rate_limited');
    const own = await ctx.app.inject({ url: `/api/orders/track?number=${number}&email=${encodeURIComponent(email)}`, remoteAddress: freshIp() });
    expect(own.statusCode).toBe(200);
    expect(own.json().order.number).toBe(number);
  });
});

describe('spending a customer\'s ticket quota and changing their language', () => {
  it('leaves the customer tickets of their own and their language after five tickets opened in their name', async () => {
    const victim = uniqueEmail('victim');
    expect((await openTicket({ email: victim, message: 'Bonjour', lang: 'fr' }, freshIp())).statusCode).toBe(201);
    const stranger = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.ticketsPerEmailPerDay; i++) {
      statuses.push((await openTicket({ email: victim, message: `Hello ${i}`, lang: 'en' }, stranger)).statusCode);
    }
    expect(statuses).toEqual([
      ...Array(TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY).fill(201),
      ...Array(LIMITS.ticketsPerEmailPerDay - TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY).fill(429),
    ]);
    expect(await count('SELECT count(*)::int AS n FROM support_requests WHERE email = $1', [victim])).toBe(1 + TICKETS_PER_EMAIL_PER_ADDRESS_PER_DAY);

    const own = await openTicket({ email: victim, message: 'Ma commande ?' }, freshIp());
    expect(own.statusCode).toBe(201);
    expect(own.json().ticket.lang).toBe('fr');
    expect(await count(`SELECT count(*)::int AS n FROM user_preferences WHERE user_id = $1 AND language = 'fr'`, [victim])).toBe(1);
  });
});
