import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_LIMITS } from '../../../contracts/attachments.ts';
import { ticketChannel } from '../../../contracts/realtime.ts';
import { translator } from '../../i18n.ts';
import { createLoggedInAgent } from '../../test/agent-factories.ts';
import { createTicketViaApi } from '../../test/factories.ts';
import { multipartBody } from '../../test/multipart.ts';
import { useTestApp } from '../../test/test-app.ts';
import { createAttachmentStore, deleteAbandonedUploads } from './index.ts';
import { realtimeUrl, TestSocket } from '../../test/test-socket.ts';

const ctx = useTestApp({ attachmentTicketQuotaFiles: 12 });

/** A 40 × 20 JPEG whose EXIF says "rotate 90°" (orientation 6) and carries a GPS position. */
async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .jpeg()
    .withMetadata({
      orientation: 6,
      exif: {
        IFD0: { Make: 'PhoneMaker', Model: 'Phone 12' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '50/1 50/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '4/1 21/1 0/1' },
      },
    })
    .toBuffer();
}

const png = (w = 8, h = 8) => sharp({ create: { width: w, height: h, channels: 4, background: '#00aa00' } }).png().toBuffer();

/** A valid PNG header (signature + IHDR with its CRC) that claims width × height pixels, and no image data. */
function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const type = Buffer.from('IHDR');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, ihdr])) >>> 0);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(13);
  const idat = Buffer.from('789c636000000001000100', 'hex'); // a tiny deflate stream, far short of the pixels
  const idatLen = Buffer.alloc(4);
  idatLen.writeUInt32BE(idat.length);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), len, type, ihdr, crc, idatLen, Buffer.from('IDAT'), idat, Buffer.alloc(4)]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c;
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

function upload(
  ticketId: string,
  auth: { token: string } | { cookie: string },
  file: { bytes: Buffer; filename: string; contentType?: string },
  options: { clientId?: string; lang?: string } = {},
) {
  const agent = 'cookie' in auth;
  const body = multipartBody([
    ...(options.clientId ? [{ name: 'clientId', value: options.clientId }] : []),
    { name: 'file', ...file },
  ]);
  return ctx.app.inject({
    method: 'POST',
    url: agent ? `/api/agent/tickets/${ticketId}/attachments` : `/api/tickets/${ticketId}/attachments`,
    headers: {
      ...body.headers,
      ...(agent ? { cookie: auth.cookie } : { authorization: `Bearer ${auth.token}` }),
      ...(options.lang ? { 'accept-language': options.lang } : {}),
    },
    payload: body.payload,
  });
}

const download = (id: string, auth: { token?: string; cookie?: string }, thumb = false) =>
  ctx.app.inject({
    method: 'GET',
    url: `/api/attachments/${id}${thumb ? '?thumb=1' : ''}`,
    headers: {
      ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
      ...(auth.cookie ? { cookie: auth.cookie } : {}),
    },
  });

async function storedCount(ticketId: string): Promise<{ rows: number; blobs: number }> {
  const { rows } = await ctx.app.db.query<{ rows: number; blobs: number }>(
    `SELECT (SELECT count(*)::int FROM attachments WHERE request_id = $1) AS rows,
            (SELECT count(*)::int FROM attachment_blobs b JOIN attachments a ON a.id = b.attachment_id WHERE a.request_id = $1) AS blobs`,
    [ticketId],
  );
  return rows[0]!;
}

describe('POST /api/tickets/:id/attachments', () => {
  it('re-encodes a phone photo: GPS and every EXIF block gone from the stored bytes, orientation applied, thumbnail made', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const original = await phonePhoto();
    const before = await sharp(original).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true); // the GPS IFD pointer (tag 0x8825, little-endian)
    expect(original.includes('PhoneMaker')).toBe(true);
    const res = await upload(ticket.id, { token }, { bytes: original, filename: 'IMG_0001.JPG', contentType: 'image/jpeg' });
    expect(res.statusCode).toBe(201);
    const { attachment } = res.json();
    expect(attachment).toMatchObject({ name: 'IMG_0001.JPG', mime: 'image/jpeg', width: 20, height: 40 });
    expect(attachment.id).toMatch(/^[0-9a-f-]{36}$/);

    // The bytes as stored in the database, read back directly.
    const { rows } = await ctx.app.db.query<{ bytes: Uint8Array }>(
      `SELECT bytes FROM attachment_blobs WHERE attachment_id = $1 AND variant = 'original'`,
      [attachment.id],
    );
    const stored = Buffer.from(rows[0]!.bytes);
    const meta = await sharp(stored).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([20, 40]);
    expect(stored.includes('Exif\0\0')).toBe(false);
    expect(stored.includes('PhoneMaker')).toBe(false);
    expect(attachment.size).toBe(stored.length);

    const served = await download(attachment.id, { token });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(stored)).toBe(true);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.headers['content-disposition']).toBe(`inline; filename="IMG_0001.JPG"; filename*=UTF-8''IMG_0001.JPG`);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['content-security-policy']).toMatch(/default-src 'none'.*sandbox/);

    const thumb = await download(attachment.id, { token }, true);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    const thumbMeta = await sharp(thumb.rawPayload).metadata();
    expect(thumbMeta.format).toBe('webp');
    expect(Math.max(thumbMeta.width!, thumbMeta.height!)).toBeLessThanOrEqual(ATTACHMENT_LIMITS.thumbSide);
  });

  it('stores a PDF as it is, served as a download', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const res = await upload(ticket.id, { token }, { bytes: PDF, filename: 'reçu de mai.pdf' });
    expect(res.statusCode).toBe(201);
    const { attachment } = res.json();
    expect(attachment).toEqual({ id: attachment.id, name: 'reçu de mai.pdf', mime: 'application/pdf', size: PDF.length });
    const served = await download(attachment.id, { token });
    expect(served.rawPayload.equals(PDF)).toBe(true);
    expect(served.headers['content-disposition']).toBe(`attachment; filename="re_u de mai.pdf"; filename*=UTF-8''re%C3%A7u%20de%20mai.pdf`);
    expect((await download(attachment.id, { token }, true)).statusCode).toBe(404);
  });

  const refusals: Array<[string, () => Promise<{ bytes: Buffer; filename: string; contentType?: string }>, number, string]> = [
    ['a PNG renamed .pdf', async () => ({ bytes: await png(), filename: 'facture.pdf', contentType: 'application/pdf' }), 415, 'attachment_type_mismatch'],
    [
      'an SVG with a script',
      async () => ({
        bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'),
        filename: 'burger.svg',
        contentType: 'image/svg+xml',
      }),
      415,
      'attachment_type',
    ],
    [
      'an HTML file named .jpg',
      async () => ({ bytes: Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>'), filename: 'photo.jpg', contentType: 'image/jpeg' }),
      415,
      'attachment_type',
    ],
    ['a Windows executable named .png', async () => ({ bytes: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]), filename: 'photo.png' }), 415, 'attachment_type'],
    ['a zip archive', async () => ({ bytes: Buffer.from('504b0304140000000800000021000000000000000000000000000000', 'hex'), filename: 'photos.zip' }), 415, 'attachment_type'],
    ['a 0-byte file', async () => ({ bytes: Buffer.alloc(0), filename: 'empty.jpg', contentType: 'image/jpeg' }), 400, 'attachment_empty'],
    [
      'a truncated JPEG',
      async () => {
        const whole = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#884422' } }).jpeg().toBuffer();
        return { bytes: whole.subarray(0, Math.floor(whole.length * 0.6)), filename: 'cut.jpg', contentType: 'image/jpeg' };
      },
      400,
      'attachment_damaged',
    ],
    ['a PNG claiming 50,000 × 50,000 pixels', async () => ({ bytes: pngClaiming(50_000, 50_000), filename: 'bomb.png', contentType: 'image/png' }), 413, 'attachment_pixels'],
  ];

  for (const [what, make, status, reason] of refusals) {
    it(`refuses ${what} with ${status} in the ticket's language, and stores nothing`, async () => {
      const { ticket, token } = await createTicketViaApi(ctx.app, { lang: 'nl' });
      const res = await upload(ticket.id, { token }, await make());
      expect(res.statusCode).toBe(status);
      expect(res.json().error.message).toBe(translator('nl')(`errors:${reason}`));
      expect(await storedCount(ticket.id)).toEqual({ rows: 0, blobs: 0 });
    });
  }

  it('answers a retried upload (same clientId) with the stored attachment, stored once', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const clientId = randomUUID();
    const bytes = await png(30, 30);
    const first = await upload(ticket.id, { token }, { bytes, filename: 'a.png' }, { clientId });
    const again = await upload(ticket.id, { token }, { bytes, filename: 'a.png' }, { clientId });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await storedCount(ticket.id)).toEqual({ rows: 1, blobs: 2 });
  });

  it('refuses a request without the file field, and one without a token', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const body = multipartBody([{ name: 'photo', filename: 'a.png', bytes: await png() }]);
    const noField = await ctx.app.inject({
      method: 'POST',
      url: `/api/tickets/${ticket.id}/attachments`,
      headers: { ...body.headers, authorization: `Bearer ${token}` },
      payload: body.payload,
    });
    expect(noField.statusCode).toBe(400);
    expect(noField.json().error.message).toBe(translator(ticket.lang)('errors:attachment_file_required'));
    const noToken = await ctx.app.inject({ method: 'POST', url: `/api/tickets/${ticket.id}/attachments`, ...multipartBody([{ name: 'file', filename: 'a.png', bytes: await png() }]) });
    expect(noToken.statusCode).toBe(401);
    const json = await ctx.app.inject({
      method: 'POST',
      url: `/api/tickets/${ticket.id}/attachments`,
      headers: { authorization: `Bearer ${token}` },
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(400);
  });

  it("uploading to another ticket with one's own token is 404, and nothing is stored", async () => {
    const mine = await createTicketViaApi(ctx.app);
    const other = await createTicketViaApi(ctx.app);
    const res = await upload(other.ticket.id, { token: mine.token }, { bytes: await png(), filename: 'a.png' });
    expect(res.statusCode).toBe(404);
    expect(await storedCount(other.ticket.id)).toEqual({ rows: 0, blobs: 0 });
  });

  it('refuses the upload past the per-ticket quota of files with 413', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const bytes = await png();
    for (let i = 0; i < 12; i++) expect((await upload(ticket.id, { token }, { bytes, filename: `p${i}.png` })).statusCode).toBe(201);
    const over = await upload(ticket.id, { token }, { bytes, filename: 'one-more.png' });
    expect(over.statusCode).toBe(413);
    expect(over.json().error.message).toBe(translator(ticket.lang)('errors:attachment_quota'));
    expect((await storedCount(ticket.id)).rows).toBe(12);
  });
});

describe('GET /api/attachments/:id', () => {
  it("answers another ticket's token, an unknown id and a missing token alike: 404, 404, 401", async () => {
    const mine = await createTicketViaApi(ctx.app);
    const other = await createTicketViaApi(ctx.app);
    const { attachment } = (await upload(mine.ticket.id, { token: mine.token }, { bytes: await png(), filename: 'a.png' })).json();
    expect((await download(attachment.id, { token: other.token })).statusCode).toBe(404);
    expect((await download(randomUUID(), { token: mine.token })).statusCode).toBe(404);
    expect((await download(attachment.id, {})).statusCode).toBe(401);
    expect((await download(attachment.id, { token: mine.token })).statusCode).toBe(200);
  });

  it("keeps an agent's upload from the customer until a reply carries it; agents see every file", async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const agent = await createLoggedInAgent(ctx.app);
    const res = await upload(ticket.id, { cookie: agent.cookie }, { bytes: await png(), filename: 'voucher.png' });
    expect(res.statusCode).toBe(201);
    const { attachment } = res.json();
    expect((await download(attachment.id, { token })).statusCode).toBe(404);
    expect((await download(attachment.id, { cookie: agent.cookie })).statusCode).toBe(200);
    const customers = (await upload(ticket.id, { token }, { bytes: await png(), filename: 'mine.png' })).json().attachment;
    expect((await download(customers.id, { cookie: agent.cookie })).statusCode).toBe(200);
  });

  it('refuses a file on a ticket merged into another, from the agent and from the customer: 409 naming the kept ticket, nothing stored', async () => {
    const email = `merged-${randomUUID()}@example.com`;
    const kept = await createTicketViaApi(ctx.app, { email });
    const merged = await createTicketViaApi(ctx.app, { email });
    const agent = await createLoggedInAgent(ctx.app);
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/agent/tickets/${kept.ticket.id}/merge`,
      payload: { ticket_id: merged.ticket.id },
      headers: { cookie: agent.cookie },
    });
    expect(res.statusCode).toBe(200);
    for (const auth of [{ cookie: agent.cookie }, { token: merged.token }]) {
      const refused = await upload(merged.ticket.id, auth, { bytes: await png(), filename: 'late.png' });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toEqual({ error: { code: 'conflict', message: expect.stringContaining(kept.ticket.id.slice(0, 8).toUpperCase()), details: { merged_into: kept.ticket.id } } });
    }
    expect(await storedCount(merged.ticket.id)).toEqual({ rows: 0, blobs: 0 });
    // The kept ticket takes them as before.
    expect((await upload(kept.ticket.id, { cookie: agent.cookie }, { bytes: await png(), filename: 'kept.png' })).statusCode).toBe(201);
  });

  it('refuses an agent upload without a session (401)', async () => {
    const { ticket } = await createTicketViaApi(ctx.app);
    const res = await upload(ticket.id, { cookie: 'tf_session=nope' }, { bytes: await png(), filename: 'a.png' });
    expect(res.statusCode).toBe(401);
  });
});

describe('messages that carry attachments', () => {
  const send = (ticketId: string, token: string, payload: Record<string, unknown>) =>
    ctx.app.inject({ method: 'POST', url: `/api/tickets/${ticketId}/messages`, headers: { authorization: `Bearer ${token}` }, payload });
  const reply = (ticketId: string, cookie: string, payload: Record<string, unknown>) =>
    ctx.app.inject({ method: 'POST', url: `/api/agent/tickets/${ticketId}/messages`, headers: { cookie }, payload });
  const messageCount = async (ticketId: string) =>
    (await ctx.app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM support_messages WHERE request_id = $1', [ticketId])).rows[0]!.n;

  it("carries the customer's uploads in the message, its retry and the conversation's pages", async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const photo = (await upload(ticket.id, { token }, { bytes: await png(20, 10), filename: 'cold-burger.png' })).json().attachment;
    const receipt = (await upload(ticket.id, { token }, { bytes: PDF, filename: 'receipt.pdf' })).json().attachment;
    const clientId = randomUUID();
    const res = await send(ticket.id, token, { body: 'Voici la photo', clientId, attachmentIds: [photo.id, receipt.id] });
    expect(res.statusCode).toBe(201);
    expect(res.json().message.attachments).toEqual([photo, receipt]);
    const again = await send(ticket.id, token, { body: 'Voici la photo', clientId, attachmentIds: [photo.id, receipt.id] });
    expect(again.statusCode).toBe(200);
    expect(again.json().message.attachments).toEqual([photo, receipt]);

    const page = await ctx.app.inject({ method: 'GET', url: `/api/tickets/${ticket.id}/messages`, headers: { authorization: `Bearer ${token}` } });
    const shown = page.json().messages.find((m: { id: string }) => m.id === res.json().message.id);
    expect(shown.attachments).toEqual([photo, receipt]);
    expect(page.json().messages.find((m: { id: string }) => m.id !== shown.id).attachments).toEqual([]);

    const agent = await createLoggedInAgent(ctx.app);
    const detail = await ctx.app.inject({ method: 'GET', url: `/api/agent/tickets/${ticket.id}`, headers: { cookie: agent.cookie } });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().messages.find((m: { id: string }) => m.id === shown.id).attachments).toEqual([photo, receipt]);
  });

  it('stores no message when one attachment is already sent, another ticket’s or an agent’s (400), and refuses more than 5', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app, { lang: 'en' });
    const other = await createTicketViaApi(ctx.app);
    const agent = await createLoggedInAgent(ctx.app);
    const sent = (await upload(ticket.id, { token }, { bytes: await png(), filename: 'a.png' })).json().attachment;
    expect((await send(ticket.id, token, { body: 'first', clientId: randomUUID(), attachmentIds: [sent.id] })).statusCode).toBe(201);
    const fresh = (await upload(ticket.id, { token }, { bytes: await png(), filename: 'b.png' })).json().attachment;
    const foreign = (await upload(other.ticket.id, { token: other.token }, { bytes: await png(), filename: 'c.png' })).json().attachment;
    const agents = (await upload(ticket.id, { cookie: agent.cookie }, { bytes: await png(), filename: 'd.png' })).json().attachment;
    const before = await messageCount(ticket.id);
    for (const bad of [sent.id, foreign.id, agents.id, randomUUID()]) {
      const res = await send(ticket.id, token, { body: 'again', clientId: randomUUID(), attachmentIds: [fresh.id, bad] });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details).toEqual({ attachmentIds: [bad] });
    }
    const six = await send(ticket.id, token, { body: 'many', clientId: randomUUID(), attachmentIds: Array.from({ length: 6 }, () => randomUUID()) });
    expect(six.statusCode).toBe(400);
    expect(await messageCount(ticket.id)).toBe(before);
    // The refused sends linked nothing: the fresh upload is still free to send.
    const ok = await send(ticket.id, token, { body: 'now', clientId: randomUUID(), attachmentIds: [fresh.id] });
    expect(ok.json().message.attachments).toEqual([fresh]);
  });

  it("opens an agent's file to the customer once a reply carries it", async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const agent = await createLoggedInAgent(ctx.app);
    const voucher = (await upload(ticket.id, { cookie: agent.cookie }, { bytes: PDF, filename: 'voucher.pdf' })).json().attachment;
    expect((await download(voucher.id, { token })).statusCode).toBe(404);
    const res = await reply(ticket.id, agent.cookie, { body: 'Voici un bon de réduction', clientId: randomUUID(), attachmentIds: [voucher.id] });
    expect(res.statusCode).toBe(201);
    expect(res.json().message.attachments).toEqual([voucher]);
    const served = await download(voucher.id, { token });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(PDF)).toBe(true);
  });
});

describe('realtime message.created frames', () => {
  it('carry the attachments, live and in the backlog', async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const channel = ticketChannel(ticket.id);
    const live = await TestSocket.open(realtimeUrl(ctx.app));
    await live.subscribe(channel, { token });
    const photo = (await upload(ticket.id, { token }, { bytes: await png(12, 12), filename: 'live.png' })).json().attachment;
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/tickets/${ticket.id}/messages`,
      headers: { authorization: `Bearer ${token}` },
      payload: { body: 'En direct', clientId: randomUUID(), attachmentIds: [photo.id] },
    });
    const sent = res.json().message;
    const frame = await live.waitFor((f) => f.type === 'message.created' && f.message.id === sent.id);
    expect(frame).toMatchObject({ message: { attachments: [photo] } });

    const later = await TestSocket.open(realtimeUrl(ctx.app));
    await later.subscribe(channel, { token, since: 0 });
    const backlog = await later.waitFor((f) => f.type === 'message.created' && f.message.id === sent.id);
    expect(backlog).toMatchObject({ message: { attachments: [photo] } });
    const first = await later.waitFor((f) => f.type === 'message.created' && f.message.seq === 1);
    expect(first).toMatchObject({ message: { attachments: [] } });
    await Promise.all([live.close(), later.close()]);
  });
});

describe('abandoned uploads', () => {
  it('deletes, with their bytes, the uploads no message carried within a day, and keeps sent and recent ones', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const old = (await upload(ticket.id, { token }, { bytes: await png(), filename: 'old.png' })).json().attachment;
    const recent = (await upload(ticket.id, { token }, { bytes: await png(), filename: 'recent.png' })).json().attachment;
    const sent = (await upload(ticket.id, { token }, { bytes: await png(), filename: 'sent.png' })).json().attachment;
    await ctx.app.inject({
      method: 'POST',
      url: `/api/tickets/${ticket.id}/messages`,
      headers: { authorization: `Bearer ${token}` },
      payload: { body: 'avec photo', clientId: randomUUID(), attachmentIds: [sent.id] },
    });
    await ctx.app.db.query(`UPDATE attachments SET created_at = now() - interval '25 hours' WHERE id = ANY($1::uuid[])`, [[old.id, sent.id]]);
    expect(await deleteAbandonedUploads(ctx.app.db, createAttachmentStore({ kind: 'pg' }))).toBeGreaterThanOrEqual(1);
    const { rows } = await ctx.app.db.query<{ id: string }>('SELECT id FROM attachments WHERE request_id = $1 ORDER BY name', [ticket.id]);
    expect(rows.map((r) => r.id)).toEqual([recent.id, sent.id]);
    expect((await storedCount(ticket.id)).blobs).toBe(4);
  });
});
