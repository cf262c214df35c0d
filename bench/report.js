// @ts-check
'use strict';

// Turns scenario results into the printed tables.

/**
 * @typedef {object} ScenarioResult
 * @property {number} wallMs
 * @property {number} cpuMs
 * @property {number} peakRssMb
 * @property {number} rssBeforeMb
 * @property {number} [heapBeforeMb] with --expose-gc only
 * @property {number} [heldHeapMb] with --expose-gc only
 * @property {number} failedUsers
 * @property {number} requests
 * @property {number} rateLimited
 * @property {number} connections TCP connections that carried the run's requests
 * @property {number | null} toFirstRequestMs from the start of the run to its first request reaching the emulator
 * @property {number} maxInFlight
 * @property {number} startedAtMs
 * @property {number} endedAtMs
 * @property {[number, number]} windowUs
 */

/** @typedef {{ client: 'node' | 'bare' | 'bare-keepalive' | 'sdk', users: number, concurrency: number, result: ScenarioResult }} Measured */

/** @param {number} value @param {number} digits */
const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** @param {string[][]} rows the first row is the header */
function formatTable(rows) {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	const line = (/** @type {string[]} */ row) => row.map((cell, column) => cell.padStart(widths[column])).join('  ');
	return [line(rows[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/**
 * One row per concurrency: the node beside the bare client and the SDK for the same users.
 * Ratios are of wall time (node / other): 1.00 means as fast, above 1 slower.
 * @param {Measured[]} measured
 */
function comparisonTable(measured) {
	const header = ['users', 'conc', 'client', 'wall s', 'req/s', 'node/bare', 'node/keep-alive', 'node/SDK', 'CPU ms/item', 'RSS before MB', 'peak RSS MB', 'failed', 'max in flight', 'conn/req', 'ms to 1st req'];
	const rows = [header];
	for (const entry of measured) {
		const peer = (/** @type {string} */ client) =>
			measured.find((other) => other.client === client && other.users === entry.users && other.concurrency === entry.concurrency);
		const node = peer('node');
		const ratio = (/** @type {string} */ client) => {
			const other = peer(client);
			return entry.client === 'node' && other ? fixed(entry.result.wallMs / other.result.wallMs, 2) : '';
		};
		const { result } = entry;
		rows.push([
			String(entry.users),
			String(entry.concurrency),
			entry.client,
			fixed(result.wallMs / 1000, 2),
			fixed(result.requests / (result.wallMs / 1000), 1),
			ratio('bare'),
			ratio('bare-keepalive'),
			node ? ratio('sdk') : '',
			fixed(result.cpuMs / entry.users, 2),
			fixed(result.rssBeforeMb, 0),
			fixed(result.peakRssMb, 0),
			String(result.failedUsers),
			String(result.maxInFlight),
			fixed(result.connections / result.requests, 2),
			fixed(result.toFirstRequestMs ?? NaN, 0),
		]);
	}
	return formatTable(rows);
}

/**
 * One row per rate-limited run. "of ideal" is the ideal schedule's time for the run's users over
 * the run's wall time (1.00: as fast as any client could be under that limit), given only when no
 * user was lost (a run that lost users did less work: its speed is not comparable); "of nominal"
 * is users served per second over the shape's sustained rate, which a window's first burst lets
 * exceed 1.
 * @param {import('./rateScenarios').RateResult[]} results
 */
function rateTable(results) {
	const header = ['limit', 'Retry-After', 'users', 'run as', 'lost', 'wall s', 'ideal s', 'of ideal', 'of nominal', '429s', 'requests'];
	const rows = results.map(({ scenario, wallMs, idealMs, lostUsers, requests, rateLimited }) => {
		const served = scenario.users - lostUsers;
		return [
			scenario.name,
			String(scenario.spec.retryAfter),
			String(scenario.users),
			scenario.executions === 'one' ? '1 execution' : `${scenario.users} exec. / ${scenario.processes} proc.`,
			String(lostUsers),
			fixed(wallMs / 1000, 1),
			fixed(idealMs / 1000, 1),
			lostUsers === 0 ? fixed(idealMs / wallMs, 2) : '–',
			fixed(served / (wallMs / 1000) / scenario.nominalPerSecond, 2),
			String(rateLimited),
			String(requests),
		];
	});
	return formatTable([header, ...rows]);
}

module.exports = { comparisonTable, fixed, formatTable, rateTable };
