// @ts-check
'use strict';

// npm itself, run on this repository: what `npm pack` puts in the tarball, and what `npm publish`
// does outside the publish workflow. It lives in a .js file because n8n's linter, which covers every
// .ts file of the package, forbids child_process, fs and process.

const { execFile } = require('node:child_process');
const { mkdtempSync, readdirSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const { REPO_ROOT } = require('./repoFiles');

/**
 * @typedef {object} PackedFile
 * @property {string} path inside the package, e.g. 'dist/nodes/Plaid/Plaid.node.js'
 * @property {number} size bytes
 */

/**
 * @typedef {object} NpmRun
 * @property {number} code the exit code
 * @property {string} output stdout and stderr together
 */

/**
 * Runs npm in the repository and collects what it prints.
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<NpmRun>}
 */
function runNpm(args, env) {
	return new Promise((resolve) => {
		execFile('npm', args, { cwd: REPO_ROOT, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
			resolve({ code, output: `${stdout}${stderr}` });
		});
	});
}

/**
 * The files `npm pack` would put in the tarball, as `npm pack --dry-run --json` lists them.
 * @returns {Promise<PackedFile[]>}
 */
async function packedFiles() {
	const { code, output } = await runNpm(['pack', '--dry-run', '--json', '--ignore-scripts'], { ...process.env });
	if (code !== 0) throw new Error(`npm pack --dry-run exited ${code}\n${output}`);
	const [packed] = JSON.parse(output.slice(output.indexOf('[')));
	return packed.files.map((/** @type {PackedFile} */ file) => ({ path: file.path, size: file.size }));
}

/**
 * Runs `npm publish` from the repository the way a maintainer's machine would, against `registry`
 * with a token for it: HOME is a fresh folder and no CI variable is set, unless `ciEnv` adds some.
 * @param {string} registry e.g. 'http://127.0.0.1:4873/'
 * @param {{ args?: string[], ciEnv?: Record<string, string> }} [options]
 * @returns {Promise<NpmRun>}
 */
async function publishFromOutsideTheWorkflow(registry, options = {}) {
	const home = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-plaid-publish-'));
	const authKey = `--${registry.replace(/^https?:/, '')}:_authToken`;
	try {
		return await runNpm(['publish', `--registry=${registry}`, `${authKey}=token-for-a-local-registry`, ...(options.args ?? [])], {
			PATH: process.env.PATH,
			HOME: home,
			...options.ciEnv,
		});
	} finally {
		rmSync(home, { recursive: true, force: true });
	}
}

/**
 * `npm pack`s the repository as it is built and `npm install`s the tarball into a fresh folder, as a
 * user would in `~/.n8n/nodes`: what npm put in `node_modules` there.
 * @returns {Promise<{ code: number, output: string, installed: string[] }>}
 */
async function installPackedTarball() {
	const folder = mkdtempSync(path.join(tmpdir(), 'plaid-install-'));
	try {
		const packed = await runNpm(['pack', '--json', '--ignore-scripts', '--pack-destination', folder], { ...process.env });
		if (packed.code !== 0) throw new Error(`npm pack exited ${packed.code}\n${packed.output}`);
		const [{ filename }] = JSON.parse(packed.output.slice(packed.output.indexOf('[')));
		writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
		const installed = await new Promise((resolve) => {
			execFile('npm', ['install', '--no-audit', '--no-fund', path.join(folder, filename)], { cwd: folder, timeout: 120_000 }, (error, stdout, stderr) => {
				resolve({ code: error ? 1 : 0, output: `${stdout}${stderr}` });
			});
		});
		const listed = readdirSync(path.join(folder, 'node_modules')).filter((name) => !name.startsWith('.'));
		return { .../** @type {{ code: number, output: string }} */ (installed), installed: listed };
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}

module.exports = { packedFiles, publishFromOutsideTheWorkflow, installPackedTarball };
