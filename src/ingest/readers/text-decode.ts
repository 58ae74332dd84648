import { READ_LIMITS } from './limits.js';

/** The text encoding a file was written in, as decided from its first bytes. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Result of looking at the first bytes of a text-like file. */
export type TextSniff = { encoding: TextEncodingName; bomLength: number } | { binary: true };

/**
 * Decides how a text file is encoded: a BOM wins; UTF-16 without a BOM is recognised from its
 * zero bytes; otherwise valid UTF-8, else Windows-1252 (what Excel on Windows writes as "CSV").
 * Control characters or stray zero bytes mean the file is binary, not text.
 */
export function sniffTextEncoding(head: Uint8Array): TextSniff {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3 };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const n = Math.min(head.length, READ_LIMITS.sniffBytes);
  let zerosEven = 0;
  let zerosOdd = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) {
      if (i % 2 === 0) zerosEven++;
      else zerosOdd++;
    } else if (b < 9 || (b > 13 && b < 32 && b !== 27)) {
      control++;
    }
  }
  const pairs = n / 2;
  if (pairs >= 2 && zerosOdd > pairs * 0.4 && zerosEven === 0 && control === 0) return { encoding: 'utf-16le', bomLength: 0 };
  if (pairs >= 2 && zerosEven > pairs * 0.4 && zerosOdd === 0 && control === 0) return { encoding: 'utf-16be', bomLength: 0 };
  if (zerosEven + zerosOdd > 0 || control > Math.max(2, n * 0.001)) return { binary: true };
  try {
    // stream:true so a multi-byte character cut at the end of the head is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, n), { stream: true });
    return { encoding: 'utf-8', bomLength: 0 };
  } catch {
    return { encoding: 'windows-1252', bomLength: 0 };
  }
}

/** Decodes a byte stream to text chunks in the given encoding (BOM dropped). */
export async function* decodeText(
  bytes: AsyncIterable<Buffer | Uint8Array | string>,
  encoding: TextEncodingName,
): AsyncGenerator<string> {
  if (encoding === 'utf-8' && 'setEncoding' in bytes) {
    // Node's own UTF-8 stream decoding is markedly faster than TextDecoder for big files.
    (bytes as NodeJS.ReadableStream).setEncoding('utf8');
    let first = true;
    for await (const chunk of bytes) {
      let text = chunk as string;
      if (first) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (text.length > 0) yield text;
    }
    return;
  }
  const decoder = new TextDecoder(encoding, { fatal: false });
  for await (const chunk of bytes) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield text;
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}
