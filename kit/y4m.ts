/**
 * A test-pattern video for Chromium's fake camera (--use-file-for-fake-video-capture=<file>.y4m): a moving bar so
 * the encoder has real motion to code, and the frame number written as 8 black/white blocks along the top, so a
 * page can read which frame it shows (FRAME_BITS below) and two pages can measure glass-to-glass delay.
 * Raw YUV 4:2:0 (C420jpeg), small on purpose: Chromium loops the file.
 */
import fs from "node:fs";

export const FRAME_BITS = 8;
/** Block size of one bit, pixels; the blocks sit in the top row, left to right, most significant bit first. */
export const BIT_BLOCK = 40;

export interface Y4mOptions {
  width?: number;
  height?: number;
  fps?: number;
  frames?: number;
}

export function writeTestPattern(
  file: string,
  opts: Y4mOptions = {},
): { width: number; height: number; fps: number; frames: number } {
  const width = opts.width ?? 640;
  const height = opts.height ?? 360;
  const fps = opts.fps ?? 15;
  const frames = Math.min(opts.frames ?? 60, 2 ** FRAME_BITS);
  const fd = fs.openSync(file, "w");
  fs.writeSync(fd, `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const ySize = width * height;
  const cSize = (width / 2) * (height / 2);
  const buf = Buffer.alloc(ySize + 2 * cSize);
  for (let f = 0; f < frames; f++) {
    // Background: a horizontal luma ramp (detail for the encoder), chroma neutral.
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) buf[y * width + x] = 60 + Math.round((x / width) * 100);
    // A vertical bar moving across: motion.
    const barX = Math.round((f / frames) * (width - 40));
    for (let y = BIT_BLOCK + 10; y < height; y++) for (let x = barX; x < barX + 40; x++) buf[y * width + x] = 235;
    // The frame number, in blocks on the top row.
    for (let b = 0; b < FRAME_BITS; b++) {
      const on = (f >> (FRAME_BITS - 1 - b)) & 1;
      for (let y = 0; y < BIT_BLOCK; y++)
        for (let x = b * BIT_BLOCK; x < (b + 1) * BIT_BLOCK; x++) buf[y * width + x] = on ? 235 : 16;
    }
    buf.fill(128, ySize);
    fs.writeSync(fd, "FRAME\n");
    fs.writeSync(fd, buf);
  }
  fs.closeSync(fd);
  return { width, height, fps, frames };
}

/**
 * Page-side: read the frame number of a picture (a VideoFrame from MediaStreamTrackProcessor, or a <video>):
 * draws it to a canvas and samples each bit block's centre. Self-contained, so a page can be given its source
 * text; returns -1 when there is no picture.
 */
export function readFrameNumber(picture: CanvasImageSource, w: number, h: number, bits: number, block: number): number {
  if (!w || !h) return -1;
  // The pattern is made at 640 px wide; a scaled stream scales the blocks with it.
  const s = w / 640;
  const c = document.createElement("canvas");
  c.width = w;
  c.height = h;
  const g = c.getContext("2d", { willReadFrequently: true })!;
  g.drawImage(picture, 0, 0, w, h);
  let n = 0;
  for (let b = 0; b < bits; b++) {
    const px = g.getImageData(Math.round((b + 0.5) * block * s), Math.round(0.5 * block * s), 1, 1).data;
    n = (n << 1) | (px[0]! > 128 ? 1 : 0);
  }
  return n;
}
