/**
 * Synthetic poster-like images (colour blocks and a diagonal, different for every n) and a
 * loopback HTTP server that serves them, with the failure modes ingestion must survive. Used
 * by the tests (test/image-server.ts) and by `npm run bench:images`.
 *
 *   /good/<n>.jpg      a distinct JPEG per n           /same/<n>.jpg   the same bytes as /good/<n>.jpg
 *   /png/<n>.png       the same picture as a PNG       /slow.jpg       answers after 3 s
 *   /big.jpg           6 MB, declared                  /big-chunked.jpg  6 MB, no Content-Length
 *   /wrong-type.jpg    text/html                       /bad-magic.jpg  image/jpeg with PNG bytes
 *   /truncated.jpg     declares 20,000 bytes, sends 1,000 and hangs up
 *   /missing.jpg       404                             /flaky/<k>/<n>.jpg  503 for the first k requests of that URL, then the JPEG
 *   /redirect-private.jpg  302 to http://10.0.0.1/x.jpg
 */
import { createServer, type Server } from "node:http";
import jpeg from "jpeg-js";
import { encode as encodePng } from "fast-png";

export function testImage(n: number, width = 64, height = 96): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  let seed = (n * 2654435761) >>> 0;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255;
  const blocks = Array.from({ length: 6 }, () => [rand(), rand(), rand()]);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const b = blocks[(Math.floor(y / (height / 3)) * 2 + Math.floor(x / (width / 2))) % 6];
      const diag = Math.abs(x * (height / width) - y) < 6 + (n % 5) ? 255 - b[0] : 0;
      data.set([Math.min(255, b[0] + diag), b[1], b[2], 255], (y * width + x) * 4);
    }
  return data;
}
export const jpegOf = (n: number) => new Uint8Array(jpeg.encode({ data: testImage(n), width: 64, height: 96 }, 90).data);
export const pngOf = (n: number) => encodePng({ width: 64, height: 96, data: testImage(n), channels: 4 });

/** Starts the server on a free loopback port; resolves with its base URL and a close function. */
export async function startImageServer(): Promise<{ base: string; close: () => Promise<void> }> {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    // Hits count per full URL (a ?t thumbnail is another URL); routing ignores the query.
    const full = req.url ?? "/";
    hits.set(full, (hits.get(full) ?? 0) + 1);
    const path = full.split("?")[0];
    const send = (type: string, body: Uint8Array | string) => res.writeHead(200, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) }).end(body);
    let m: RegExpExecArray | null;
    if ((m = /^\/(good|same)\/(\d+)\.jpg$/.exec(path))) return send("image/jpeg", jpegOf(Number(m[2])));
    if ((m = /^\/png\/(\d+)\.png$/.exec(path))) return send("image/png", pngOf(Number(m[1])));
    if ((m = /^\/flaky\/(\d+)\/(\d+)\.jpg$/.exec(path))) {
      if (hits.get(full)! <= Number(m[1])) return res.writeHead(503).end("try later");
      return send("image/jpeg", jpegOf(Number(m[2])));
    }
    switch (path) {
      case "/slow.jpg":
        return void setTimeout(() => send("image/jpeg", jpegOf(1)), 3000);
      case "/big.jpg":
        return send("image/jpeg", new Uint8Array(6 * 1024 * 1024).fill(0xff));
      case "/big-chunked.jpg": {
        res.writeHead(200, { "Content-Type": "image/jpeg" });
        const chunk = Buffer.alloc(256 * 1024, 0xff);
        for (let i = 0; i < 24; i++) res.write(chunk);
        return res.end();
      }
      case "/wrong-type.jpg":
        return send("text/html", "<html>not an image</html>");
      case "/bad-magic.jpg":
        return send("image/jpeg", pngOf(1));
      case "/truncated.jpg":
        res.writeHead(200, { "Content-Type": "image/jpeg", "Content-Length": 20_000 });
        res.write(jpegOf(1).slice(0, 1000));
        return void setTimeout(() => res.destroy(), 50);
      case "/redirect-private.jpg":
        return res.writeHead(302, { Location: "http://10.0.0.1/x.jpg" }).end();
      default:
        return res.writeHead(404).end("no such image");
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { base: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise((r) => server.close(() => r())) };
}
