/**
 * The local admin token: generated into .dev.vars (git-ignored; wrangler dev loads it) on the
 * first `npm start` and printed once; later runs read it back without printing it.
 */
import { existsSync, readFileSync, appendFileSync } from "node:fs";
import { randomBytes } from "node:crypto";

const DEV_VARS = ".dev.vars";

export function localAdminToken(): { token: string; created: boolean } {
  const text = existsSync(DEV_VARS) ? readFileSync(DEV_VARS, "utf8") : "";
  const found = /^ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?\s*$/m.exec(text);
  if (found) return { token: found[1], created: false };
  const token = `kensho_admin_${randomBytes(24).toString("base64url")}`;
  appendFileSync(DEV_VARS, `${text && !text.endsWith("\n") ? "\n" : ""}ADMIN_TOKEN="${token}"\n`, { mode: 0o600 });
  return { token, created: true };
}
