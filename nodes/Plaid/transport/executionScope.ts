import type { IExecuteFunctions } from 'n8n-workflow';

import { scopeOf, withScope } from '../runtime/context';
import type { RequestSettings } from './types';

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

	readonly cancelSignal?: AbortSignal;

	/** The credential's target, read once per execution (undefined when it could not be read). */
	readonly target?: PlaidTarget;

	/** `<resource>.<operation>`, as audit records name it. */
	readonly operation: string;

	/** The item's settings from the node's Options, read by the router (the transport reads no parameter). */
	readonly settingsFor: (itemIndex: number) => RequestSettings;

	constructor(setup: { cancelSignal?: AbortSignal; target?: PlaidTarget; operation: string; settingsFor: (itemIndex: number) => RequestSettings }) {
		this.cancelSignal = setup.cancelSignal;
		this.target = setup.target;
		this.operation = setup.operation;
		this.settingsFor = setup.settingsFor;
	}

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
}

/** `context` with `scope` attached (runtime/context.ts says how, and why the cancel signal stays with the scope). */
export function withExecutionScope(context: IExecuteFunctions, scope: ExecutionScope): IExecuteFunctions {
	return withScope(context, scope);
}

/** The scope of this execution; none for calls outside the router (a trigger, a credential test). */
export function executionScopeOf(context: object): ExecutionScope | undefined {
	return scopeOf(context, (value): value is ExecutionScope => value instanceof ExecutionScope);
}
