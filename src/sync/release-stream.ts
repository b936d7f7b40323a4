/**
 * Reads an anime-offline-database release from a byte stream inside the Worker, entry by
 * entry, without holding the file: JSONL (metadata line, then one entry per line) or the
 * minified JSON (`{"lastUpdate": …, "data": [ … ]}`), either optionally gzipped.
 *
 * Contract: a line (or array element) that is not JSON is yielded as `malformed` and the
 * read goes on; a source that ends early — a cut-off gzip stream, an unfinished JSON
 * document, a last JSONL line without its newline that does not parse — throws
 * `TruncatedRelease`, so the caller can fail the run before writing anything.
 */
export type ReleaseFormat = "jsonl" | "json";

/** `text`: the malformed line or element (at most MAX_LINE characters), for what can still be read from it. */
export type ReleaseItem = { kind: "entry"; value: unknown } | { kind: "malformed"; sample: string; text: string };

export class TruncatedRelease extends Error {}
/** Longer JSONL lines are malformed: the largest real entries are a few KB. */
const MAX_LINE = 1_000_000;
export class NotARelease extends Error {}

/** The format a source name says: `.jsonl[.gz]` or `.json[.gz]`; null when it says neither. */
export function formatOf(name: string): { format: ReleaseFormat; gzip: boolean } | null {
  const gzip = /\.gz$/i.test(name);
  const base = name.replace(/\.gz$/i, "").toLowerCase();
  if (base.endsWith(".jsonl")) return { format: "jsonl", gzip };
  if (base.endsWith(".json")) return { format: "json", gzip };
  return null;
}

async function* text(body: ReadableStream<Uint8Array>, gzip: boolean): AsyncGenerator<string> {
  const bytes = gzip ? body.pipeThrough(new DecompressionStream("gzip")) : body;
  const reader = bytes.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<string>;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw new TruncatedRelease(`the source could not be read to its end (${err instanceof Error ? err.message : String(err)})`);
      }
      if (chunk.done) return;
      yield chunk.value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Reads `body`; `meta` receives the release's lastUpdate before the first entry. */
export async function* readRelease(body: ReadableStream<Uint8Array>, how: { format: ReleaseFormat; gzip: boolean }, meta: (lastUpdate: string | null) => void): AsyncGenerator<ReleaseItem> {
  yield* how.format === "jsonl" ? readJsonl(text(body, how.gzip), meta) : readJson(text(body, how.gzip), meta);
}

async function* readJsonl(chunks: AsyncGenerator<string>, meta: (lastUpdate: string | null) => void): AsyncGenerator<ReleaseItem> {
  let rest = "";
  let first = true;
  const line = (l: string): ReleaseItem | null => {
    if (!l.trim()) return null;
    let value: unknown;
    try {
      value = JSON.parse(l);
    } catch {
      if (first) throw new NotARelease("the first line is not the release's metadata (JSON with lastUpdate)");
      return { kind: "malformed", sample: l.slice(0, 80), text: l };
    }
    if (first) {
      first = false;
      const lastUpdate = (value as { lastUpdate?: unknown } | null)?.lastUpdate;
      if (typeof lastUpdate !== "string") throw new NotARelease("the first line is not the release's metadata (JSON with lastUpdate)");
      meta(lastUpdate);
      return null;
    }
    return { kind: "entry", value };
  };
  let skipping = false;
  for await (const chunk of chunks) {
    let text = chunk;
    if (skipping) {
      const nl = text.indexOf("\n");
      if (nl < 0) continue;
      text = text.slice(nl + 1);
      skipping = false;
    }
    const lines = (rest + text).split("\n");
    rest = lines.pop()!;
    for (const l of lines) {
      const item = line(l);
      if (item) yield item;
    }
    if (rest.length > MAX_LINE) {
      // No entry is this long: the line is malformed (and reading it whole would be quadratic).
      if (first) throw new NotARelease("the first line is not the release's metadata (JSON with lastUpdate)");
      yield { kind: "malformed", sample: rest.slice(0, 80), text: rest.slice(0, 10_000) };
      rest = "";
      skipping = true;
    }
  }
  if (rest.trim()) {
    try {
      JSON.parse(rest);
    } catch {
      throw new TruncatedRelease("the last line is cut off (no newline, not JSON)");
    }
    const item = line(rest);
    if (item) yield item;
  }
  if (first) throw new NotARelease("the source is empty");
}

/**
 * A scanner over the minified JSON: it tracks strings and nesting, captures the root's
 * `lastUpdate`, and cuts out each element of the root's `data` array for JSON.parse.
 */
async function* readJson(chunks: AsyncGenerator<string>, meta: (lastUpdate: string | null) => void): AsyncGenerator<ReleaseItem> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let sawRoot = false;
  let sawData = false;
  /** At depth 1: the key being read or last read, and whether the next string is a key. */
  let key = "";
  let expectKey = false;
  let rootString: string[] | null = null;
  let inData = false;
  let element: string[] = [];
  let elementFrom = -1;
  /** Characters of the element being cut out; past MAX_LINE it is dropped and reported malformed. */
  let elementSize = 0;
  let metaSent = false;
  const sendMeta = (v: string | null) => {
    if (!metaSent) meta(v);
    metaSent = true;
  };

  for await (const chunk of chunks) {
    if (elementFrom >= 0) elementFrom = 0;
    const out: ReleaseItem[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === "\\") escaped = true;
        else if (c === '"') {
          inString = false;
          if (rootString) {
            let s: string;
            try {
              s = JSON.parse(`"${rootString.join("")}"`) as string;
            } catch {
              throw new NotARelease("a string of the root object is not valid JSON");
            }
            if (expectKey) {
              key = s;
              expectKey = false;
            } else if (key === "lastUpdate") sendMeta(s);
            rootString = null;
            continue;
          }
        }
        if (rootString) rootString.push(c);
        continue;
      }
      switch (c) {
        case '"':
          inString = true;
          if (depth === 1) rootString = [];
          break;
        case "{":
        case "[":
          if (depth === 0) {
            if (c !== "{") throw new NotARelease("the document is not a JSON object");
            sawRoot = true;
            expectKey = true;
          } else if (depth === 1 && key === "data" && c === "[") {
            inData = true;
            sawData = true;
            sendMeta(null);
          } else if (depth === 2 && inData) {
            elementFrom = i;
            element = [];
            elementSize = 0;
          }
          depth++;
          break;
        case "}":
        case "]":
          depth--;
          if (depth < 0) throw new NotARelease("unbalanced JSON");
          if (depth === 2 && inData && elementFrom >= 0) {
            element.push(chunk.slice(elementFrom, i + 1));
            const raw = elementSize > MAX_LINE ? "" : element.join("");
            elementFrom = -1;
            element = [];
            if (elementSize > MAX_LINE) {
              out.push({ kind: "malformed", sample: "(an element over 1,000,000 characters)", text: "" });
              break;
            }
            try {
              out.push({ kind: "entry", value: JSON.parse(raw) });
            } catch {
              out.push({ kind: "malformed", sample: raw.slice(0, 80), text: raw });
            }
          } else if (depth === 1 && inData) inData = false;
          break;
        case ",":
          if (depth === 1) expectKey = true;
          break;
      }
    }
    if (elementFrom >= 0) {
      elementSize += chunk.length - elementFrom;
      // Past the cap the text is no longer kept (only its end is tracked), so memory stays flat.
      if (elementSize > MAX_LINE) element = [];
      else element.push(chunk.slice(elementFrom));
    }
    yield* out;
  }
  if (!sawRoot) throw new NotARelease("the source is empty");
  if (depth !== 0 || inString) throw new TruncatedRelease("the JSON document ends before it is closed");
  if (!sawData) throw new NotARelease("the document has no data array");
}
