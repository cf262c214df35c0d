/**
 * The check every outcome test ends with: the emulator's state and removal log agree with what the
 * Plaid node output. Plaid's answers prove a removal only when it accepted the call, so an output says
 * `removed: true` exactly when the emulator delivered an accepted removal with that output's request_id.
 */
import type { Emulator, Run } from './plaidNode';

/** The fields of an irreversible output the checks read. */
export interface OutcomeJson {
	outcome?: string;
	removed?: boolean;
	request_id?: string;
	item_ids?: string[];
	[field: string]: unknown;
}

/** Every output or Continue On Fail item of the node, success and error outputs alike. */
export function outputsOf(run: Run, nodeName = 'Plaid'): OutcomeJson[] {
	return [...run.output(nodeName, 0), ...run.output(nodeName, 1)].map((item) => item.json as OutcomeJson);
}

/**
 * Every Item an output claims removed is gone and was removed by the call whose delivered answer
 * carried that output's request_id; every removal Plaid delivered an answer for is claimed by the output
 * carrying its request_id; an output that does not say removed names no Item as removed.
 */
export function expectStateMatches(run: Run, emulator: Emulator, nodeName = 'Plaid'): void {
	const outputs = outputsOf(run, nodeName);
	const live = new Set([...emulator.state.itemsById.keys()]);
	for (const output of outputs) {
		expect(output.removed === true).toBe(output.outcome === 'removed' || output.outcome === 'partial');
		if (output.removed !== true) {
			expect(output.item_ids ?? []).toEqual([]);
			continue;
		}
		const removal = emulator.removals.find((entry) => entry.request_id === output.request_id);
		expect(removal).toMatchObject({ delivered: true });
		for (const itemId of output.item_ids ?? []) {
			expect(live.has(itemId)).toBe(false);
			expect(removal!.item_ids).toContain(itemId);
		}
	}
	for (const removal of emulator.removals.filter((entry) => entry.delivered)) {
		expect(outputs.some((output) => output.removed === true && output.request_id === removal.request_id)).toBe(true);
	}
}
