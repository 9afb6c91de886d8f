/**
 * Takes in a photo a person sent on WeChat through the one photo intake
 * (../media/photo-intake.ts): the type is read from the bytes (not the file name WeChat gives),
 * and a size the puppet already knows spares the download.
 */
import type { FileBoxInterface } from 'file-box';
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
