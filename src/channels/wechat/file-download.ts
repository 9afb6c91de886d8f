/**
 * Takes in a photo or a file a person sent on WeChat through the one intake for its kind
 * (../media/photo-intake.ts, ../media/document-intake.ts): the type is read from the bytes (not
 * the file name WeChat gives), and a size the puppet already knows spares the download.
 */
import type { FileBoxInterface } from 'file-box';
import { type DocumentIntake, type DocumentIntakeOptions, takeDocumentStream } from '../media/document-intake.js';
import { type PhotoIntake, type PhotoIntakeOptions, refused, takePhotoStream } from '../media/photo-intake.js';

export async function savePhoto(box: FileBoxInterface, options: PhotoIntakeOptions): Promise<PhotoIntake> {
  // The puppet gives -1 or 0 when it does not know the size.
  const announcedBytes = box.size > 0 ? box.size : undefined;
  if (announcedBytes !== undefined && announcedBytes > options.maxBytes) return refused('too_large', `${announcedBytes} bytes announced`);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await box.toStream();
  } catch (error) {
    return refused('download_failed', error instanceof Error ? error.name : 'unknown');
  }
  return takePhotoStream(stream as AsyncIterable<Uint8Array>, { ...options, announcedBytes });
}

export async function saveDocument(box: FileBoxInterface, options: DocumentIntakeOptions): Promise<DocumentIntake> {
  const announcedBytes = box.size > 0 ? box.size : undefined;
  if (announcedBytes !== undefined && announcedBytes > options.maxBytes) return { ok: false, refusal: 'too_large', detail: `${announcedBytes} bytes announced` };
  let stream: NodeJS.ReadableStream;
  try {
    stream = await box.toStream();
  } catch (error) {
    return { ok: false, refusal: 'download_failed', detail: error instanceof Error ? error.name : 'unknown' };
  }
  return takeDocumentStream(stream as AsyncIterable<Uint8Array>, { ...options, announcedBytes });
}
