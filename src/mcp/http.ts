/**
 * The Streamable HTTP details in front of the SDK's handler: what the 2025 (legacy) leg wants
 * in `Accept`, and a JSON answer for clients that cannot read an event stream.
 */

const BOTH = "application/json, text/event-stream";

/**
 * The request as the SDK's legacy leg accepts it: that leg answers 406 unless `Accept` names
 * both application/json and text/event-stream, and Gemini CLI, Open WebUI and curl send
 * `application/json` alone (or nothing, or *\/*). `jsonOnly`: the client did not ask for an
 * event stream, so an answer streamed as one is collapsed to its JSON message (jsonAnswer).
 */
export function normalisedRequest(raw: Request, body: string): { request: Request; jsonOnly: boolean } {
  const accept = raw.headers.get("Accept") ?? "";
  const jsonOnly = !accept.includes("text/event-stream");
  const headers = new Headers(raw.headers);
  if (jsonOnly || !accept.includes("application/json")) headers.set("Accept", BOTH);
  return { request: new Request(raw.url, { method: raw.method, headers, body, signal: raw.signal }), jsonOnly };
}

/**
 * An event-stream answer as one JSON body: the JSON-RPC response it carries (the legacy leg
 * streams every answer; a stateless exchange holds one response, after any notifications,
 * which a JSON-only client could not have read anyway). Other answers pass as they are.
 */
export async function jsonAnswer(res: Response): Promise<Response> {
  if (!(res.headers.get("Content-Type") ?? "").startsWith("text/event-stream") || !res.body) return res;
  const text = await res.text();
  const messages = text
    .split(/\r?\n\r?\n/)
    .map((event) =>
      event
        .split(/\r?\n/)
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).replace(/^ /, ""))
        .join("\n"),
    )
    .filter(Boolean)
    .map((data) => {
      try {
        return JSON.parse(data) as Record<string, unknown>;
      } catch {
        return null;
      }
    })
    .filter((m) => m !== null);
  const responses = messages.filter((m) => "id" in m && ("result" in m || "error" in m));
  const chosen = responses.length === 1 ? responses[0] : responses.length > 1 ? responses : null;
  if (chosen === null) return new Response(null, { status: 202 });
  const headers = new Headers(res.headers);
  headers.set("Content-Type", "application/json");
  headers.delete("Cache-Control");
  return new Response(JSON.stringify(chosen), { status: res.status, headers });
}
