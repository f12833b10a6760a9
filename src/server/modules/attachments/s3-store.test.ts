import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsClient } from 'aws4fetch';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicketViaApi } from '../../test/factories.ts';
import { multipartBody } from '../../test/multipart.ts';
import { useTestApp } from '../../test/test-app.ts';
import type { AttachmentStorageConfig } from '../../config.ts';
import { createAttachmentStore, sweepDeletedObjects } from './index.ts';

// A real S3 protocol server on loopback (s3rver: SigV4-checked PUT/GET/DELETE on a folder), not a mock client.
const BUCKET = 'tf-attachments';
const storage: AttachmentStorageConfig & { kind: 's3' } = {
  kind: 's3',
  endpoint: 'http://127.0.0.1:1',
  bucket: BUCKET,
  region: 'us-east-1',
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
};
let server: S3rver;
let folder = '';

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tf-s3-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: folder, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = await server.run();
  storage.endpoint = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await server?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

// Built after the server above has started (hooks run in order): the config object carries its port.
const ctx = useTestApp({ attachmentStorage: storage });

const s3 = new AwsClient({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', service: 's3', region: 'us-east-1' });
const object = (id: string, variant: 'original' | 'thumb') => s3.fetch(`${storage.endpoint}/${BUCKET}/${id}/${variant}`);

describe('attachments in an S3-compatible bucket (ATTACHMENT_STORAGE=s3)', () => {
  it('writes the re-encoded file and its thumbnail to the bucket, serves them, and deletes them once the ticket is erased', async () => {
    const { ticket, token } = await createTicketViaApi(ctx.app);
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
      .jpeg()
      .withMetadata({ exif: { IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '50/1 50/1 0/1' } } })
      .toBuffer();
    const body = multipartBody([{ name: 'file', filename: 'burger.jpg', contentType: 'image/jpeg', bytes: photo }]);
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/tickets/${ticket.id}/attachments`,
      headers: { ...body.headers, authorization: `Bearer ${token}` },
      payload: body.payload,
    });
    expect(res.statusCode).toBe(201);
    const { attachment } = res.json();

    const stored = await object(attachment.id, 'original');
    expect(stored.status).toBe(200);
    const bytes = Buffer.from(await stored.arrayBuffer());
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();
    expect((await object(attachment.id, 'thumb')).status).toBe(200);
    const { rows } = await ctx.app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attachment_blobs WHERE attachment_id = $1', [attachment.id]);
    expect(rows[0]!.n).toBe(0);

    const served = await ctx.app.inject({ method: 'GET', url: `/api/attachments/${attachment.id}`, headers: { authorization: `Bearer ${token}` } });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(bytes)).toBe(true);

    // Erasure (the privacy module) or retention deletes the ticket; the rows go by cascade and the files after them.
    await ctx.app.db.query('DELETE FROM support_requests WHERE id = $1', [ticket.id]);
    const store = createAttachmentStore(storage);
    expect(await sweepDeletedObjects(ctx.app.db, store)).toBe(1);
    expect((await object(attachment.id, 'original')).status).toBe(404);
    expect((await object(attachment.id, 'thumb')).status).toBe(404);
    expect(await sweepDeletedObjects(ctx.app.db, store)).toBe(0);
  });
});
