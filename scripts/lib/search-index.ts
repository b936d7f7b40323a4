/**
 * Drives POST /v1/admin/search/index of a running API until nothing remains, printing
 * progress; shared by `npm start` (after the server is up) and `npm run reindex`.
 */
interface Counts {
  text: number;
  vectors: number;
}
interface Status {
  indexed: Counts;
  remaining: Counts;
  vector_backend: string;
  embedding_model: string;
  vectors_held: number | null;
}

export async function indexUntilDone(base: string, token: string, opts: { reset?: boolean; batch?: number } = {}): Promise<Status> {
  const started = Date.now();
  const done: Counts = { text: 0, vectors: 0 };
  let reset = opts.reset ?? false;
  for (;;) {
    const s = await postBatch(base, token, { limit: opts.batch ?? 2000, reset });
    reset = false;
    done.text += s.indexed.text;
    done.vectors += s.indexed.vectors;
    const left = s.remaining.text + s.remaining.vectors;
    if (s.indexed.text + s.indexed.vectors > 0 || left === 0) {
      console.log(`search index: ${done.text} keyword rows, ${done.vectors} vectors written; ${s.remaining.text} + ${s.remaining.vectors} to go`);
    }
    if (left === 0 || s.indexed.text + s.indexed.vectors === 0) {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`indexed: ${done.text} keyword rows and ${done.vectors} vectors (${s.vector_backend}, ${s.embedding_model}; ${s.vectors_held ?? "?"} held) in ${secs} s`);
      return s;
    }
  }
}

const RETRIES = 5;

/**
 * One indexing call. A 5xx (wrangler dev restarting on a file change, a busy Worker) is
 * retried with backoff: the call is idempotent, so a retry can only redo work, never lose it.
 */
async function postBatch(base: string, token: string, body: { limit: number; reset: boolean }): Promise<Status> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${base}/v1/admin/search/index`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }).catch((err: unknown) => err as Error);
    if (!(res instanceof Error) && res.ok) return (await res.json()) as Status;
    const why = res instanceof Error ? res.message : `HTTP ${res.status} ${await res.text()}`;
    if (attempt >= RETRIES || (!(res instanceof Error) && res.status < 500)) throw new Error(`indexing failed: ${why}`);
    console.log(`search index: ${why.slice(0, 120)}; retrying (${attempt}/${RETRIES - 1})`);
    await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
  }
}

/** Resolves once GET /health/live answers, or throws after `timeoutMs`. */
export async function waitForServer(base: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${base}/health/live`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the API did not come up on ${base} within ${timeoutMs / 1000} s`);
}
