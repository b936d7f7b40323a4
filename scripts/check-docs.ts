/**
 * Checks the /docs page in a real headless browser, as a new user meets it (npm run check:docs).
 * Starts nothing: point it at a running server.
 *
 *   1. GET /v1/search: Try it out, type only q=frieren, Execute → the request URL carries q alone
 *      (optional parameters' examples and defaults are shown, never sent).
 *   2. Authorize with an API key (X-API-Key), Execute GET /v1/me → it reports the key's tier.
 *
 * Options: --base <url> (default http://127.0.0.1:8787), --chromium <path> (default
 * /usr/bin/chromium), --key <ksk_…> with --tier <tier> (default: a new free key created with the
 * admin API, the token from ADMIN_TOKEN or .dev.vars). Ends with a one-line summary.
 */
import { existsSync, readFileSync } from "node:fs";
import puppeteer, { type Page } from "puppeteer-core";
import { arg } from "./lib/cli";

const base = arg("base", "http://127.0.0.1:8787").replace(/\/$/, "");
const chromium = arg("chromium", "/usr/bin/chromium");
const TIMEOUT_MS = 30_000;

function adminToken(): string {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const found = existsSync(".dev.vars") ? /^ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?\s*$/m.exec(readFileSync(".dev.vars", "utf8")) : null;
  if (!found) throw new Error("No admin token: set ADMIN_TOKEN, run from the project (.dev.vars), or pass --key and --tier.");
  return found[1];
}

/** The key to authorize with: --key, or a new one made with the admin API. */
async function apiKey(): Promise<{ key: string; tier: string }> {
  if (process.argv.includes("--key")) return { key: arg("key", ""), tier: arg("tier", "free") };
  const tier = arg("tier", "free");
  const res = await fetch(`${base}/v1/admin/keys`, {
    method: "POST",
    headers: { Authorization: `Bearer ${adminToken()}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "check:docs", tier }),
  });
  if (res.status !== 201) throw new Error(`creating a key: ${res.status} ${await res.text()}`);
  return { key: ((await res.json()) as { key: string }).key, tier };
}

/** Expands one operation (Swagger UI ids it `operations-<tag>-<operationId>`) and returns its block's selector. */
async function expand(page: Page, tag: string, operationId: string): Promise<string> {
  const block = `#operations-${tag}-${operationId}`;
  await page.waitForSelector(`${block} .opblock-summary`, { timeout: TIMEOUT_MS });
  await page.click(`${block} .opblock-summary`);
  await page.waitForSelector(`${block} .opblock-body`, { timeout: TIMEOUT_MS });
  // tryItOutEnabled opens Try-it-out already; click the button when it still says so.
  const tryOut = await page.$(`${block} .try-out__btn:not(.cancel)`);
  if (tryOut) await tryOut.click();
  await page.waitForSelector(`${block} .execute`, { timeout: TIMEOUT_MS });
  return block;
}

/** Clicks Execute and returns the request the page sent to `path` and the response's JSON. */
async function execute(page: Page, block: string, path: string): Promise<{ url: URL; headers: Record<string, string>; status: number; body: any }> {
  const matches = (url: string) => new URL(url).pathname === path;
  const [response] = await Promise.all([page.waitForResponse((r) => matches(r.url()) && r.request().method() !== "OPTIONS", { timeout: TIMEOUT_MS }), page.click(`${block} .execute`)]);
  return { url: new URL(response.url()), headers: response.request().headers(), status: response.status(), body: await response.json() };
}

async function main() {
  const { key, tier } = await apiKey();
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  const failures: string[] = [];
  try {
    const page = await browser.newPage();
    const sent: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname.startsWith("/v1/")) sent.push(`${r.method()} ${r.url()}`);
    });
    await page.goto(`${base}/docs`, { waitUntil: "networkidle0", timeout: TIMEOUT_MS });

    // 1. Only what the caller fills in is sent.
    const search = await expand(page, "Search", "searchAnime");
    const q = `${search} tr[data-param-name="q"] input`;
    await page.click(q, { clickCount: 3 });
    await page.keyboard.press("Backspace");
    await page.type(q, "frieren");
    const s = await execute(page, search, "/v1/search");
    const params = [...s.url.searchParams.keys()];
    if (params.join(",") !== "q" || s.url.searchParams.get("q") !== "frieren") failures.push(`/v1/search sent ${s.url.search} (expected ?q=frieren only)`);
    if (s.status !== 200) failures.push(`/v1/search answered ${s.status}`);
    const first = s.body?.data?.[0]?.title ?? "(nothing)";

    // 2. Authorize with the key (X-API-Key), then /v1/me reports its tier.
    await page.click(".auth-wrapper .authorize");
    await page.waitForSelector(".modal-ux .auth-container", { timeout: TIMEOUT_MS });
    // The dialog has one form per scheme: the ApiKeyHeader one takes the key.
    // (Source text: this runs in the page, and the scripts are type-checked without the DOM lib.)
    const found = await page.evaluate(`(() => {
      const form = [...document.querySelectorAll(".modal-ux .auth-container")].find((c) => c.querySelector("h4")?.textContent?.includes("ApiKeyHeader"));
      form?.querySelector("input")?.setAttribute("data-check-docs", "key");
      form?.querySelector("button.authorize")?.setAttribute("data-check-docs", "authorize");
      return Boolean(form?.querySelector('[data-check-docs="key"]') && form.querySelector('[data-check-docs="authorize"]'));
    })()`);
    if (!found) throw new Error("the Authorize dialog has no ApiKeyHeader field");
    await page.type('input[data-check-docs="key"]', key);
    await page.click('button[data-check-docs="authorize"]');
    await page.waitForSelector(".modal-ux button.btn-done", { timeout: TIMEOUT_MS });
    await page.click(".modal-ux button.btn-done");

    const me = await expand(page, "Account", "getMe");
    const m = await execute(page, me, "/v1/me");
    if (m.headers["x-api-key"] !== key) failures.push("/v1/me was sent without the key in X-API-Key");
    if (m.status !== 200 || m.body?.tier !== tier || !key.startsWith(m.body?.key?.prefix ?? "\u0000")) failures.push(`/v1/me answered ${m.status} ${JSON.stringify(m.body).slice(0, 200)} (expected tier ${tier})`);

    const requests = sent.filter((r) => !r.includes("/v1/about"));
    console.log(`requests sent by the page: ${requests.join(" | ")}`);
    const summary = `/v1/search sent ${s.url.search} → ${s.status} (first: ${first}); /v1/me with X-API-Key → ${m.status}, tier ${m.body?.tier}`;
    if (failures.length > 0) {
      console.error(`check:docs: FAILED — ${failures.join("; ")}`);
      process.exitCode = 1;
    } else console.log(`check:docs: ok — ${summary}`);
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(`check:docs: FAILED — ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
