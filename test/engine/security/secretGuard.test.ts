/**
 * The suite-wide secret guard finds what it must, where it must, and nothing else. Each test
 * here takes the evidence itself, so the guard's own afterEach sees none of the planted secrets.
 */
import { LoggerProxy } from 'n8n-workflow';

import { plaidSuite } from '../../harness/plaidNode';
import { evidenceSoFar, recordEvidence, recordRun, registerSecret, takeLeaks } from '../../harness/secretHunt';

const suite = plaidSuite({ resource: 'user', operation: 'removeItems' });
beforeEach(() => takeLeaks());

const secretsIn = () => [...new Set(takeLeaks().map(({ secret }) => secret))];

describe('what the guard recognises', () => {
	it.each([
		['an access token', 'access-sandbox-de3ce8ef-33f8-452c-a685-8671031fc0f6'],
		['a production access token', 'access-production-1b2c3d'],
		['a user token', 'user-sandbox-b0e2c4d1-5e87-4a1d-8e1c-d2c8e4b1f2a3'],
		['an emulator secret', 'emulator-secret-0123456789abcdef01234567'],
	])('%s, by its shape, anywhere in a value', (_label, secret) => {
		recordEvidence('test', { deep: [{ message: `failed for ${secret}.` }] });
		expect(secretsIn()).toEqual([secret]);
	});

	it('a registered secret of any shape, inside an error’s stack, description or cause', () => {
		registerSecret('gateway-bearer-7Qx2');
		const error = Object.assign(new Error('boom'), { description: 'ok', cause: new Error('via gateway-bearer-7Qx2') });
		recordEvidence('test', error);
		expect(secretsIn()).toEqual(['gateway-bearer-7Qx2']);
	});

	it('a token in the node n8n attaches to a node error (the router hides password fields there)', () => {
		const node = { name: 'Plaid', typeVersion: 1, parameters: { userToken: 'user-sandbox-typed-by-the-user' } };
		recordEvidence('test', Object.assign(new Error('USER_NOT_FOUND'), { node }));
		expect(secretsIn()).toEqual(['user-sandbox-typed-by-the-user']);
	});

	it('not the user_token that User → Create hands on, but that token anywhere else', () => {
		const created = { json: { user_id: 'usr_1', user_token: 'user-sandbox-issued-once' }, pairedItem: { item: 0 } };
		const run = (operation: string) => ({ data: { resultData: { runData: { Plaid: [{ data: { main: [[created]] } }] } } }, operation });
		const workflow = (operation: string) => ({ nodes: [{ name: 'Plaid', type: 'n8n-nodes-plaid.plaid', parameters: { resource: 'user', operation } }] });

		recordRun(workflow('create'), run('create'));
		expect(secretsIn()).toEqual([]);
		recordRun(workflow('getItems'), run('getItems'));
		expect(secretsIn()).toEqual(['user-sandbox-issued-once']);
	});
});

describe('what the engine harness records', () => {
	it('every Plaid node’s outputs and errors, and the workflow error', async () => {
		await suite.run({ userId: 'usr_nobody', itemIds: 'item-1' });

		const where = evidenceSoFar().map((entry) => entry.where);
		expect(where).toEqual(expect.arrayContaining(['output of "Plaid"', 'error of "Plaid"', 'workflow error']));
		expect(evidenceSoFar().find((entry) => entry.where === 'error of "Plaid"')!.text).toContain('USER_NOT_FOUND');
		expect(secretsIn()).toEqual([]);
	});

	it('registers the credential’s password fields, whatever their shape', async () => {
		await suite.run({ userId: 'usr_nobody', itemIds: 'item-1' }, { credentials: { secret: 'a-secret-of-no-known-shape' } });
		takeLeaks();

		recordEvidence('test', 'said a-secret-of-no-known-shape aloud');
		expect(secretsIn()).toEqual(['a-secret-of-no-known-shape']);
	});

	it('every log line, from n8n or a node', () => {
		LoggerProxy.warn('calling Plaid with user-sandbox-logged-by-mistake');
		expect(takeLeaks()).toEqual([{ where: 'log line (warn)', secret: 'user-sandbox-logged-by-mistake' }]);
	});
});
