/** Starts a sync run on a running API and follows it to its end, printing progress when it changes. */
export async function runSync(base: string, token: string, source: string, log: (line: string) => void = console.log): Promise<any> {
  const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  const started = await fetch(`${base}/v1/admin/sync`, { method: "POST", headers: auth, body: JSON.stringify({ source }) });
  const body = (await started.json()) as any;
  if (started.status !== 202) throw new Error(`sync: ${started.status} ${body.code}: ${body.detail}`);
  let run = body;
  let shown = "";
  while (run.status === "running") {
    await new Promise((r) => setTimeout(r, 250));
    run = await (await fetch(`${base}/v1/admin/sync/runs/${body.id}`, { headers: auth })).json();
    const c = run.counts;
    const line = `sync run ${run.id}: ${run.phase}, chunk ${run.chunks.done}/${run.chunks.total ?? "?"} — ${c.read} read, ${c.added} added, ${c.updated} updated, ${c.skipped} unchanged, ${c.flagged} for review, ${c.invalid} invalid`;
    if (line !== shown) log((shown = line));
  }
  return run;
}

/** The one-line summary of a finished run. */
export const runSummary = (run: any) => {
  const c = run.counts;
  return `sync run ${run.id} ${run.status}${run.error ? ` (${run.error})` : ""}: ${c.added} added, ${c.updated} updated, ${c.skipped} unchanged, ${c.orphaned} orphaned, ${c.resurrected} resurrected, ${c.flagged} for review, ${c.merged} merges, ${c.split} splits, ${c.invalid} invalid in ${((run.duration_ms ?? 0) / 1000).toFixed(1)} s`;
};
