import { useRef } from 'preact/hooks';
import { useTranslation } from '../../../../staff/i18n.ts';
import type { DraftAttachment } from '../hooks/use-attachment-drafts.ts';

/** What the file chooser offers; the server decides from the bytes anyway. */
export const ATTACH_ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf';

/** The reply's files: a button that opens the chooser, and one chip per file (uploading, ready, failed). */
export function AttachmentPicker({
  items,
  full,
  onAdd,
  onRemove,
}: {
  items: DraftAttachment[];
  full: boolean;
  onAdd: (files: FileList) => void;
  onRemove: (key: string) => void;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div class="attachment-picker">
      <input
        ref={input}
        type="file"
        class="sr-only"
        id="reply-files"
        aria-label={t('ticket.attach')}
        multiple
        accept={ATTACH_ACCEPT}
        tabIndex={-1}
        onChange={(e) => {
          const files = e.currentTarget.files;
          if (files?.length) onAdd(files);
          e.currentTarget.value = '';
        }}
      />
      <button type="button" class="btn btn-ghost btn-small" disabled={full} onClick={() => input.current?.click()}>
        📎 {t('ticket.attach')}
      </button>
      {items.length > 0 && (
        <ul class="attachment-drafts">
          {items.map((item) => (
            <li key={item.key} class={`file-chip file-chip-${item.state}`} data-state={item.state}>
              <span>{item.name}</span>
              {item.state === 'uploading' && <span class="muted small"> {t('ticket.uploading')}</span>}
              {item.state === 'failed' && (
                <span class="error-text small" role="alert">
                  {' '}
                  {item.error}
                </span>
              )}
              <button type="button" class="btn-link" aria-label={t('ticket.removeAttachment', { name: item.name })} onClick={() => onRemove(item.key)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
