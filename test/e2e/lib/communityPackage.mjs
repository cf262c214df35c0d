// The package installed the way the README tells a user to: its install-from-source block (the fenced
// block after the INSTALL_MARKER comment in README.md) run in bash as it is written. The lines up to
// `npm run pack` (clone, install, build and pack) run once per Node version in a fresh folder, with
// `git clone <url>` cloning this repository's HEAD instead (one commit for the whole run); the lines
// after it put the package into an n8n user folder ($N8N_USER_FOLDER/.n8n/nodes/node_modules/<name>,
// which every n8n command scans when it starts) and run once for every user folder of every suite,
// so there is one install path.

import { mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { envWithoutNpmSettings } from './install.mjs';
import { run, tail } from './processes.mjs';

export const PACKAGE_NAME = 'n8n-nodes-plaid';
export const INSTALL_MARKER = '<!-- install-from-source';
const PACK_LINE = 'npm run pack';
const BUILD_TIMEOUT_MS = 20 * 60_000;
const REPO_DIR = fileURLToPath(new URL('../../..', import.meta.url));

/** The README's block, split into the lines that build the tarball and the lines that install it. */
export function readmeInstallBlock(repoDir = REPO_DIR) {
	const readme = readFileSync(path.join(repoDir, 'README.md'), 'utf8');
	const marker = readme.indexOf(INSTALL_MARKER);
	if (marker < 0) throw new Error(`README.md has no "${INSTALL_MARKER}" comment before its install-from-source block`);
	const fence = /```bash\n([\s\S]*?)\n```/.exec(readme.slice(marker));
	if (!fence) throw new Error('no ```bash block after the install-from-source comment in README.md');
	const lines = fence[1].split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
	const pack = lines.indexOf(PACK_LINE);
	const [clone] = lines;
	if (!clone.startsWith('git clone ') || pack < 0 || pack === lines.length - 1) {
		throw new Error(`README.md's install block must start with "git clone", run "${PACK_LINE}" and then install:\n${lines.join('\n')}`);
	}
	return { build: lines.slice(0, pack + 1), install: lines.slice(pack + 1) };
}

/** The commit every build of one suite run clones: HEAD when the first build started. */
let pinnedCommit;
async function commitOfThisRun(repoDir) {
	if (pinnedCommit === undefined) {
		const { code, stdout, output } = await run('git', ['-C', repoDir, 'rev-parse', 'HEAD'], { label: 'git rev-parse', timeoutMs: 10_000 });
		if (code !== 0) throw new Error(`git rev-parse HEAD in ${repoDir} exited ${code}\n${output}`);
		pinnedCommit = stdout.trim();
	}
	return pinnedCommit;
}

/**
 * The clone line with this repository's path in place of its URL, into the folder git would have
 * named after the URL, then that folder at the run's commit (HEAD as committed when the run began,
 * so a commit made meanwhile cannot give two builds of one run different code).
 */
function cloneOfThisRepository(cloneLine, repoDir, commit) {
	const [git, verb, url, ...named] = cloneLine.split(/\s+/);
	const folder = named.length > 0 ? named.join(' ') : path.basename(url, '.git');
	return `${[git, verb, JSON.stringify(repoDir), folder].join(' ')} && git -C ${folder} checkout --quiet ${commit}`;
}

async function bash(lines, { cwd, env, label, timeoutMs }) {
	const { code, output } = await run('bash', ['-c', ['set -euo pipefail', ...lines].join('\n')], { cwd, env, label, timeoutMs });
	if (code !== 0) throw new Error(`${label} exited ${code}:\n${lines.join('\n')}\n${tail(output)}`);
	return output;
}

/**
 * The README's build lines in a fresh folder under workDir, with `nodeBinDir`'s node and npm first on
 * PATH. Returns the tarball they made, the commit it was built from and how long it took.
 */
export async function buildFromReadme({ repoDir = REPO_DIR, workDir, nodeBinDir, label }) {
	const { build } = readmeInstallBlock(repoDir);
	const folder = mkdtempSync(path.join(workDir, 'readme-build-'));
	const env = envWithoutNpmSettings({ PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH}` });
	const startedAt = Date.now();
	const commit = await commitOfThisRun(repoDir);
	await bash([cloneOfThisRepository(build[0], repoDir, commit), ...build.slice(1)], { cwd: folder, env, label: `README build (${label})`, timeoutMs: BUILD_TIMEOUT_MS });
	const seconds = (Date.now() - startedAt) / 1000;
	const [cloneName] = readdirSync(folder);
	const cloneDir = path.join(folder, cloneName);
	const tarballs = readdirSync(cloneDir).filter((name) => name.startsWith(`${PACKAGE_NAME}-`) && name.endsWith('.tgz'));
	if (tarballs.length !== 1) throw new Error(`README build (${label}) left ${tarballs.length} tarballs in ${cloneDir}`);
	return { tarball: path.join(cloneDir, tarballs[0]), commit: commit.slice(0, 7), seconds };
}

/**
 * The README's install lines, run beside the tarball (they name it by a pattern) with N8N_USER_FOLDER
 * set to userFolder; HOME is a folder of its own, so nothing can land in the real ~/.n8n. Returns the
 * package's folder and the `n8n` block n8n reads there.
 */
export async function installCommunityPackage(tarball, userFolder) {
	const { install } = readmeInstallBlock();
	const home = path.join(userFolder, 'home');
	mkdirSync(home, { recursive: true });
	const env = { PATH: process.env.PATH, HOME: home, N8N_USER_FOLDER: userFolder };
	await bash(install, { cwd: path.dirname(tarball), env, label: 'README install', timeoutMs: 60_000 });
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	const { name, n8n } = JSON.parse(readFileSync(path.join(target, 'package.json'), 'utf8'));
	if (name !== PACKAGE_NAME) throw new Error(`README install put ${name} into ${target}`);
	return { target, n8n };
}
