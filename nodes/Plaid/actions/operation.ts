import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { PlaidEndpoint } from '../transport';

/** The entry of an operation in its resource's Operation list. */
export interface OperationOption extends INodePropertyOptions {
	value: string;
	action: string;
	description: string;
}

/** An operation that cannot be undone: Preview Only, Not Found Is Success and an outcome on every output. */
export interface Irreversible {
	/** Plaid offers a read that shows the result (Verify Removal). */
	verifiable: boolean;
}

/**
 * What one `<name>.operation.ts` module exports: everything about the operation, in one file. Its
 * parameters carry no resource/operation displayOptions: defineResource adds them.
 */
export interface OperationModule {
	option: OperationOption;
	description: INodeProperties[];
	execute: (this: IExecuteFunctions, i: number) => Promise<IDataObject | IDataObject[]>;
	/** The Plaid endpoints it calls, the irreversible one first. */
	endpoints: readonly PlaidEndpoint[];
	irreversible?: Irreversible;
}

/** A resource: its operations by value, and the node parameters it adds. */
export interface Resource {
	option: { name: string; value: string };
	operations: Readonly<Record<string, OperationModule>>;
	properties: INodeProperties[];
}

/** The default operation of a resource; several when a node version changed it (see Plaid.node.ts). */
export type DefaultOperation = string | Array<{ versions: NonNullable<IDisplayOptions['show']>['@version']; operation: string }>;

/** `properties` shown only for `resource` / `operation`, on top of their own conditions. */
function shownFor(resource: string, operation: string, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { resource: [resource], operation: [operation], ...property.displayOptions?.show },
		},
	}));
}

function operationProperty(resource: string, options: OperationOption[], defaultOperation: string, versions?: NonNullable<IDisplayOptions['show']>['@version']): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource], ...(versions ? { '@version': versions } : {}) } },
		default: defaultOperation,
		options,
	};
}

/**
 * A resource from its operation modules, listed once: the Operation parameter (its options sorted by
 * name, as n8n lists them), each operation's parameters shown for it alone, and the operations by
 * value for the router.
 */
export function defineResource(option: Resource['option'], modules: OperationModule[], defaultOperation: DefaultOperation): Resource {
	const operations: Record<string, OperationModule> = {};
	for (const module of modules) {
		if (operations[module.option.value]) throw new Error(`${option.value}: two operations are called ${module.option.value}`);
		operations[module.option.value] = module;
	}
	const options = modules.map((module) => module.option).sort((a, b) => a.name.localeCompare(b.name));
	const operationProperties =
		typeof defaultOperation === 'string'
			? [operationProperty(option.value, options, defaultOperation)]
			: defaultOperation.map(({ versions, operation }) => operationProperty(option.value, options, operation, versions));
	return {
		option,
		operations,
		properties: [...operationProperties, ...modules.flatMap((module) => shownFor(option.value, module.option.value, module.description))],
	};
}
