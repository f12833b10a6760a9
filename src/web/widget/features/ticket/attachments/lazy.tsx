import { useEffect, useState } from 'preact/hooks';
import type { Attachment } from '../../../../../contracts/attachments.ts';
import type { QueuedFile } from '../api/offline-queue.ts';

// Loaded only when a conversation shows or sends a file: the rest of the widget never downloads this code.
type ListModule = typeof import('./attachment-list.tsx');
let list: Promise<ListModule> | null = null;

export function LazyAttachmentList(props: { attachments: readonly Attachment[]; token: string }) {
  const [mod, setMod] = useState<ListModule | null>(null);
  useEffect(() => void (list ??= import('./attachment-list.tsx')).then(setMod, () => (list = null)), []);
  return mod ? <mod.AttachmentList {...props} /> : null;
}

export const uploadFiles = (ticketId: string, token: string, files: readonly QueuedFile[]) =>
  import('./upload-files.ts').then((m) => m.uploadFiles(ticketId, token, files));
