/**
 * A PNG's pixel size from its IHDR chunk, which the format requires first, right after the
 * 8-byte signature (width and height as big-endian 32-bit integers at bytes 16 and 20). The stores
 * refuse images of another size, so every image the store script writes is checked here.
 */
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PixelSize {
  width: number;
  height: number;
}

/** Throws when `png` is not a PNG. */
export function pngSize(png: Buffer): PixelSize {
  if (png.length < 24 || !png.subarray(0, 8).equals(SIGNATURE) || png.subarray(12, 16).toString('latin1') !== 'IHDR') {
    throw new Error('not a PNG (no signature and IHDR chunk)');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Throws, naming `what`, unless `png` is exactly `width` x `height`. */
export function assertPngSize(png: Buffer, width: number, height: number, what: string): void {
  const size = pngSize(png);
  if (size.width !== width || size.height !== height) throw new Error(`${what}: ${size.width}x${size.height}, the store needs ${width}x${height}`);
}
