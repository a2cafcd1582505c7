/** Reads at most `limit` bytes of a body (error bodies are small; never buffer a runaway one). */
export async function readBounded(
  body: AsyncIterable<Buffer | Uint8Array>,
  limit = 256 * 1024,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.from(chunk);
    chunks.push(buffer);
    size += buffer.length;
    if (size >= limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

/** JSON when it parses, the text otherwise. */
export function parseBody(buffer: Buffer): unknown {
  const text = buffer.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
