import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * The one place that reaches past n8n's public node API into its execution context. Each use says
 * why; the end-to-end suites (n8n 1.85.3, 1.123.x, 2.41.1) run the package where it could break.
 */

const SCOPE = Symbol.for('n8n-nodes-plaid.executionScope');

type Scoped<T> = IExecuteFunctions & { readonly [SCOPE]: T };

/**
 * `context` with `scope` attached, for the transport to find. A new object whose prototype is n8n's
 * context, so n8n's object is left as it is and every method still works, but one: n8n's request
 * helper aborts a request in flight when the execution is cancelled, and a removal Plaid receives is
 * carried out whether or not its answer arrives. So through this context the cancel signal is not
 * handed to the request helper: a request already sent is seen through (within its Timeout) and
 * reported, while the transport, which holds the signal in `scope`, sends nothing new.
 * Guarded by: e2e cancellation and queue suites; test/engine cancellation tests.
 */
export function withScope<T extends object>(context: IExecuteFunctions, scope: T): IExecuteFunctions {
	return Object.create(context, {
		[SCOPE]: { value: scope },
		getExecutionCancelSignal: { value: () => undefined },
	}) as Scoped<T>;
}

/** The scope `withScope` attached, if `context` came through it. */
export function scopeOf<T>(context: object, is: (value: unknown) => value is T): T | undefined {
	const scope = (context as Partial<Scoped<unknown>>)[SCOPE];
	return is(scope) ? scope : undefined;
}
