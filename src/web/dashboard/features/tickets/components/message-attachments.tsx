import type { Attachment } from '../../../../../contracts/attachments.ts';
import { useTranslation } from '../../../../staff/i18n.ts';
import { attachmentUrl } from '../api/upload-attachment.ts';

const kilobytes = (size: number) => `${Math.max(1, Math.round(size / 1024))} KB`;

/** A message's files: images as thumbnails that open the full image, PDFs as a chip that downloads. */
export function MessageAttachments({ attachments }: { attachments: readonly Attachment[] | undefined }) {
  const { t } = useTranslation();
  if (!attachments?.length) return null;
  return (
    <ul class="message-attachments" aria-label={t('ticket.attachments')}>
      {attachments.map((a) =>
        a.mime.startsWith('image/') ? (
          <li key={a.id}>
            <a href={attachmentUrl(a.id)} target="_blank" rel="noopener noreferrer" title={t('ticket.openImage', { name: a.name })}>
              <img class="attachment-thumb" src={attachmentUrl(a.id, true)} alt={a.name} loading="lazy" width={a.width} height={a.height} />
            </a>
          </li>
        ) : (
          <li key={a.id}>
            <a class="file-chip" href={attachmentUrl(a.id)} download={a.name}>
              <span aria-hidden="true">📄</span> {a.name} <span class="muted small">({kilobytes(a.size)})</span>
            </a>
          </li>
        ),
      )}
    </ul>
  );
}
