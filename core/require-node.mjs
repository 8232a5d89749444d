/** Runs before anything else (plain JavaScript, so that an old Node can parse it): one line, not a stack trace, when Node is too old. */
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 22)) {
  console.error(
    `error: MCP Auth Lab needs Node.js 22.22 or newer (24 LTS recommended); this is Node.js ${process.versions.node}. Install Node.js 24 LTS (nodejs.org, or \`nvm install 24\`) and run the command again.`,
  );
  process.exit(1);
}
