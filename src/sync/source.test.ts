import { describe, expect, it } from "vitest";
import { isPrivateHost, sourceProblem } from "./source";

describe("isPrivateHost", () => {
  it.each(["localhost", "localhost.", "a.localhost", "metadata.google.internal", "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.1", "198.18.0.1", "224.0.0.1", "[::1]", "[::]", "[::ffff:7f00:1]", "[::ffff:a00:1]", "[64:ff9b::7f00:1]", "[fc00::1]", "[fd12::1]", "[fe80::1]", "[fec0::1]", "[2002:7f00:1::]", "[::ffff:0:7f00:1]", "[2001:0:4136:e378::1]"])("%s is private", (h) => {
    expect(isPrivateHost(new URL(`https://${h}/`).hostname)).toBe(true);
  });

  it.each(["github.com", "objects.githubusercontent.com", "8.8.8.8", "172.32.0.1", "[2606:4700::1111]", "[::ffff:808:808]"])("%s is public", (h) => {
    expect(isPrivateHost(new URL(`https://${h}/`).hostname)).toBe(false);
  });

  it("decimal and short IPv4 forms are normalised by the URL parser first", () => {
    for (const h of ["2130706433", "0x7f000001", "127.1"]) expect(sourceProblem(`https://${h}/x.json`, false)).toMatch(/refused/);
  });
});
