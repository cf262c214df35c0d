// @ts-check
/**
 * Ends a jest run with one plain line, `jest: N passed, N failed`, that any CI log reader can
 * count without knowing jest's own summary format.
 */
class SummaryReporter {
	/** @param {unknown} _contexts @param {{ numPassedTests: number, numFailedTests: number, numPendingTests: number }} results */
	onRunComplete(_contexts, results) {
		const skipped = results.numPendingTests > 0 ? `, ${results.numPendingTests} skipped` : '';
		process.stdout.write(`\njest: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped}\n`);
	}
}

module.exports = SummaryReporter;
