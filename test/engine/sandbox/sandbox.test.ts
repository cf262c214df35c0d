/**
 * Sandbox → Create Test Item and Sandbox → Fire Webhook through n8n's engine against the emulator,
 * the webhooks received by the package's Plaid Trigger; both refused with a Production credential
 * before anything is sent.
 */
import { runWorkflow } from '../../harness/engine';
import { triggerPerFile } from '../../harness/engineFixtures';
import { describeOperation, everythingLeftBy, expectInputError, expectPlaidError, itFailsBeforeAnyRequest, plaidFailureItem, type Emulator } from '../../harness/plaidNode';
import { emulatorCredentials, plaidWorkflow } from '../../harness/workflows';
import { startEmulator } from '../../emulator';

const PRODUCTION = { environment: 'production' };

describe('Sandbox → Create Test Item', () => {
	const suite = describeOperation('sandbox', 'createTestItem');

	it('creates a public token for First Platypus Bank with Transactions, exchanges it, outputs item_id, access_token, request_id', async () => {
		const result = await suite.run({});

		expect(result.status).toBe('success');
		const [create, exchange] = suite.emulator.requests;
		expect([create.path, create.body]).toEqual(['/sandbox/public_token/create', { institution_id: 'ins_109508', initial_products: ['transactions'] }]);
		expect([exchange.path, exchange.body]).toEqual(['/item/public_token/exchange', { public_token: create.response.body.public_token }]);
		const { item_id, access_token, request_id } = exchange.response.body;
		expect(result.output('Plaid')).toEqual([{ json: { item_id, access_token, request_id }, pairedItem: { item: 0 } }]);
		expect(suite.emulator.accessTokenOf(item_id)).toBe(access_token);
		expect(everythingLeftBy(result)).not.toContain(create.response.body.public_token);
	});

	it('links the Item to a user when a User ID is given, with the products chosen (duplicates dropped)', async () => {
		suite.emulator.addUser({ user_id: 'usr_tryout' });

		const result = await suite.run({ institutionId: 'ins_109510', initialProducts: ['auth', 'transactions', 'auth'], userId: ' usr_tryout ' });

		expect(suite.emulator.requests[0].body).toEqual({ institution_id: 'ins_109510', initial_products: ['auth', 'transactions'], user_id: 'usr_tryout' });
		expect(suite.emulator.itemIdsOf('usr_tryout')).toEqual([result.output('Plaid')[0].json.item_id]);
	});

	it('one Item per input item, outputs paired; in node version 1.1 too', async () => {
		const result = await suite.run({ institutionId: '={{ $json.bank }}' }, { typeVersion: 1.1, startItems: [{ bank: 'ins_109508' }, { bank: 'ins_109509' }] });

		const creates = suite.emulator.requestsTo('/sandbox/public_token/create');
		expect(creates.map((request) => request.body.institution_id).sort()).toEqual(['ins_109508', 'ins_109509']);
		expect(suite.emulator.requestsTo('/item/public_token/exchange')).toHaveLength(2);
		const banks = result.output('Plaid').map((item) => suite.emulator.state.itemsById.get(item.json.item_id)?.item.institution_id);
		expect(banks).toEqual(['ins_109508', 'ins_109509']);
		expect(result.output('Plaid').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	itFailsBeforeAnyRequest(suite, [
		['a bank name instead of an institution ID', { institutionId: 'First Platypus Bank' }, 'Institution ID: Plaid institution IDs read "ins_" and digits'],
		['no products from an expression', { initialProducts: '={{ [] }}' }, 'Initial Products: choose at least one product'],
		['a product from an expression that is not a Sandbox one', { initialProducts: '={{ ["auth", "mortgages"] }}' }, 'Initial Products: "mortgages" is not one of the Sandbox products'],
		['a number as the user', { userId: '={{ 7 }}' }, 'User ID: must be text, got a number'],
	]);

	it('an unknown institution is Plaid’s INVALID_INSTITUTION, and nothing is exchanged', async () => {
		const result = await suite.run({ institutionId: 'ins_1' });

		expectPlaidError(result, 'INVALID_INSTITUTION');
		expect(suite.emulator.requests.map((request) => request.path)).toEqual(['/sandbox/public_token/create']);
	});

	it('Continue On Fail: the failed item carries the Plaid fields; the others go on', async () => {
		const result = await suite.run(
			{ userId: '={{ $json.user }}' },
			{ onError: 'continueRegularOutput', startItems: [{ user: 'usr_nobody' }, { user: '' }] },
		);

		const [failed, created] = result.output('Plaid');
		expect(failed).toEqual(plaidFailureItem('USER_NOT_FOUND', 'USER_ERROR', 0, suite.emulator.requests[0].response.body.request_id));
		expect(created).toEqual({ json: { item_id: expect.any(String), access_token: expect.any(String), request_id: expect.any(String) }, pairedItem: { item: 1 } });
	});
});

describe('Sandbox → Fire Webhook', () => {
	const suite = describeOperation('sandbox', 'fireWebhook');
	const trigger = triggerPerFile(suite);

	const triggered = async () => {
		await suite.emulator.webhooksSettled();
		return trigger.started.map((call) => (call.items ?? [])[0].json);
	};

	it('fires USER_PERMISSION_REVOKED (type ITEM) by default; the Plaid Trigger verifies it and starts a run', async () => {
		suite.emulator.addUser({ user_id: 'usr_a', items: [{ item_id: 'item-1', webhook: trigger.url }] });
		const token = suite.emulator.accessTokenOf('item-1') as string;

		const result = await suite.run({ accessToken: token });

		expect(result.status).toBe('success');
		expect(suite.emulator.requests[0].body).toEqual({ access_token: token, webhook_type: 'ITEM', webhook_code: 'USER_PERMISSION_REVOKED' });
		expect(result.output('Plaid')).toEqual([{ json: { webhook_fired: true, request_id: expect.any(String) }, pairedItem: { item: 0 } }]);
		expect(await triggered()).toEqual([
			expect.objectContaining({ webhook_type: 'ITEM', webhook_code: 'USER_PERMISSION_REVOKED', item_id: 'item-1', user_id: 'usr_a', verified: true }),
		]);
		expect(everythingLeftBy(result)).not.toContain(token);
	});

	it('works the same in node version 1.1', async () => {
		const item = suite.emulator.addItem({ webhook: trigger.url });

		const result = await suite.run({ accessToken: item.access_token, webhookCode: 'PENDING_DISCONNECT' }, { typeVersion: 1.1 });

		expect(result.output('Plaid')).toEqual([{ json: { webhook_fired: true, request_id: expect.any(String) }, pairedItem: { item: 0 } }]);
		expect(await triggered()).toEqual([expect.objectContaining({ webhook_code: 'PENDING_DISCONNECT', reason: 'INSTITUTION_MIGRATION', verified: true })]);
	});

	it.each([
		['SYNC_UPDATES_AVAILABLE', {}, 'TRANSACTIONS'],
		['DEFAULT_UPDATE', { webhookType: 'TRANSACTIONS' }, 'TRANSACTIONS'],
		['DEFAULT_UPDATE', { webhookType: 'AUTH' }, 'AUTH'],
		['LOGIN_REPAIRED', { webhookType: 'AUTH' }, 'ITEM'],
	])('sends %s with the webhook type it belongs to (%j → %s)', async (webhookCode, extra, webhookType) => {
		const item = suite.emulator.addItem({ webhook: trigger.url, products: ['auth', 'transactions'] });

		await suite.run({ accessToken: item.access_token, webhookCode, ...extra });

		expect(suite.emulator.requests[0].body).toEqual({ access_token: item.access_token, webhook_type: webhookType, webhook_code: webhookCode });
		expect(await triggered()).toEqual([expect.objectContaining({ webhook_type: webhookType, webhook_code: webhookCode })]);
	});

	it.each([
		['a code outside the list', { webhookCode: '={{ "AUTHORIZATION_GRANTED" }}' }, 'Webhook Code: "AUTHORIZATION_GRANTED" is not one of Plaid\'s values'],
		['a Default Update type that has none', { webhookCode: 'DEFAULT_UPDATE', webhookType: '={{ "ITEM" }}' }, 'Webhook Type: "ITEM" is not one of Plaid\'s values'],
		['a blank token', { accessToken: ' ' }, 'Access Token: required'],
	])('bad input fails before any request: %s', async (_label, parameters, message) => {
		const item = suite.emulator.addItem({ webhook: trigger.url });
		expectInputError(await suite.run({ accessToken: item.access_token, ...parameters }), suite.emulator, message);
	});

	it('Plaid’s Sandbox errors: no webhook URL on the Item, a product the Item lacks', async () => {
		const bare = suite.emulator.addItem();
		const noAssets = suite.emulator.addItem({ webhook: trigger.url, products: ['transactions'] });

		expectPlaidError(await suite.run({ accessToken: bare.access_token }), 'SANDBOX_WEBHOOK_INVALID');
		expectPlaidError(await suite.run({ accessToken: noAssets.access_token, webhookCode: 'PRODUCT_READY' }), 'SANDBOX_PRODUCT_NOT_ENABLED');
		expect(await triggered()).toEqual([]);
	});

	it('Continue (using error output): the failed item goes there, paired; the webhook of the other is fired', async () => {
		const item = suite.emulator.addItem({ webhook: trigger.url, products: ['transactions'] });

		const result = await suite.run(
			{ accessToken: item.access_token, webhookCode: '={{ $json.code }}' },
			{ onError: 'continueErrorOutput', startItems: [{ code: 'PRODUCT_READY' }, { code: 'LOGIN_REPAIRED' }] },
		);

		expect(result.output('Plaid', 1).map((failed) => [failed.json.error.split(':')[0], failed.pairedItem])).toEqual([['SANDBOX_PRODUCT_NOT_ENABLED', { item: 0 }]]);
		expect(result.output('Plaid', 0).map((fired) => fired.pairedItem)).toEqual([{ item: 1 }]);
		expect(await triggered()).toEqual([expect.objectContaining({ webhook_code: 'LOGIN_REPAIRED' })]);
	});
});

describe('never outside the Sandbox', () => {
	const suite = describeOperation('sandbox', 'createTestItem');

	it.each([
		['createTestItem', {}],
		['fireWebhook', { accessToken: '={{ "access-production-" + "0f3c" }}' }],
	])('%s with a Production credential is refused before anything is sent', async (operation, parameters) => {
		const result = await suite.run({ operation, ...parameters }, { credentials: PRODUCTION });

		expectInputError(result, suite.emulator, /^Environment: Sandbox operations run only with a Sandbox credential .* set to Production, so nothing was sent$/);
	});

	it('a Custom URL in front of Production gets Plaid’s own SANDBOX_ONLY, and nothing is created', async () => {
		let production: Emulator | undefined;
		try {
			production = await startEmulator({ environment: 'production' });
			const workflow = plaidWorkflow({ resource: 'sandbox', operation: 'createTestItem' });

			const result = await runWorkflow(workflow, { credentials: emulatorCredentials(production), loaded: suite.loaded });

			expectPlaidError(result, 'SANDBOX_ONLY');
			expect(production.requests.map((request) => request.path)).toEqual(['/sandbox/public_token/create']);
		} finally {
			await production?.close();
		}
	});
});
