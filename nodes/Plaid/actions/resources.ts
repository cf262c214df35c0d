import type { INodeProperties } from 'n8n-workflow';

import { assetReport } from './assetReport/AssetReport.resource';
import { optionsProperty } from './common/options';
import { item } from './item/Item.resource';
import type { OperationModule, Resource } from './operation';
import { sandbox } from './sandbox/Sandbox.resource';
import { user } from './user/User.resource';

/** Every resource of the node: the one list a resource is added to (its operations are listed in it). */
export const resources: Resource[] = [user, item, assetReport, sandbox];

/** The operation a resource / operation pair names, or undefined. */
export function operationOf(list: Resource[], resource: string, operation: string): OperationModule | undefined {
	return list.find((candidate) => candidate.option.value === resource)?.operations[operation];
}

/** The operations of the resources that match `is`, by value (for displayOptions on `/operation`). */
function operationValues(list: Resource[], is: (module: OperationModule) => boolean): string[] {
	const values = list.flatMap((resource) => Object.entries(resource.operations).filter(([, module]) => is(module)).map(([value]) => value));
	return [...new Set(values)];
}

/** The node's parameters, derived from its resources: Resource, each resource's own, then Options. */
export function nodeProperties(list: Resource[]): INodeProperties[] {
	return [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: list.map((resource) => resource.option).sort((a, b) => a.name.localeCompare(b.name)),
			default: 'user',
		},
		...list.flatMap((resource) => resource.properties),
		optionsProperty({
			irreversible: operationValues(list, (module) => module.irreversible !== undefined),
			verifiable: operationValues(list, (module) => module.irreversible?.verifiable === true),
		}),
	];
}
