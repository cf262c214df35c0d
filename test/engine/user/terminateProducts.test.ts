/**
 * User → Terminate Products (/user/products/terminate) through n8n's engine against the emulator.
 */
import { describeOperation, expectPlaidError, itFailsBeforeAnyRequest, unprovenFailureItem, removedJson } from '../../harness/plaidNode';

const suite = describeOperation('user', 'terminateProducts');

describe('terminating a user’s products', () => {
	it('sends user_id, reason_code and reason_note; outputs { request_id, user_id }', async () => {
		suite.emulator.addUser({ user_id: 'usr_alice', items: ['item-1'] });

		const result = await suite.run({ userId: 'usr_alice', reasonCode: 'CONSUMER_ACCOUNT_CLOSED', reasonNote: ' Closed in the CRM ' });

		expect(result.status).toBe('success');
		const [request] = suite.emulator.requests;
		expect([request.method, request.path]).toEqual(['POST', '/user/products/terminate']);
		expect(request.body).toEqual({ user_id: 'usr_alice', reason_code: 'CONSUMER_ACCOUNT_CLOSED', reason_note: 'Closed in the CRM' });
		expect(result.output('Plaid')).toEqual([
			{
				json: { ...removedJson({ user_id: 'usr_alice' }, '/user/products/terminate', 'user.terminateProducts'), request_id: request.response.body.request_id },
				pairedItem: { item: 0 },
			},
		]);
		expect(suite.emulator.getUser('usr_alice')?.products_terminated?.reason_code).toBe('CONSUMER_ACCOUNT_CLOSED');
		// Items are a separate matter: /user/items/remove ends their billing.
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual(['item-1']);
	});

	it('defaults to USER_OFFBOARDING and leaves a blank note out of the request', async () => {
		suite.emulator.addUser({ user_id: 'usr_alice' });

		await suite.run({ userId: 'usr_alice' });

		expect(suite.emulator.requests[0].body).toEqual({ user_id: 'usr_alice', reason_code: 'USER_OFFBOARDING' });
	});

	it('takes the reason code from an expression, one request per input item', async () => {
		['usr_a', 'usr_b'].forEach((id) => suite.emulator.addUser({ user_id: id }));

		const result = await suite.run(
			{ userId: '={{ $json.id }}', reasonCode: '={{ $json.reason }}' },
			{ startItems: [{ id: 'usr_a', reason: 'FRAUD_TRANSACTION' }, { id: 'usr_b', reason: 'BILLING_TERMINATION' }] },
		);

		expect(suite.emulator.requests.map((r) => r.body.reason_code)).toEqual(['FRAUD_TRANSACTION', 'BILLING_TERMINATION']);
		expect(result.output('Plaid').map((item) => [item.json.user_id, item.pairedItem])).toEqual([
			['usr_a', { item: 0 }],
			['usr_b', { item: 1 }],
		]);
	});
});

describe('errors', () => {
	itFailsBeforeAnyRequest(suite, [
		['a blank user ID', { userId: '   ', reasonCode: 'OTHER' }, 'User ID: required'],
		['a reason code outside Plaid’s list', { userId: 'usr_1', reasonCode: '={{ "BORED" }}' }, 'Reason Code: "BORED" is not one of Plaid\'s values'],
		['a reason code in lower case', { userId: 'usr_1', reasonCode: '={{ "other" }}' }, 'Reason Code: "other" is not one of'],
		['a blank reason code from an expression', { userId: 'usr_1', reasonCode: '={{ "" }}' }, 'Reason Code: required'],
		['a 513-character note', { userId: 'usr_1', reasonNote: 'x'.repeat(513) }, 'Reason Note: at most 512 characters, got 513'],
		['a note that is a number', { userId: 'usr_1', reasonNote: '={{ 5 }}' }, 'Reason Note: must be text, got a number'],
	]);

	it('a 512-character note is sent', async () => {
		suite.emulator.addUser({ user_id: 'usr_1' });
		const result = await suite.run({ userId: 'usr_1', reasonNote: 'é'.repeat(512) });
		expect(result.status).toBe('success');
	});

	it('an unknown or removed user fails with USER_NOT_FOUND', async () => {
		expectPlaidError(await suite.run({ userId: 'usr_nobody' }), 'USER_NOT_FOUND');
	});

	it('Continue (regular output): the failed user carries the Plaid fields and its pairedItem', async () => {
		suite.emulator.addUser({ user_id: 'usr_ok' });

		const result = await suite.run(
			{ userId: '={{ $json.id }}', reasonCode: '={{ $json.reason }}' },
			{
				onError: 'continueRegularOutput',
				startItems: [{ id: 'usr_gone', reason: 'OTHER' }, { id: 'usr_ok', reason: 'NOPE' }, { id: 'usr_ok', reason: 'OTHER' }],
			},
		);

		const [gone, bad, ok] = result.output('Plaid');
		expect(gone).toEqual(unprovenFailureItem('not_found', 'USER_NOT_FOUND', 'USER_ERROR', 0, { endpoint: '/user/products/terminate', operation: 'user.terminateProducts', fields: { user_id: 'usr_gone' } }));
		expect(bad).toEqual({ json: { error: expect.stringContaining('Reason Code: "NOPE"') }, pairedItem: { item: 1 } });
		expect(ok).toEqual({ json: removedJson({ user_id: 'usr_ok' }, '/user/products/terminate', 'user.terminateProducts'), pairedItem: { item: 2 } });
		expect(suite.emulator.requests).toHaveLength(2);
	});

	it('Continue (using error output): the failed user goes to the error output', async () => {
		const result = await suite.run({ userId: 'usr_gone' }, { onError: 'continueErrorOutput' });

		expect(result.output('Plaid', 1).map((item) => [item.json.error.split(':')[0], item.pairedItem])).toEqual([
			['USER_NOT_FOUND', { item: 0 }],
		]);
	});
});
