// Reading Salesforce's Data Export zip in the browser without loading it: the central directory
// (at the end of the archive) through `Blob.slice`, then only the entries syncplan reads, each
// inflated by the browser's own `DecompressionStream('deflate-raw')`. A Data Export can be
// several gigabytes; this reads a few kilobytes of it plus the entries chosen. ZIP64 archives
// (over 4 GB, or over 65,535 entries) are read too. Used by `io.rs` in the worker.

const u16 = (v, at) => v.getUint16(at, true);
const u32 = (v, at) => v.getUint32(at, true);
const u64 = (v, at) => Number(v.getBigUint64(at, true));

async function view(blob, start, end) {
  return new DataView(await blob.slice(start, end).arrayBuffer());
}

/** The archive's entries: [{ name, method, compressed, size, offset }], in the order stored. */
export async function zipEntries(blob) {
  // The end record: 22 bytes, after a comment of up to 65,535 bytes.
  const tailStart = Math.max(0, blob.size - 22 - 65535 - 20);
  const tail = await view(blob, tailStart, blob.size);
  let end = -1;
  for (let i = tail.byteLength - 22; i >= 0; i -= 1) {
    if (u32(tail, i) === 0x06054b50) { end = i; break; }
  }
  if (end < 0) throw new Error('it has no zip directory at its end: the download may be incomplete');
  let count = u16(tail, end + 10);
  let dirSize = u32(tail, end + 12);
  let dirStart = u32(tail, end + 16);
  if (end >= 20 && u32(tail, end - 20) === 0x07064b50) {
    const at = u64(tail, end - 20 + 8);
    const z = await view(blob, at, at + 56);
    if (u32(z, 0) !== 0x06064b50) throw new Error('its ZIP64 directory record is damaged');
    count = u64(z, 32);
    dirSize = u64(z, 40);
    dirStart = u64(z, 48);
  }
  const dir = await view(blob, dirStart, dirStart + dirSize);
  const names = new TextDecoder();
  const entries = [];
  let p = 0;
  for (let n = 0; n < count; n += 1) {
    if (p + 46 > dir.byteLength || u32(dir, p) !== 0x02014b50) {
      throw new Error(`its directory is damaged at entry ${n + 1}`);
    }
    const nameLength = u16(dir, p + 28);
    const extraLength = u16(dir, p + 30);
    const commentLength = u16(dir, p + 32);
    const entry = {
      name: names.decode(new Uint8Array(dir.buffer, dir.byteOffset + p + 46, nameLength)),
      method: u16(dir, p + 10),
      encrypted: (u16(dir, p + 8) & 1) === 1,
      compressed: u32(dir, p + 20),
      size: u32(dir, p + 24),
      offset: u32(dir, p + 42),
    };
    // ZIP64: the sizes and offset that did not fit, in this order, in the extra field 0x0001.
    let x = p + 46 + nameLength;
    const extraEnd = x + extraLength;
    while (x + 4 <= extraEnd) {
      const id = u16(dir, x);
      const length = u16(dir, x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        for (const key of ['size', 'compressed', 'offset']) {
          if (entry[key] === 0xffffffff && q + 8 <= x + 4 + length) { entry[key] = u64(dir, q); q += 8; }
        }
      }
      x += 4 + length;
    }
    entries.push(entry);
    p = extraEnd + commentLength;
  }
  return entries;
}

/** One entry's bytes, inflated: a Uint8Array. */
export async function zipEntry(blob, entry) {
  if (entry.encrypted) throw new Error('it is encrypted');
  const local = await view(blob, entry.offset, entry.offset + 30);
  if (u32(local, 0) !== 0x04034b50) throw new Error('its header is damaged');
  const start = entry.offset + 30 + u16(local, 26) + u16(local, 28);
  const data = blob.slice(start, start + entry.compressed);
  if (entry.method === 0) return new Uint8Array(await data.arrayBuffer());
  if (entry.method !== 8) throw new Error(`it is compressed with method ${entry.method}, which browsers cannot inflate`);
  const inflated = data.stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}
