/**
 * Adding an operation is one new module and one line in its resource: a fake operation, declared
 * here and listed in a copy of the User resource, is offered in the panel, routed by the router,
 * validated before any request, and, being irreversible, gets Preview Only and an outcome, without
 * any other file knowing of it. Runs through n8n's engine against the emulator.
 */
import type { IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { parseRequiredString } from '../../../nodes/Plaid/helpers/parse';
import type { Irreversible, OperationModule, OperationOption } from '../../../nodes/Plaid/actions/operation';
import { defineResource } from '../../../nodes/Plaid/actions/operation';
import { nodeProperties, resources } from '../../../nodes/Plaid/actions/resources';
import { router } from '../../../nodes/Plaid/actions/router';
import * as userOperations from '../../../nodes/Plaid/actions/user/User.resource';
import { readIrreversibleOptions } from '../../../nodes/Plaid/removal/options';
import { removeSingleTarget } from '../../../nodes/Plaid/removal/singleTarget';
import { hashOf } from '../../../nodes/Plaid/removal/workKeys';
import { Plaid } from '../../../nodes/Plaid/Plaid.node';
import { everyOperation } from '../../harness/everyOperation';
import { plaidSuite } from '../../harness/plaidNode';

/** The new operation's module, as a new `<name>.operation.ts` would export it. */
const archive: OperationModule = {
	option: { name: 'Archive', value: 'archive', action: 'Archive a user', description: 'Archive the user (a fake endpoint of the emulator’s kind)' } satisfies OperationOption,
	endpoints: ['/user/remove'],
	irreversible: { verifiable: false } satisfies Irreversible,
	description: [{ displayName: 'Archive Label', name: 'archiveLabel', type: 'string', default: '', required: true, placeholder: 'e.g. usr_archived' }],
	async execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
		const userId = parseRequiredString(this.getNodeParameter('archiveLabel', i, ''), 'Archive Label');
		return await removeSingleTarget.call(
			this,
			i,
			{
				endpoint: '/user/remove',
				workKey: hashOf('archive', userId),
				targetKey: hashOf('archive', userId),
				fields: { user_id: userId },
				body: { user_id: userId },
				notFoundCodes: ['USER_NOT_FOUND'],
				targetName: 'user',
				previewRead: { endpoint: '/user/items/get', body: { user_id: userId }, describe: () => ({}) },
			},
			readIrreversibleOptions.call(this, i),
		);
	},
};

// The one line a resource gains: the module in its list (here a copy of User with it added).
const user = defineResource({ name: 'User', value: 'user' }, [...Object.values(resources[0].operations), archive], 'getItems');
const withArchive = [user, ...resources.slice(1)];

/** The Plaid node built from these resources, as Plaid.node.ts builds it from the real ones. */
const plaidWithArchive: INodeType = {
	description: { ...new Plaid().description, properties: nodeProperties(withArchive) },
	async execute(this: IExecuteFunctions) {
		return await router.call(this, withArchive);
	},
};

const suite = plaidSuite({ resource: 'user', operation: 'archive' });
const runArchive: typeof suite.run = async (parameters, options) => {
	const original = suite.loaded.nodeTypes;
	const nodeTypes = {
		...original,
		getByName: (name: string) => (name === 'n8n-nodes-plaid.plaid' ? plaidWithArchive : original.getByName(name)),
		getByNameAndVersion: (name: string, version?: number) =>
			name === 'n8n-nodes-plaid.plaid' ? NodeHelpers.getVersionedNodeType(plaidWithArchive, version) : original.getByNameAndVersion(name, version),
	};
	Object.assign(suite.loaded, { nodeTypes });
	try {
		return await suite.run(parameters, options);
	} finally {
		Object.assign(suite.loaded, { nodeTypes: original });
	}
};

it('is listed: offered among User’s operations, with its parameter shown for it alone', () => {
	const properties = nodeProperties(withArchive);
	const operation = properties.find((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes('user'))!;
	expect(operation.options).toContainEqual(archive.option);
	expect(properties.find((property) => property.name === 'archiveLabel')?.displayOptions?.show).toEqual({ resource: ['user'], operation: ['archive'] });
	// Irreversible: the Options offer Preview Only and Not Found Is Success for it.
	const options = properties.find((property) => property.name === 'options')!.options as Array<{ name: string; displayOptions?: { show?: Record<string, string[]> } }>;
	expect(options.find((option) => option.name === 'preview')?.displayOptions?.show?.['/operation']).toContain('archive');
	// The tests' list of every operation takes it from the same declarations.
	expect(everyOperation(withArchive).find((entry) => entry.operation === 'archive')).toEqual({ resource: 'user', operation: 'archive', parameters: { archiveLabel: 'usr_archived' }, irreversible: true });
});

it('is routed: the router runs it, and its outcome and audit record are the shared ones', async () => {
	suite.emulator.addUser({ user_id: 'usr_archived' });

	const run = await runArchive({ archiveLabel: 'usr_archived' }, { typeVersion: 1.1 });

	expect(run.output('Plaid')[0].json).toMatchObject({ outcome: 'removed', removed: true, user_id: 'usr_archived', audit: { operation: 'user.archive', endpoint: '/user/remove', accepted: true } });
	expect(suite.emulator.getUser('usr_archived')).toBeUndefined();
});

it('is validated before any request: bad input names its parameter, nothing is sent', async () => {
	const run = await runArchive({ archiveLabel: '   ' });

	expect(run.nodeError('Plaid').message).toBe('Archive Label: required');
	expect(suite.emulator.requests).toHaveLength(0);
});

it('gets Preview Only like every irreversible operation', async () => {
	suite.emulator.addUser({ user_id: 'usr_archived' });

	const run = await runArchive({ archiveLabel: 'usr_archived', options: { preview: true } });

	expect(run.output('Plaid')[0].json).toMatchObject({ preview: true, outcome: 'would_remove', removed: false });
	expect(suite.emulator.requests.map((request) => request.path)).toEqual(['/user/items/get']);
});

it('the real node is built the same way: every declared operation is offered and routed', () => {
	expect(userOperations.user).toBe(resources[0]);
	const offered = new Plaid().description.properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) => (property.options as Array<{ value: string }>).map((option) => `${property.displayOptions?.show?.resource?.[0]}.${option.value}`));
	const declared = resources.flatMap((resource) => Object.keys(resource.operations).map((operation) => `${resource.option.value}.${operation}`));
	expect(new Set(offered)).toEqual(new Set(declared));
});
