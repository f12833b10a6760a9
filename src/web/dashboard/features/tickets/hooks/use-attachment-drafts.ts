import { useState } from 'preact/hooks';
import { ATTACHMENT_LIMITS, type Attachment } from '../../../../../contracts/attachments.ts';
import { ApiError } from '../../../../staff/http.ts';
import { uploadAttachment } from '../api/upload-attachment.ts';

export type DraftAttachment = {
  key: string;
  name: string;
  state: 'uploading' | 'ready' | 'failed';
  attachment?: Attachment;
  error?: string;
};

/**
 * The files of the reply being written: each is uploaded as soon as it is chosen, pasted or dropped
 * (its own clientId), at most ATTACHMENT_LIMITS.perMessage; `ids` are those the reply may carry.
 */
export function useAttachmentDrafts(ticketId: string, genericError: string) {
  const [items, setItems] = useState<DraftAttachment[]>([]);
  const update = (key: string, patch: Partial<DraftAttachment>) =>
    setItems((all) => all.map((item) => (item.key === key ? { ...item, ...patch } : item)));

  const add = (files: Iterable<File>) => {
    const room = ATTACHMENT_LIMITS.perMessage - items.length;
    const chosen = [...files].slice(0, Math.max(0, room));
    const added = chosen.map((file) => ({ file, key: crypto.randomUUID() }));
    setItems((all) => [...all, ...added.map(({ file, key }) => ({ key, name: file.name, state: 'uploading' as const }))]);
    for (const { file, key } of added) {
      uploadAttachment(ticketId, file, key).then(
        ({ attachment }) => update(key, { state: 'ready', attachment }),
        (err: unknown) => update(key, { state: 'failed', error: err instanceof ApiError && err.status > 0 && err.status < 500 ? err.message : genericError }),
      );
    }
    return chosen.length;
  };

  return {
    items,
    add,
    remove: (key: string) => setItems((all) => all.filter((item) => item.key !== key)),
    clear: () => setItems([]),
    ids: items.flatMap((item) => (item.attachment ? [item.attachment.id] : [])),
    uploading: items.some((item) => item.state === 'uploading'),
    full: items.length >= ATTACHMENT_LIMITS.perMessage,
  };
}
