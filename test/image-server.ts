/**
 * Vitest global setup (runs in Node, beside workerd): the loopback image server of
 * scripts/lib/test-images.ts, which the Worker under test fetches for real. Its base URL
 * reaches the tests as inject("imageServer").
 */
import type { TestProject } from "vitest/node";
import { startImageServer } from "../scripts/lib/test-images";

export default async function setup(project: TestProject) {
  const server = await startImageServer();
  project.provide("imageServer", server.base);
  return server.close;
}

declare module "vitest" {
  export interface ProvidedContext {
    imageServer: string;
  }
}
