// @ts-check
'use strict';

// Runs bench/scenario.js in a process of its own and reads its one JSON result line. Several can be
// prepared first and started together (`waitForGo`), as n8n's queue mode runs executions in
// several worker processes at once.

const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const SCENARIO = path.join(__dirname, 'scenario.js');

/** @typedef {import('./report').ScenarioResult} ScenarioResult */

/**
 * @param {Record<string, unknown>} config a ScenarioConfig (scenario.js)
 * @param {{ nodeFlags?: string[], waitForGo?: boolean }} [options]
 * @returns {{ ready: Promise<void>, go: () => void, result: Promise<ScenarioResult> }}
 *   `ready` resolves at once unless waitForGo; `go` starts a waiting process
 */
function spawnScenario(config, options = {}) {
	const child = spawn(process.execPath, [...(options.nodeFlags ?? []), SCENARIO, JSON.stringify({ ...config, waitForGo: options.waitForGo ?? false })], {
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	/** @type {string[]} */
	const lines = [];
	/** @type {Buffer[]} */
	const stderr = [];
	child.stderr.on('data', (chunk) => stderr.push(chunk));
	/** @type {() => void} */
	let markReady = () => {};
	const ready = options.waitForGo ? new Promise((resolve) => (markReady = () => resolve(undefined))) : Promise.resolve();
	readline.createInterface({ input: child.stdout }).on('line', (line) => {
		if (line === '{"ready":true}') markReady();
		else lines.push(line);
	});
	const result = new Promise((resolve, reject) => {
		child.once('close', (code) => {
			if (code !== 0) return reject(new Error(`${String(config.client)} scenario failed (exit ${code}): ${Buffer.concat(stderr).toString() || '(no output)'}`));
			resolve(/** @type {ScenarioResult} */ (JSON.parse(lines[lines.length - 1] ?? '{}')));
		});
	});
	// A process that dies while others wait for it must not leave `ready` hanging.
	result.catch(() => markReady());
	const go = () => {
		child.stdin.end('go\n');
	};
	if (!options.waitForGo) child.stdin.end();
	return { ready, go, result: /** @type {Promise<ScenarioResult>} */ (result) };
}

module.exports = { spawnScenario };
