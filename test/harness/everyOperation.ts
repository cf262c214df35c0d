/**
 * Every operation of the Plaid node, derived from its declarations (nodes/Plaid/actions/resources.ts),
 * with parameters that pass its input checks, so that its first request is sent: for the tests that
 * hold every operation to the same rule, whatever answers. Each parameter takes its default, and a
 * required text its placeholder's example (the panel's own "e.g. …"): so a new operation is covered
 * as soon as it is declared, and every example the panel shows must pass the node's own checks.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { Resource } from '../../nodes/Plaid/actions/operation';
import { resources as declared } from '../../nodes/Plaid/actions/resources';

export interface OperationCase {
	resource: string;
	operation: string;
	parameters: Record<string, unknown>;
	irreversible: boolean;
}

/** "e.g. usr_8c3ZbDBYjaqUXZ" → "usr_8c3ZbDBYjaqUXZ". */
const exampleOf = (placeholder: string | undefined) => placeholder?.replace(/^e\.g\. /, '');

/** Whether `property` shows, given the values chosen so far (its resource and operation hold). */
function shows(property: INodeProperties, values: Record<string, unknown>): boolean {
	const show = property.displayOptions?.show ?? {};
	return Object.entries(show).every(([name, allowed]) => {
		if (name === 'resource' || name === 'operation') return true;
		// Version 1's parameters, like a node added by an older workflow.
		if (name === '@version') return (allowed as unknown[]).includes(1);
		return (allowed as unknown[]).includes(values[name]);
	});
}

function exampleParameters(properties: INodeProperties[]): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const property of properties) {
		if (property.type === 'notice' || !shows(property, values) || property.name in values) continue;
		const needsExample = property.required === true && property.type === 'string' && property.default === '';
		values[property.name] = needsExample ? exampleOf(property.placeholder) : property.default;
	}
	return values;
}

export function everyOperation(resources: Resource[] = declared): OperationCase[] {
	return resources.flatMap((resource) =>
		Object.entries(resource.operations).map(([operation, module]) => ({
			resource: resource.option.value,
			operation,
			parameters: exampleParameters(resource.properties.filter((property) => property.displayOptions?.show?.operation?.includes(operation) && property.displayOptions.show.resource?.includes(resource.option.value))),
			irreversible: module.irreversible !== undefined,
		})),
	);
}

/** `resource / operation`, for test names. */
export const operationName = ({ resource, operation }: Pick<OperationCase, 'resource' | 'operation'>) => `${resource} / ${operation}`;
