// @ts-check
'use strict';

// Reads a V8 CPU profile (`node --cpu-prof`) of a node scenario and splits the CPU time of the
// measured window into who spent it: this package, n8n (n8n-core, n8n-workflow and the libraries
// its request helper uses), Node.js itself, the garbage collector, and the benchmark harness.

const fs = require('node:fs');

/**
 * @typedef {object} ProfileNode
 * @property {number} id
 * @property {{ functionName: string, url: string, lineNumber: number }} callFrame
 * @property {number[]} [children]
 */

/** @param {string} url @param {string} functionName */
function categoryOf(url, functionName) {
	if (/\/dist\/(nodes|credentials)\//.test(url)) return 'this package';
	if (/node_modules\/(n8n-core|n8n-workflow|@n8n)\//.test(url)) return 'n8n';
	if (url.includes('node_modules/')) return "n8n's libraries (axios, …)";
	if (url.startsWith('node:')) return 'Node.js (http, net, timers, …)';
	if (functionName === '(garbage collector)') return 'garbage collector';
	if (/\/(test\/harness|bench)\//.test(url)) return 'benchmark harness';
	return 'V8 / native (program)';
}

/** @param {ProfileNode['callFrame']} frame */
function frameName(frame) {
	const file = frame.url.replace(/^.*\/(dist|node_modules)\//, '$1/');
	return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
}

/**
 * CPU milliseconds per category and per function of this package (self time), within
 * `windowUs` (the scenario's measured run, on the profile's clock); idle time is left out.
 * For time outside this package, `underOurCall` says which of our functions it ran under.
 * @param {string} file @param {[number, number]} windowUs
 */
function analyseProfile(file, windowUs) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	/** @type {Map<number, ProfileNode>} */
	const nodes = new Map(profile.nodes.map((/** @type {ProfileNode} */ node) => [node.id, node]));
	/** @type {Map<number, number>} */
	const parentOf = new Map();
	for (const node of nodes.values()) for (const child of node.children ?? []) parentOf.set(child, node.id);

	/** @type {Record<string, number>} */ const byCategory = {};
	/** @type {Record<string, number>} */ const ourFunctions = {};
	/** @type {Record<string, number>} */ const underOurCall = {};
	let time = profile.startTime;
	for (let i = 0; i < profile.samples.length; i++) {
		time += profile.timeDeltas[i];
		// A sample's delta is the time until the next one: charge it to this sample.
		const spentMs = (profile.timeDeltas[i + 1] ?? 0) / 1000;
		const node = /** @type {ProfileNode} */ (nodes.get(profile.samples[i]));
		if (time < windowUs[0] || time > windowUs[1] || node.callFrame.functionName === '(idle)') continue;
		const category = categoryOf(node.callFrame.url, node.callFrame.functionName);
		byCategory[category] = (byCategory[category] ?? 0) + spentMs;
		if (category === 'this package') {
			const name = frameName(node.callFrame);
			ourFunctions[name] = (ourFunctions[name] ?? 0) + spentMs;
			continue;
		}
		const caller = nearestOurs(node.id, nodes, parentOf);
		const key = caller ? frameName(caller.callFrame) : '(not under this package)';
		underOurCall[key] = (underOurCall[key] ?? 0) + spentMs;
	}
	return { byCategory, ourFunctions, underOurCall };
}

/** @param {number} id @param {Map<number, ProfileNode>} nodes @param {Map<number, number>} parentOf */
function nearestOurs(id, nodes, parentOf) {
	for (let current = parentOf.get(id); current !== undefined; current = parentOf.get(current)) {
		const node = /** @type {ProfileNode} */ (nodes.get(current));
		if (categoryOf(node.callFrame.url, node.callFrame.functionName) === 'this package') return node;
	}
	return undefined;
}

/** The largest entries first, as "name: x ms/item". @param {Record<string, number>} totals @param {number} items @param {number} limit */
function topEntries(totals, items, limit) {
	return Object.entries(totals)
		.sort((a, b) => b[1] - a[1])
		.slice(0, limit)
		.map(([name, ms]) => ({ name, msPerItem: ms / items }));
}

module.exports = { analyseProfile, topEntries };
