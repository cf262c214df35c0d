import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ExecutionScope, isCancellation, type PlaidTarget, plaidTargetOf, type RequestSettings, withExecutionScope } from '../transport';
import { readConcurrency, readRequestSettings } from './common/requestSettings';
import { storeWithoutSecrets } from '../runtime/errorNode';
import { continueOnFailItem, toItemError } from './itemErrors';
import type { OperationModule, Resource } from './operation';
import { operationOf } from './resources';
import { reportRun, type RunLedger } from './runReport';

/** The node's password fields (user token, access token): what an error must not carry along. */
function secretParametersOf(resources: Resource[]): string[] {
	const properties = resources.flatMap((resource) => resource.properties);
	return [...new Set(properties.filter((property) => property.typeOptions?.password === true).map((property) => property.name))];
}

/** One item's output items, or its error item under "Continue On Fail"; other failures throw. */
async function runItem(this: IExecuteFunctions, execute: OperationModule['execute'], i: number, ledger: RunLedger, secrets: string[]): Promise<INodeExecutionData[]> {
	try {
		const result = await execute.call(this, i);
		ledger.succeeded.set(i, outcomeOf(result));
		return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), { itemData: { item: i } });
	} catch (caught) {
		const error = toItemError.call(this, caught, i, secrets);
		ledger.failed.set(i, error);
		// A cancelled execution is reported as a whole (see router), not item by item.
		if (!this.continueOnFail() || isCancellation(error)) throw error;
		return [continueOnFailItem.call(this, error, i)];
	}
}

/** An irreversible operation's outcome, for the run report; undefined for the other operations. */
function outcomeOf(result: IDataObject | IDataObject[]): string | undefined {
	return !Array.isArray(result) && typeof result.outcome === 'string' ? result.outcome : undefined;
}

/**
 * The credential's target, read once per execution: token environments are checked against it, and
 * a duplicate's audit record names it. A credential that cannot be read fails every item later, in
 * the transport, with its own message.
 */
async function targetOrUndefined(context: IExecuteFunctions): Promise<PlaidTarget | undefined> {
	try {
		return await plaidTargetOf(context);
	} catch {
		return undefined;
	}
}

/**
 * Runs `task` for items 0..count-1, at most `concurrency` at once, in input order of start. After
 * a failure or a cancellation no further item starts, but those already in flight finish: a
 * removal sent to Plaid is seen through, not abandoned mid-call, so that it can be reported.
 */
async function forEachItem(
	count: number,
	concurrency: number,
	stopped: () => boolean,
	task: (i: number) => Promise<void>,
): Promise<void> {
	let next = 0;
	let failed = false;
	const worker = async () => {
		while (next < count && !failed && !stopped()) {
			const i = next++;
			try {
				await task(i);
			} catch {
				failed = true;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * The node's only per-item loop: one input item, one Plaid operation, up to "Concurrency" items
 * at once. Outputs keep the input order. When the run stops on a failure or a cancellation, the
 * error thrown also reports every item: which Plaid completed (with the request_id of each
 * irreversible call it accepted), which failed and which were never attempted (runReport.ts).
 */
export async function router(this: IExecuteFunctions, resources: Resource[]): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const declared = operationOf(resources, resource, operation);
	if (!declared) {
		throw new NodeOperationError(this.getNode(), `The operation "${resource} / ${operation}" is not supported`);
	}
	const secrets = secretParametersOf(resources);
	let concurrency: number;
	try {
		concurrency = readConcurrency(this);
	} catch (caught) {
		throw toItemError.call(this, caught, 0, secrets);
	}

	const signal = this.getExecutionCancelSignal?.();
	const settings = new Map<number, RequestSettings>();
	const scope = new ExecutionScope({
		cancelSignal: signal,
		target: await targetOrUndefined(this),
		operation: `${resource}.${operation}`,
		// Read once per item, where an operation's first call needs them; a bad value fails that item.
		settingsFor: (i) => settings.get(i) ?? settings.set(i, readRequestSettings(this, i)).get(i)!,
	});
	const execution = withExecutionScope(this, scope);
	const ledger: RunLedger = { count: items.length, succeeded: new Map(), failed: new Map(), accepted: scope.accepted };
	const outputs: INodeExecutionData[][] = new Array(items.length);
	await forEachItem(items.length, concurrency, () => signal?.aborted === true, async (i) => {
		outputs[i] = await runItem.call(execution, declared.execute, i, ledger, secrets);
	});

	const unfinished = ledger.succeeded.size + ledger.failed.size < items.length || [...ledger.failed.values()].some(isCancellation);
	const stoppedOnError = !this.continueOnFail() && ledger.failed.size > 0;
	if (stoppedOnError || (signal?.aborted === true && unfinished)) {
		throw storeWithoutSecrets(reportRun.call(this, ledger, signal?.aborted === true), secrets);
	}
	return [outputs.flat()];
}
