/**
 * The tutorial's own server for each tab, put together the way a learner does it from the page:
 * server v1 ("Create the MCP server"), the "Set up MCP Auth" code (OIDC), then the changes of
 * "Update MCP server" — with the issuer filled in.
 *
 * The code blocks are in tutorial/, byte for byte as the page has them (the zh-CN translation of
 * docs 0.1.1, which the project works from), except setup-mcp-auth.*: that part the page includes
 * from another file, so the lab wrote it from the step's description (each file's header says so).
 * headings.zh-CN.json holds the page's section headings as rendered, with their anchors: what
 * `lab check`'s zh-CN diagnoses quote. When the page itself is at hand (../shared/seed/ beside the
 * repository), `checkAgainstPage` makes sure the copies still match it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';

export type Tab = 'python' | 'node';

const tutorialDir = path.join(import.meta.dirname, 'tutorial');
/** The page, where the project keeps it: outside the repository, beside it (CI runs there). */
export const defaultTutorialPage = path.resolve(repoRoot, '..', 'shared', 'seed', 'whoami-tutorial.zh-CN.mdx');

/** Server v1 of each tab ("Create the MCP server"), byte for byte: what checkpoint 1 runs. */
export const serverV1Files: Record<Tab, string> = {
  python: path.join(tutorialDir, 'python', 'whoami-v1.py'),
  node: path.join(tutorialDir, 'node', 'whoami-v1.js'),
};

/** The commands of each tab, in the page's order, as a learner types them. */
export const tutorialCommands = {
  python: {
    install: [
      ['pip', 'install', 'mcp[cli]', 'starlette', 'uvicorn'],
      ['pip', 'install', 'mcpauth'],
    ],
    /** `uvicorn whoami:app --host 0.0.0.0 --port 3001`; the check puts it on loopback and its own port. */
    run: (port: number) => ['uvicorn', 'whoami:app', '--host', '127.0.0.1', '--port', String(port)],
  },
  node: {
    init: [
      ['npm', 'init', '-y'],
      ['npm', 'pkg', 'set', 'type=module'],
      ['npm', 'pkg', 'set', 'main=whoami.js'],
      ['npm', 'pkg', 'set', 'scripts.start=node whoami.js'],
    ],
    install: [
      ['npm', 'install', '@modelcontextprotocol/sdk', 'express'],
      ['npm', 'install', 'mcp-auth'],
    ],
    run: ['npm', 'start'],
  },
} as const;

/** The file the learner ends up with: whoami.py or whoami.js. */
export function assembleServer(tab: Tab, { issuer, port }: { issuer: string; port: number }): string {
  return tab === 'python' ? assemblePython(issuer) : assembleNode(issuer, port);
}

/**
 * whoami.py: v1, the MCP Auth set-up after `mcp = FastMCP(...)`, then the update's `whoami` and
 * `app` in place of v1's. One line more than the page gives: the update uses `Middleware`
 * without importing it (a NameError as written), so the import is added, as a learner must.
 */
function assemblePython(issuer: string): string {
  const paragraphs = read('python/whoami-v1.py').trimEnd().split('\n\n');
  const [newTool, newApp] = splitAtEllipsis(read('python/update-mcp-server.py'), '# ...');
  const setup = fillIssuer(read('python/setup-mcp-auth.py'), issuer);
  return `${paragraphs
    .map((paragraph) => {
      if (paragraph.startsWith('from ')) return `${paragraph}\nfrom starlette.middleware import Middleware`;
      if (paragraph.startsWith('mcp = FastMCP(')) return `${paragraph}\n\n${setup.trimEnd()}`;
      if (paragraph.startsWith('@mcp.tool()')) return newTool;
      if (paragraph.startsWith('app = Starlette(')) return newApp;
      return paragraph;
    })
    .join('\n\n')}\n`;
}

/**
 * whoami.js: v1 with the MCP Auth set-up after the imports, the update's `server.tool` in place of
 * v1's, and its two `app.use` lines right after `const app = express();` — before the routes they
 * guard. The port moves off 3001 so the check can run beside a lab.
 */
function assembleNode(issuer: string, port: number): string {
  const paragraphs = read('node/whoami-v1.js').trimEnd().split('\n\n');
  const [newTool, appUses] = splitAtEllipsis(read('node/update-mcp-server.js'), '// ...');
  const setup = fillIssuer(read('node/setup-mcp-auth.js'), issuer);
  return `${paragraphs
    .map((paragraph) => {
      if (paragraph.startsWith('import ')) return `${paragraph}\n\n${setup.trimEnd()}`;
      if (paragraph.includes("server.tool('whoami'")) return paragraph.replace(/server\.tool\('whoami'[\s\S]*$/, newTool);
      if (paragraph.includes('const app = express();')) {
        return `${expectOnce(paragraph, 'const PORT = 3001;').replace('const PORT = 3001;', `const PORT = ${port};`)}\n\n${appUses}`;
      }
      return paragraph;
    })
    .join('\n\n')}\n`;
}

/** Throws unless every code block in tutorial/ that claims to be the page's is on the page. */
export function checkAgainstPage(tutorialPage = defaultTutorialPage): 'checked' | 'page not found' {
  if (!existsSync(tutorialPage)) return 'page not found';
  const page = readFileSync(tutorialPage, 'utf8');
  if (JSON.stringify(headingsOf(page)) !== JSON.stringify(tutorialHeadings())) {
    throw new LabError('ERR_DRIFT', `e2e/drift/tutorial/headings.zh-CN.json no longer lists the headings of ${tutorialPage}`, {
      hint: "write them again from the page (headingsOf), then mend lab check's zh-CN section titles (check.section.*)",
    });
  }
  for (const file of ['python/whoami-v1.py', 'python/update-mcp-server.py', 'node/whoami-v1.js', 'node/update-mcp-server.js']) {
    if (!page.includes(`\n${read(file)}\`\`\``)) {
      throw new LabError('ERR_DRIFT', `e2e/drift/tutorial/${file} is no longer a code block of ${tutorialPage}`, {
        hint: 'copy the block from the page again, byte for byte',
      });
    }
  }
  return 'checked';
}

/** The page's `##` and `###` headings: the title as rendered (backticks dropped) and its explicit anchor. */
export function headingsOf(mdx: string): Array<{ title: string; anchor: string }> {
  return [...mdx.matchAll(/^#{2,3} (.+?) \\\{#([a-z0-9-]+)\}\s*$/gm)].map(([, title, anchor]) => ({
    title: title!.replaceAll('`', ''),
    anchor: `#${anchor}`,
  }));
}

/** The headings as committed (headings.zh-CN.json). */
export function tutorialHeadings(): Array<{ title: string; anchor: string }> {
  return JSON.parse(read('headings.zh-CN.json')) as Array<{ title: string; anchor: string }>;
}

function read(file: string): string {
  return readFileSync(path.join(tutorialDir, file), 'utf8');
}

function fillIssuer(code: string, issuer: string): string {
  return expectOnce(code, '<issuer-endpoint>').replace('<issuer-endpoint>', issuer);
}

/** The update blocks are two snippets with a `# ...` (or `// ...`) line between them. */
function splitAtEllipsis(code: string, ellipsis: string): [string, string] {
  const parts = code.split(`\n\n${ellipsis}\n\n`);
  if (parts.length !== 2)
    throw new LabError('ERR_DRIFT', `expected one "${ellipsis}" line between two snippets in the tutorial's update block`);
  return [parts[0]!.trimEnd(), parts[1]!.trimEnd()];
}

function expectOnce(code: string, text: string): string {
  if (code.split(text).length !== 2) throw new LabError('ERR_DRIFT', `expected "${text}" once in the tutorial's code`);
  return code;
}
