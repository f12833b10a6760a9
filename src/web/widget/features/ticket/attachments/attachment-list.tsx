import { useEffect, useState } from 'preact/hooks';
import type { Attachment } from '../../../../../contracts/attachments.ts';
import { apiUrl } from '../../../../lib/api-client.ts';
import { useTranslation } from '../../../../lib/i18n.ts';

// The widget sends the ticket's token in a header, so images cannot be plain <img src>: each file is
// fetched once and shown from an object URL (kept for the page's life: the same message re-renders).
const urls = new Map<string, Promise<string>>();

function objectUrl(id: string, token: string, thumb: boolean): Promise<string> {
  const key = `${id}${thumb ? '?thumb=1' : ''}`;
  let url = urls.get(key);
  if (!url) {
    url = fetch(apiUrl(`/api/attachments/${key}`), { headers: { authorization: `Bearer ${token}` } }).then((res) => {
      if (!res.ok) throw new Error(String(res.status));
      return res.blob().then((b) => URL.createObjectURL(b));
    });
    url.catch(() => urls.delete(key));
    urls.set(key, url);
  }
  return url;
}

function Thumb({ a, token, onOpen }: { a: Attachment; token: string; onOpen: () => void }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string>();
  useEffect(() => void objectUrl(a.id, token, true).then(setSrc, () => undefined), [a.id, token]);
  return (
    <button type="button" class="tf-att__thumb" onClick={onOpen} aria-label={t('ticket.open_image', { name: a.name })}>
      {src && <img src={src} alt={a.name} />}
    </button>
  );
}

/** A message's files: image thumbnails (a click opens the full image over the chat) and PDF chips (download). */
export function AttachmentList({ attachments, token }: { attachments: readonly Attachment[]; token: string }) {
  const { t } = useTranslation();
  const [full, setFull] = useState<{ src: string; name: string } | null>(null);
  const open = (a: Attachment) => void objectUrl(a.id, token, false).then((src) => setFull({ src, name: a.name }), () => undefined);
  const download = (a: Attachment) =>
    void objectUrl(a.id, token, false).then((src) => {
      const link = document.createElement('a');
      link.href = src;
      link.download = a.name;
      link.click();
    }, () => undefined);
  return (
    <>
      <ul class="tf-att">
        {attachments.map((a) => (
          <li key={a.id}>
            {a.mime === 'application/pdf' ? (
              <button type="button" class="tf-att__file" onClick={() => download(a)}>
                📄 {a.name}
              </button>
            ) : (
              <Thumb a={a} token={token} onOpen={() => open(a)} />
            )}
          </li>
        ))}
      </ul>
      {full && (
        <div class="tf-att__view" role="dialog" aria-modal="true" aria-label={full.name} onClick={() => setFull(null)}>
          <img src={full.src} alt={full.name} />
          <button type="button" class="tf-btn" autoFocus onClick={() => setFull(null)}>
            {t('common:close')}
          </button>
        </div>
      )}
    </>
  );
}
