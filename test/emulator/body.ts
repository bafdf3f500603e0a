// Request bodies: JSON, or multipart/form-data with `payload_json` and `files[n]` parts (how discord.js
// uploads files). Node's fetch Request parses multipart, so no extra dependency is needed.
import type { Json } from './model.ts';

export interface UploadedFile {
  /** The n of `files[n]`. */
  index: number;
  filename: string;
  contentType: string | null;
  bytes: Buffer;
}

export interface ParsedBody {
  json: Json | undefined;
  files: UploadedFile[];
  multipart: boolean;
}

export class BodyError extends Error {}

export async function parseBody(contentType: string | undefined, raw: Buffer): Promise<ParsedBody> {
  if (raw.length === 0) return { json: undefined, files: [], multipart: false };
  const ct = (contentType ?? '').toLowerCase();
  if (ct.startsWith('multipart/form-data')) {
    const form = await new Request('http://emulator.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType ?? '' },
      body: raw,
    }).formData();
    let json: Json | undefined;
    const files: UploadedFile[] = [];
    for (const [name, value] of form.entries()) {
      if (name === 'payload_json' && typeof value === 'string') {
        json = parseJson(value);
        continue;
      }
      const m = /^files\[(\d+)\]$/.exec(name) ?? /^file(\d*)$/.exec(name);
      if (m && typeof value !== 'string') {
        files.push({
          index: Number(m[1] || 0),
          filename: value.name,
          contentType: value.type || null,
          bytes: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { json, files, multipart: true };
  }
  return { json: parseJson(raw.toString('utf8')), files: [], multipart: false };
}

function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new BodyError('The request body contains invalid JSON.');
  }
}
