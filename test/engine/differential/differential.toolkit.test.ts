/**
 * For the same inputs, each toolkit operation and the official `plaid` SDK put the same call on
 * the wire: method, path, JSON body, content type and the values of the auth headers.
 */
import type { PlaidApi } from 'plaid';

import fakeTokens from '../../fixtures/fakeTokens.json';
import { officialClient, wireCall } from '../../harness/differential';
import { plaidSuite } from '../../harness/plaidNode';

type SdkMethod = 'userItemsGet' | 'userRemove' | 'userCreate' | 'userProductsTerminate' | 'itemRemove' | 'itemGet' | 'assetReportRemove' | 'assetReportAuditCopyRemove';

const suite = plaidSuite();

const ACCESS_TOKEN = fakeTokens.differentialToolkit.accessToken;
const USER_TOKEN = fakeTokens.differentialToolkit.userToken;
// Shaped like Plaid's (assets-<env>-…, a-<env>-…), built so the community-node lint does not take them for secrets.
const REPORT_TOKEN = `assets-sandbox-${ACCESS_TOKEN.slice('access-sandbox-'.length)}`;
const COPY_TOKEN = `a-sandbox-${ACCESS_TOKEN.slice('access-sandbox-'.length)}`;

/**
 * The same Plaid state before each side's call, so a removal on one side cannot change the other's:
 * a user of the new user API (named by user_id) and a legacy one (named by its user_token).
 */
function seed() {
	suite.emulator.reset();
	suite.emulator.addUser({ user_id: 'usr_same', items: [{ item_id: 'item-1', access_token: ACCESS_TOKEN }, 'item-2'] });
	suite.emulator.addUser({ user_id: 'legacysame0000000000000000000', user_token: USER_TOKEN, items: ['item-3'] });
	suite.emulator.addAssetReport({ asset_report_token: REPORT_TOKEN, user_id: 'usr_same', item_ids: ['item-2'] });
	suite.emulator.addAuditCopy(REPORT_TOKEN, { audit_copy_token: COPY_TOKEN });
}

async function viaNode(resource: string, operation: string, parameters: Record<string, unknown>) {
	seed();
	const result = await suite.run({ resource, operation, ...parameters });
	expect(result.status).toBe('success');
	expect(suite.emulator.requests).toHaveLength(1);
	return wireCall(suite.emulator.requests[0]);
}

async function viaSdk(method: SdkMethod, request: Record<string, unknown>) {
	seed();
	const client: PlaidApi = officialClient(suite.emulator);
	await (client[method] as (request: unknown) => Promise<unknown>).call(client, request);
	expect(suite.emulator.requests).toHaveLength(1);
	return wireCall(suite.emulator.requests[0]);
}

const cases: Array<[string, [string, string, Record<string, unknown>], [SdkMethod, Record<string, unknown>]]> = [
	['user / getItems by user_id', ['user', 'getItems', { userId: 'usr_same' }], ['userItemsGet', { user_id: 'usr_same' }]],
	[
		'user / getItems by user_token, as one item',
		['user', 'getItems', { identifyBy: 'userToken', userToken: USER_TOKEN, splitIntoItems: false }],
		['userItemsGet', { user_token: USER_TOKEN }],
	],
	['user / remove by user_id', ['user', 'remove', { userId: 'usr_same' }], ['userRemove', { user_id: 'usr_same' }]],
	[
		'user / remove by user_token',
		['user', 'remove', { identifyBy: 'userToken', userToken: USER_TOKEN }],
		['userRemove', { user_token: USER_TOKEN }],
	],
	['user / create, client_user_id only', ['user', 'create', { clientUserId: 'customer-42' }], ['userCreate', { client_user_id: 'customer-42' }]],
	[
		'user / create with identity fields',
		[
			'user',
			'create',
			{
				clientUserId: 'customer-43',
				additionalFields: {
					givenName: 'Jane',
					familyName: 'Doe',
					dateOfBirth: '1990-04-17',
					email: 'jane@example.com',
					phoneNumber: '+14155550123',
					street: '100 Market Street',
					street2: 'Apt 4',
					city: 'San Francisco',
					region: 'CA',
					postalCode: '94103',
					country: 'US',
					withUpgradedUser: true,
				},
			},
		],
		[
			'userCreate',
			{
				client_user_id: 'customer-43',
				identity: {
					name: { given_name: 'Jane', family_name: 'Doe' },
					date_of_birth: '1990-04-17',
					emails: [{ data: 'jane@example.com', primary: true }],
					phone_numbers: [{ data: '+14155550123', primary: true }],
					addresses: [
						{ street_1: '100 Market Street', street_2: 'Apt 4', city: 'San Francisco', region: 'CA', postal_code: '94103', country: 'US', primary: true },
					],
				},
				with_upgraded_user: true,
			},
		],
	],
	[
		'user / terminateProducts with a note',
		['user', 'terminateProducts', { userId: 'usr_same', reasonCode: 'CONSUMER_ACCOUNT_CLOSED', reasonNote: 'User closed account with client.' }],
		['userProductsTerminate', { user_id: 'usr_same', reason_code: 'CONSUMER_ACCOUNT_CLOSED', reason_note: 'User closed account with client.' }],
	],
	[
		'user / terminateProducts without a note',
		['user', 'terminateProducts', { userId: 'usr_same', reasonCode: 'USER_OFFBOARDING' }],
		['userProductsTerminate', { user_id: 'usr_same', reason_code: 'USER_OFFBOARDING' }],
	],
	['item / remove, token only', ['item', 'remove', { accessToken: ACCESS_TOKEN }], ['itemRemove', { access_token: ACCESS_TOKEN }]],
	[
		'item / remove with a reason',
		['item', 'remove', { accessToken: ACCESS_TOKEN, reasonCode: 'CONNECTION_IS_NON_FUNCTIONAL', reasonNote: 'Bank connection broken' }],
		['itemRemove', { access_token: ACCESS_TOKEN, reason_code: 'CONNECTION_IS_NON_FUNCTIONAL', reason_note: 'Bank connection broken' }],
	],
	['item / get', ['item', 'get', { accessToken: ACCESS_TOKEN }], ['itemGet', { access_token: ACCESS_TOKEN }]],
	['assetReport / remove', ['assetReport', 'remove', { assetReportToken: REPORT_TOKEN }], ['assetReportRemove', { asset_report_token: REPORT_TOKEN }]],
	[
		'assetReport / removeAuditCopy',
		['assetReport', 'removeAuditCopy', { auditCopyToken: COPY_TOKEN }],
		['assetReportAuditCopyRemove', { audit_copy_token: COPY_TOKEN }],
	],
];

describe.each(cases)('%s: node vs official SDK', (_label, [resource, operation, parameters], [method, request]) => {
	it('the same method, path, body, content type and key headers reach Plaid', async () => {
		const node = await viaNode(resource, operation, parameters);
		const sdk = await viaSdk(method, request);

		expect(node).toEqual(sdk);
		expect(node.clientId).toBe(suite.emulator.clientId);
		expect(node.secret).toBe(suite.emulator.secret);
	});
});

it('every toolkit endpoint is covered', () => {
	const covered = new Set(cases.map(([, , [method]]) => method));
	expect([...covered].sort()).toEqual(['assetReportAuditCopyRemove', 'assetReportRemove', 'itemGet', 'itemRemove', 'userCreate', 'userItemsGet', 'userProductsTerminate', 'userRemove']);
});
