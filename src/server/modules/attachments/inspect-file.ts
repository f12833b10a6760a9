import { fileTypeFromBuffer } from 'file-type';
import type Sharp from 'sharp';
import { ATTACHMENT_LIMITS, ATTACHMENT_MIME_TYPES, type AttachmentMime } from '../../../contracts/attachments.ts';
import { AppError } from '../../http/app-error.ts';

/** The extensions a file of each type may be named with; the stored name always ends with the first. */
const EXTENSIONS: Record<AttachmentMime, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg', 'jfif', 'jpe'],
  'image/png': ['png'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
};

const THUMB_MIME = 'image/webp';

export type InspectedFile = {
  name: string;
  mime: AttachmentMime;
  bytes: Buffer;
  width: number | null;
  height: number | null;
  thumb: { bytes: Buffer; mime: string } | null;
};

const isAllowed = (mime: string): mime is AttachmentMime => (ATTACHMENT_MIME_TYPES as readonly string[]).includes(mime);

/**
 * A file's name as shown and offered for download: no folders, no control or bidirectional-override
 * characters, at most 200 characters, ending with the extension of its real type. A name whose own
 * extension names another type (a PNG called `.pdf`) is refused: the customer did not send what they think.
 */
function safeName(raw: string, mime: AttachmentMime): string {
  const base = (raw.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim();
  const allowed = EXTENSIONS[mime];
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  if (ext && !allowed.includes(ext) && /^[a-z0-9]{1,8}$/.test(ext)) {
    throw new AppError('unsupported_media_type', { reason: 'attachment_type_mismatch', internal: `named .${ext}, bytes are ${mime}` });
  }
  const known = ext !== '' && allowed.includes(ext);
  const stem = (known ? base.slice(0, dot) : base) || 'file';
  return `${stem.slice(0, ATTACHMENT_LIMITS.nameMaxChars - 6)}.${known ? base.slice(dot + 1) : allowed[0]}`;
}

/**
 * Decides what an uploaded file is from its bytes and makes it safe to store and show:
 * - its type from its magic numbers (file-type): JPEG, PNG, WebP and PDF only; SVG, HTML, scripts,
 *   executables, archives and anything unrecognised are refused (415), as is a name that claims another type;
 * - an image is decoded in full and re-encoded (sharp): every metadata block (EXIF with its GPS position,
 *   XMP, IPTC, comments) is dropped, the EXIF orientation is applied to the pixels, and a thumbnail is
 *   made. Its declared size is checked before decoding (a 50,000 × 50,000 PNG of a few KB is refused,
 *   413), and a damaged or truncated image is refused (400) rather than stored half-grey;
 * - a PDF is kept as it is (it is only ever downloaded, never shown inline).
 */
export async function inspectFile(bytes: Buffer, rawName: string): Promise<InspectedFile> {
  if (bytes.length === 0) throw new AppError('invalid_request', { reason: 'attachment_empty' });
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !isAllowed(type.mime)) {
    throw new AppError('unsupported_media_type', { reason: 'attachment_type', internal: `detected ${type?.mime ?? 'nothing'}` });
  }
  const mime = type.mime;
  const name = safeName(rawName, mime);
  if (mime === 'application/pdf') {
    if (!bytes.includes('%%EOF', Math.max(0, bytes.length - 2048), 'latin1')) {
      throw new AppError('invalid_request', { reason: 'attachment_damaged', internal: 'PDF without %%EOF' });
    }
    return { name, mime, bytes, width: null, height: null, thumb: null };
  }
  return { name, mime, ...(await reencodeImage(bytes, mime)) };
}

let sharpModule: Promise<typeof Sharp> | null = null;

async function reencodeImage(input: Buffer, mime: Exclude<AttachmentMime, 'application/pdf'>) {
  // sharp (a native library) loads at the first image, not at every start (bench/startup.bench.ts).
  const sharp = await (sharpModule ??= import('sharp').then((m) => m.default));
  const options = { limitInputPixels: ATTACHMENT_LIMITS.maxPixels, failOn: 'warning' as const, animated: false };
  let declared: { width?: number; height?: number };
  try {
    declared = await sharp(input, options).metadata();
  } catch (err) {
    throw damaged(err);
  }
  if (!declared.width || !declared.height || declared.width * declared.height > ATTACHMENT_LIMITS.maxPixels) {
    throw new AppError('payload_too_large', {
      reason: 'attachment_pixels',
      internal: `declares ${declared.width} x ${declared.height}`,
    });
  }
  try {
    // rotate() with no angle applies the EXIF orientation; without withMetadata() nothing of the input's
    // metadata is written out (sharp's default), so GPS, camera and ICC blocks do not survive.
    const pipeline = sharp(input, options).rotate();
    const encoded =
      mime === 'image/jpeg'
        ? pipeline.jpeg({ quality: 85, mozjpeg: true })
        : mime === 'image/png'
          ? pipeline.png({ compressionLevel: 9 })
          : pipeline.webp({ quality: 85 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    const thumb = await sharp(data)
      .resize(ATTACHMENT_LIMITS.thumbSide, ATTACHMENT_LIMITS.thumbSide, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 70 })
      .toBuffer();
    return { bytes: data, width: info.width, height: info.height, thumb: { bytes: thumb, mime: THUMB_MIME } };
  } catch (err) {
    throw damaged(err);
  }
}

function damaged(err: unknown): AppError {
  const message = String((err as Error)?.message ?? err);
  if (/pixel limit/i.test(message)) return new AppError('payload_too_large', { reason: 'attachment_pixels', internal: message });
  return new AppError('invalid_request', { reason: 'attachment_damaged', internal: message });
}
