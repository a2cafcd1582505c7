/**
 * Request log rows as bytes in one `ArrayBuffer`, the transferable form of a batch that
 * `bench:handoff` measures against the structured clone the gateway uses. Each value is a tag byte,
 * then: nothing (null), a little-endian float64 (number), a uint32 byte length and the bytes
 * (string: ASCII read back as Latin-1, anything else as UTF-8), or a uint32 count and that many
 * strings (a list column, stored as its JSON text once decoded).
 */
import {
  type PostedRequestLogValues,
  REQUEST_LOG_WIDTH,
  type RequestLogValues,
} from '../../src/store/request-log-columns.js';

const NULL = 0;
const NUMBER = 1;
const ASCII = 2;
const UTF8 = 3;
const LIST = 4;

const encoder = new TextEncoder();

/** A batch of encoded rows: the buffer to transfer, the bytes in use, the rows in them. */
export interface RowBytes {
  buffer: ArrayBuffer;
  byteLength: number;
  rows: number;
}

/** Encodes rows (`REQUEST_LOG_COLUMNS` order, list columns as string arrays) into one buffer. */
export function encodeRows(rows: readonly PostedRequestLogValues[]): RowBytes {
  let size = 0;
  for (const row of rows) size += rowBound(row);
  const writer = new ByteWriter(size);
  for (const row of rows) for (const value of row) writer.value(value);
  return { buffer: writer.buffer, byteLength: writer.offset, rows: rows.length };
}

/** The rows of `encodeRows`, as stored column values (list columns as JSON text). */
export function decodeRows(batch: RowBytes): RequestLogValues[] {
  const bytes = Buffer.from(batch.buffer, 0, batch.byteLength);
  const view = new DataView(batch.buffer, 0, batch.byteLength);
  const rows: RequestLogValues[] = [];
  let offset = 0;
  const text = (): string => {
    const tag = bytes[offset];
    const length = view.getUint32(offset + 1, true);
    const start = offset + 5;
    offset = start + length;
    return bytes.toString(tag === ASCII ? 'latin1' : 'utf8', start, offset);
  };
  for (let index = 0; index < batch.rows; index++) {
    const row: RequestLogValues = new Array(REQUEST_LOG_WIDTH);
    for (let column = 0; column < REQUEST_LOG_WIDTH; column++) {
      const tag = bytes[offset];
      if (tag === NULL) {
        row[column] = null;
        offset += 1;
      } else if (tag === NUMBER) {
        row[column] = view.getFloat64(offset + 1, true);
        offset += 9;
      } else if (tag === LIST) {
        const items: string[] = new Array(view.getUint32(offset + 1, true));
        offset += 5;
        for (let item = 0; item < items.length; item++) items[item] = text();
        row[column] = JSON.stringify(items);
      } else row[column] = text();
    }
    rows.push(row);
  }
  return rows;
}

/** The most bytes a row can take (a UTF-16 unit is at most 3 bytes of UTF-8). */
function rowBound(row: PostedRequestLogValues): number {
  let size = 0;
  for (const value of row) {
    if (typeof value === 'string') size += 5 + 3 * value.length;
    else if (Array.isArray(value)) for (const item of value) size += 5 + 3 * item.length;
    size += 9;
  }
  return size;
}

class ByteWriter {
  readonly buffer: ArrayBuffer;
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  offset = 0;

  constructor(size: number) {
    this.buffer = new ArrayBuffer(size);
    this.bytes = new Uint8Array(this.buffer);
    this.view = new DataView(this.buffer);
  }

  value(value: string | number | null | readonly string[]): void {
    if (value === null) this.bytes[this.offset++] = NULL;
    else if (typeof value === 'number') {
      this.bytes[this.offset] = NUMBER;
      this.view.setFloat64(this.offset + 1, value, true);
      this.offset += 9;
    } else if (typeof value === 'string') this.text(value);
    else {
      this.bytes[this.offset] = LIST;
      this.view.setUint32(this.offset + 1, value.length, true);
      this.offset += 5;
      for (const item of value) this.text(item);
    }
  }

  /** ASCII byte by byte; anything else through the UTF-8 encoder. */
  private text(value: string): void {
    const start = this.offset;
    const at = start + 5;
    let index = 0;
    for (; index < value.length; index++) {
      const code = value.charCodeAt(index);
      if (code > 0x7f) break;
      this.bytes[at + index] = code;
    }
    let length = index;
    if (index < value.length) length = encoder.encodeInto(value, this.bytes.subarray(at)).written;
    this.bytes[start] = index < value.length ? UTF8 : ASCII;
    this.view.setUint32(start + 1, length, true);
    this.offset = at + length;
  }
}
