import type { IExecuteFunctions } from 'n8n-workflow';

/** A call Plaid accepted that cannot be undone, as the execution's record of what it did. */
export interface AcceptedCall {
	itemIndex: number;
	endpoint: string;
	request_id: string;
	/** When Plaid's answer arrived (ISO 8601). */
	answered_at: string;
}

/** Where the credential sends this execution's calls: what an audit record names. */
export interface PlaidTarget {
	/** The credential's environment: sandbox, production or custom. */
	environment: string;
	baseURL: string;
}

/**
 * What one execution of the node shares between its items: the cancel signal, the credential's
 * target, which input item claimed each piece of irreversible work, and the record of every
 * irreversible call Plaid accepted, so that a failed or cancelled run can still say which customers
 * were offboarded. Created by the router for each execution; nothing of it outlives it.
 */
export class ExecutionScope {
	readonly accepted: AcceptedCall[] = [];

	/** Tells this run of the node from an earlier one (n8n's Retry On Fail) in the same execution. */
	readonly runId = Symbol('run of the Plaid node');

	private readonly claims = new Map<string, number>();

	constructor(
		readonly cancelSignal?: AbortSignal,
		readonly target?: PlaidTarget,
	) {}

	/**
	 * Claims irreversible work (a hash naming it) for input item `itemIndex`; returns the earlier item
	 * that claimed the same work, if any. Items claim before their first await, and start in input
	 * order, so the lowest index always claims first.
	 */
	claim(workKey: string, itemIndex: number): number | undefined {
		const earlier = this.claims.get(workKey);
		if (earlier !== undefined && earlier < itemIndex) return earlier;
		this.claims.set(workKey, itemIndex);
		return undefined;
	}

	record(call: AcceptedCall): void {
		this.accepted.push(call);
	}

	acceptedFor(itemIndex: number): AcceptedCall[] {
		return this.accepted.filter((call) => call.itemIndex === itemIndex);
	}
}

type ScopedContext = IExecuteFunctions & { readonly plaidExecutionScope: ExecutionScope };

/**
 * `context` with `scope` attached, for the transport to find. A new object whose prototype is
 * n8n's context, so n8n's object is left as it is and every method still works, but one: n8n's
 * request helper aborts a request in flight when the execution is cancelled, and a removal Plaid
 * receives is carried out whether or not its answer arrives. So through this context the cancel
 * signal is not handed to the request helper: a request already sent is seen through (within its
 * Timeout) and reported, while the transport, which holds the signal in `scope`, sends nothing new.
 */
export function withExecutionScope(context: IExecuteFunctions, scope: ExecutionScope): IExecuteFunctions {
	return Object.create(context, {
		plaidExecutionScope: { value: scope },
		getExecutionCancelSignal: { value: () => undefined },
	}) as ScopedContext;
}

/** The scope of this execution; none for calls outside the router (a trigger, a credential test). */
export function executionScopeOf(context: object): ExecutionScope | undefined {
	const scope = (context as Partial<ScopedContext>).plaidExecutionScope;
	return scope instanceof ExecutionScope ? scope : undefined;
}
