import { createReadStream, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { basename } from "node:path";

/**
 * Serves one file read-only on a loopback port, for the Worker to fetch (a sync source).
 * The ETag stands for the file's size, time and path; If-None-Match gets a 304.
 */
export async function serveFile(path: string): Promise<{ url: string; close: () => void }> {
  const { size, mtimeMs } = statSync(path);
  const etag = `"${createHash("sha256").update(`${size}:${mtimeMs}:${path}`).digest("hex").slice(0, 32)}"`;
  const server = createServer((req, res) => {
    if (req.headers["if-none-match"] === etag) return void res.writeHead(304, { ETag: etag }).end();
    res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": size, ETag: etag });
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/${encodeURIComponent(basename(path))}`, close: () => server.close() };
}
