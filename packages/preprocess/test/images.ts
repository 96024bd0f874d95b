import sharp from 'sharp';

/** Encodes raw RGB(A) pixels with sharp into any format, for decode tests. */
export function encodeImage(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4, format: 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' | 'avif') {
  const image = sharp(Buffer.from(pixels), { raw: { width, height, channels } });
  switch (format) {
    case 'jpeg':
      return image.jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer();
    case 'webp':
      return image.webp({ lossless: true }).toBuffer();
    case 'avif':
      return image.avif({ lossless: true }).toBuffer();
    default:
      return image.toFormat(format).toBuffer();
  }
}

/** width × height pixels of one RGB colour. */
export function solid(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const pixels = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) pixels.set(rgb, i * 3);
  return pixels;
}

/** Vertical stripes of the given colours, equal widths, left to right. */
export function stripes(width: number, height: number, colours: [number, number, number][]): Uint8Array {
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) pixels.set(colours[Math.floor((x * colours.length) / width)]!, (y * width + x) * 3);
  return pixels;
}
