import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { adminHeaders, call, expectProblem } from "../helpers";
import { hashKey, KEY_SHAPE } from "../../src/access/key-store";

const admin = (path: string, method = "GET", body?: unknown) =>
  call(path, { method, headers: adminHeaders, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

async function createKey(body: unknown = { name: "test app", tier: "free", owner: "ops@example.com" }) {
  const res = await admin("/v1/admin/keys", "POST", body);
  return { res, body: (await res.json()) as any };
}

describe("admin API keys", () => {
  it("creates a key, shown once; only its SHA-256 and prefix are stored", async () => {
    const { res, body } = await createKey();
    expect(res.status).toBe(201);
    expect(body.key).toMatch(KEY_SHAPE);
    expect(body.key.startsWith(body.prefix)).toBe(true);
    expect(body).toMatchObject({ name: "test app", tier: "free", owner: "ops@example.com", revoked_at: null });
    const row = await env.DB.prepare("SELECT * FROM api_key WHERE id = ?").bind(body.id).first<Record<string, unknown>>();
    expect(row!.hash).toBe(await hashKey(body.key));
    expect(Object.values(row!)).not.toContain(body.key);
    const listed = (await (await admin("/v1/admin/keys")).json()) as any;
    const mine = listed.data.find((k: any) => k.id === body.id);
    expect(mine).toBeDefined();
    expect(mine.key).toBeUndefined();
    expect(mine.hash).toBeUndefined();
  });

  it("two keys never collide (192 random bits each)", async () => {
    const a = (await createKey()).body.key, b = (await createKey()).body.key;
    expect(a).not.toBe(b);
  });

  it("changes name and tier; revokes idempotently; unknown ids are 404", async () => {
    const { body: k } = await createKey();
    const patched = (await (await admin(`/v1/admin/keys/${k.id}`, "PATCH", { tier: "premium", name: "renamed" })).json()) as any;
    expect(patched).toMatchObject({ id: k.id, tier: "premium", name: "renamed" });
    const revoked = await admin(`/v1/admin/keys/${k.id}`, "DELETE");
    const first = (await revoked.json()) as any;
    expect(revoked.status).toBe(200);
    expect(first.revoked_at).not.toBeNull();
    const again = (await (await admin(`/v1/admin/keys/${k.id}`, "DELETE")).json()) as any;
    expect(again.revoked_at).toBe(first.revoked_at);
    await expectProblem(await admin("/v1/admin/keys/999999", "PATCH", { tier: "free" }), 404, "not_found");
    await expectProblem(await admin("/v1/admin/keys/999999", "DELETE"), 404, "not_found");
  });

  it.each<[unknown, string]>([
    [{}, "nothing"],
    [{ name: "x", tier: "gold" }, "unknown tier"],
    [{ name: "x", tier: "anonymous" }, "anonymous is not a key tier"],
    [{ name: "", tier: "free" }, "empty name"],
    [{ name: "x", tier: "free", extra: 1 }, "unknown field"],
    [{ name: "a\u0000b", tier: "free" }, "control character in the name"],
  ])("POST %j (%s) → 400", async (body) => {
    await expectProblem(await admin("/v1/admin/keys", "POST", body), 400, "validation_failed");
  });

  it("PATCH needs name or tier; ids must be numbers", async () => {
    await expectProblem(await admin("/v1/admin/keys/1", "PATCH", {}), 400, "validation_failed");
    for (const id of ["abc", "0x5", "5e0", "0", "-1", "1.0"]) await expectProblem(await admin(`/v1/admin/keys/${id}`, "DELETE"), 400, "validation_failed");
  });

  it("revoking again re-tells the quota object (repairs one an earlier revocation missed)", async () => {
    const { body: k } = await createKey();
    await env.DB.prepare("UPDATE api_key SET revoked_at = 1, updated_at = 1 WHERE id = ?1").bind(k.id).run(); // D1 says revoked, the object does not
    expect((await call("/v1/genres", { headers: { Authorization: `Bearer ${k.key}` } })).status).toBe(200);
    expect((await admin(`/v1/admin/keys/${k.id}`, "DELETE")).status).toBe(200);
    await expectProblem(await call("/v1/genres", { headers: { Authorization: `Bearer ${k.key}` } }), 401, "invalid_api_key");
  });

  it("needs the admin token", async () => {
    await expectProblem(await call("/v1/admin/keys"), 401, "unauthorized");
    await expectProblem(await call("/v1/admin/keys", { headers: { Authorization: "Bearer not-the-admin-token-000" } }), 403, "forbidden");
  });
});
