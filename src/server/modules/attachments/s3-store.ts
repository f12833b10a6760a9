import { AwsClient } from 'aws4fetch';
import type { AttachmentStorageConfig } from '../../config.ts';
import type { AttachmentStore, AttachmentVariant } from './attachment-store.ts';

export type S3StoreOptions = Omit<Extract<AttachmentStorageConfig, { kind: 's3' }>, 'kind'>;

/**
 * Attachments in a bucket of an S3-compatible server (AWS S3, MinIO, Ceph, Garage…), signed with AWS
 * Signature V4 (aws4fetch) on path-style URLs: `<endpoint>/<bucket>/<attachment id>/<variant>`.
 */
export function createS3AttachmentStore(options: S3StoreOptions): AttachmentStore {
  const client = new AwsClient({
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    service: 's3',
    region: options.region,
  });
  const base = `${options.endpoint.replace(/\/+$/, '')}/${encodeURIComponent(options.bucket)}`;
  const url = (id: string, variant: AttachmentVariant) => `${base}/${encodeURIComponent(id)}/${variant}`;
  const fail = async (what: string, res: Response) => {
    const text = await res.text().catch(() => '');
    return new Error(`S3 ${what}: ${res.status} ${text.slice(0, 200)}`);
  };

  return {
    kind: 's3',
    async put(_tx, id, variant, bytes, mime) {
      const res = await client.fetch(url(id, variant), {
        method: 'PUT',
        body: new Uint8Array(bytes),
        headers: { 'content-type': mime, 'content-length': String(bytes.length) },
      });
      if (!res.ok) throw await fail(`PUT ${id}/${variant}`, res);
      await res.arrayBuffer();
    },
    async get(_q, id, variant) {
      const res = await client.fetch(url(id, variant));
      if (res.status === 404) {
        await res.arrayBuffer();
        return null;
      }
      if (!res.ok) throw await fail(`GET ${id}/${variant}`, res);
      return Buffer.from(await res.arrayBuffer());
    },
    async remove(_q, ids) {
      for (const id of ids) {
        for (const variant of ['original', 'thumb'] as const) {
          const res = await client.fetch(url(id, variant), { method: 'DELETE' });
          // 204 when deleted; S3 answers 204 for a missing key too, some servers 404.
          if (!res.ok && res.status !== 404) throw await fail(`DELETE ${id}/${variant}`, res);
          await res.arrayBuffer();
        }
      }
    },
  };
}
