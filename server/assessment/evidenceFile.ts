// What an uploaded evidence file is allowed to be: its name made safe to show and to send back in
// a Content-Disposition, its type by extension, its bytes checked against that type's signature
// (a .pdf that is not a PDF is refused), and its body read with the ruleset's size limit so that an
// oversized upload is refused as it streams, before anything is written.
import type { Request } from 'express';
import { text, type Text } from '../../engine/index.ts';
import { ApiError } from '../http/apiError.ts';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const startsWith = (b: Buffer, bytes: number[]) => b.length >= bytes.length && bytes.every((x, i) => b[i] === x);
/** An Office Open XML package: a zip whose parts include [Content_Types].xml and the application's folder (names are stored plainly in the zip's headers). */
const officeOpenXml = (folder: string) => (b: Buffer) => startsWith(b, ZIP) && b.includes('[Content_Types].xml') && b.includes(folder);

/** Types whose content has a signature to check; others are taken by their extension. */
const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  pdf: (b) => b.subarray(0, 1024).includes('%PDF-'),
  png: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  jpg: (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  jpeg: (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  gif: (b) => b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a',
  zip: (b) => startsWith(b, ZIP),
  docx: officeOpenXml('word/'),
  xlsx: officeOpenXml('xl/'),
  pptx: officeOpenXml('ppt/'),
  doc: (b) => startsWith(b, OLE),
  xls: (b) => startsWith(b, OLE),
  ppt: (b) => startsWith(b, OLE),
};

const MEDIA_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};

/** What a download is sent as: a known type's own, anything else as bytes (never text or HTML). */
export const mediaTypeOf = (type: string) => MEDIA_TYPES[type] ?? 'application/octet-stream';

const refused = (status: number, code: string, t: Text, field = '/file') => new ApiError(status, code, t, field);

/** The name as given, without any path, control or bidirectional-override characters; at most 200 characters, its extension kept. */
export function displayName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  if ([...clean].length <= 200) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
  return [...clean.slice(0, clean.length - ext.length)].slice(0, 200 - ext.length).join('') + ext;
}

/** The file's type by its extension, as one of `types` (a .jpeg is a jpg where only jpg is named), or a 400. */
export function evidenceType(name: string, types: string[]): string {
  const dot = name.lastIndexOf('.');
  let ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (ext === 'jpeg' && !types.includes('jpeg') && types.includes('jpg')) ext = 'jpg';
  if (!ext || !types.includes(ext))
    throw refused(400, 'file_type', text(`不接受此类文件“${name}”：只接受 ${types.join('、')}`, `files like "${name}" are not accepted: only ${types.join(', ')}`), '/name');
  return ext;
}

/** Refuses content that is not what its extension says. */
export function checkSignature(type: string, name: string, content: Buffer) {
  const check = SIGNATURES[type];
  if (check && !check(content))
    throw refused(400, 'file_content', text(`文件“${name}”的内容不是 ${type.toUpperCase()} 文件`, `the content of "${name}" is not a ${type.toUpperCase()} file`));
}

const tooLarge = (maxBytes: number) =>
  refused(413, 'file_too_large', text(`文件超过大小上限 ${formatBytes(maxBytes)}`, `the file is larger than the limit of ${formatBytes(maxBytes)}`));

export const formatBytes = (n: number) => (n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} KB` : `${n} B`);

/**
 * The request body, at most `maxBytes`: a declared length above it is refused before reading, and
 * a body that grows past it is refused as soon as it does (the rest is discarded, never kept).
 */
export async function readLimitedBody(req: Request, maxBytes: number): Promise<Buffer> {
  // The JSON parser in front of every route has taken such a body already: a file is sent as itself.
  if (req.is('application/json') || req.readableEnded)
    throw refused(415, 'file_required', text('请求内容须为文件本身（Content-Type: application/octet-stream 或文件的类型）', 'the body must be the file itself (Content-Type: application/octet-stream or the file’s type)'));
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw tooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const body = await new Promise<Buffer | undefined>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop keeping it; what still comes is read and dropped so the answer reaches the client.
        req.off('data', onData);
        chunks.length = 0;
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
  if (!body) throw tooLarge(maxBytes);
  if (!body.length) throw refused(400, 'file_required', text('文件是空的', 'the file is empty'));
  return body;
}
