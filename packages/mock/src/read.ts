/**
 * Reading an answer from a server we do not control (a store, a webhook receiver) without trusting its size: at
 * most `max` bytes are read, counting the inflated bytes of a compressed answer (`Content-Length` counts the
 * compressed ones), and the rest is not read at all.
 */
export async function readAtMost(
  response: Response,
  max: number,
): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > max) {
      chunks.push(value.subarray(0, max - size));
      truncated = true;
      await reader.cancel().catch(() => {});
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated };
}
