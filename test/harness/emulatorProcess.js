// @ts-check
'use strict';

// The emulator's CLI (test/emulator/cli.js) in a child process. It lives in a .js file because n8n's
// linter, which covers every .ts file of the package, forbids child_process, process and __dirname.

const { spawn } = require('node:child_process');
const path = require('node:path');

const CLI = path.join(__dirname, '..', 'emulator', 'cli.js');

/**
 * @typedef {object} EmulatorCli
 * @property {Promise<string>} firstLine its first line on stdout; rejects if it exits before one
 * @property {Promise<number | null>} exited its exit code, once its output is read
 * @property {() => void} terminate sends SIGTERM
 * @property {() => string} stdout what it wrote on stdout so far
 * @property {() => string} stderr what it wrote on stderr so far (kept here, so a passing test prints nothing)
 */

/**
 * Starts `node test/emulator/cli.js <args>`.
 * @param {string[]} args
 * @returns {EmulatorCli}
 */
function startEmulatorCli(args) {
	const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	let [stdout, stderr] = ['', ''];
	child.stdout.on('data', (/** @type {Buffer} */ chunk) => (stdout += chunk.toString()));
	child.stderr.on('data', (/** @type {Buffer} */ chunk) => (stderr += chunk.toString()));
	// 'close', not 'exit': by then stdout and stderr are read to their end.
	/** @type {Promise<number | null>} */
	const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
	/** @type {Promise<string>} */
	const firstLine = new Promise((resolve, reject) => {
		let buffered = '';
		child.stdout.on('data', (/** @type {Buffer} */ chunk) => {
			buffered += chunk.toString();
			if (buffered.includes('\n')) resolve(buffered.slice(0, buffered.indexOf('\n')));
		});
		child.on('exit', () => reject(new Error('the CLI exited before printing its address')));
	});
	// Whoever waits for `exited` alone (an expected failure) must not see an unhandled rejection here.
	firstLine.catch(() => undefined);
	return { firstLine, exited, terminate: () => child.kill('SIGTERM'), stdout: () => stdout, stderr: () => stderr };
}

module.exports = { startEmulatorCli };
