// The older n8n releases the compatibility runs use, each with its own package.json and lockfile in
// test/e2e/compat/<folder>: the oldest release the package supports, on the machine's Node 20, and
// the latest 1.x, on the suite's Node 24 (its isolated-vm needs Node >= 22 to compile). Each is
// installed once with `npm ci` under the Node it runs on; a stamp written after a complete install
// makes later runs skip it.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { envWithoutNpmSettings, nodeVersionOf, npmCi } from './install.mjs';

export const COMPAT_APPS = [
	{ folder: 'n8n-1.85', role: 'the oldest n8n the package supports', runtime: 'machine' },
	{ folder: 'n8n-1.x', role: 'the latest n8n 1.x', runtime: 'node24' },
];

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/**
 * Where an app and its Node live. `nodeDir` holds bin/node and include/node (the headers native
 * modules are compiled against): Node 24's package folder, or the prefix of the Node running the suite.
 */
export function compatLayout(e2eDir, suitePaths, app) {
	const dir = path.join(e2eDir, 'compat', app.folder);
	const nodeDir = app.runtime === 'node24' ? suitePaths.nodeDir : path.resolve(path.dirname(process.execPath), '..');
	const node = app.runtime === 'node24' ? suitePaths.node24 : process.execPath;
	return {
		...app,
		dir,
		nodeDir,
		node,
		nodeVersion: nodeVersionOf(node),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		stamp: path.join(dir, 'node_modules', '.e2e-install-stamp'),
		version: readJson(path.join(dir, 'package.json')).dependencies.n8n,
	};
}

/** Installs the app from its lockfile unless the stamp says this lockfile is installed for this Node. */
export async function ensureCompatApp(app, log) {
	const { nodeVersion } = app;
	if (!existsSync(path.join(app.nodeDir, 'include', 'node', 'node.h'))) {
		throw new Error(`no Node headers in ${app.nodeDir}/include/node: sqlite3 cannot be compiled for ${nodeVersion}`);
	}
	const fingerprint = createHash('sha256')
		.update(readFileSync(path.join(app.dir, 'package-lock.json')))
		.update(nodeVersion)
		.digest('hex');
	if (existsSync(app.stamp) && readFileSync(app.stamp, 'utf8') === fingerprint) {
		log(`n8n ${app.version} already installed for Node ${nodeVersion}`);
		return { installed: false };
	}
	log(`installing n8n ${app.version} under Node ${nodeVersion} into ${app.dir} (a few minutes)`);
	const env = envWithoutNpmSettings({
		PATH: `${path.join(app.nodeDir, 'bin')}${path.delimiter}${process.env.PATH}`,
		npm_config_nodedir: app.nodeDir,
		npm_config_build_from_source: 'sqlite3',
	});
	await npmCi({ cwd: app.dir, label: `npm ci (n8n ${app.version})`, node: app.node, env });
	const installed = readJson(path.join(app.dir, 'node_modules', 'n8n', 'package.json')).version;
	if (installed !== app.version) throw new Error(`expected n8n ${app.version}, installed ${installed}`);
	writeFileSync(app.stamp, fingerprint);
	return { installed: true };
}
