/**
 * User → Create (/user/create) through n8n's engine against the emulator.
 */
import fakeTokens from '../../fixtures/fakeTokens.json';
import { describeOperation, expectInputError } from '../../harness/plaidNode';

const suite = describeOperation('user', 'create');

describe('creating a user', () => {
	it('sends only client_user_id when no identity is given; outputs { user_id, user_api, client_user_id, request_id }', async () => {
		const result = await suite.run({ clientUserId: ' customer-1001 ' });

		expect(result.status).toBe('success');
		const [request] = suite.emulator.requests;
		expect([request.method, request.path, request.body]).toEqual(['POST', '/user/create', { client_user_id: 'customer-1001' }]);
		const { user_id, request_id } = request.response.body;
		expect(result.output('Plaid')).toEqual([{ json: { user_id, user_api: 'new', client_user_id: 'customer-1001', request_id }, pairedItem: { item: 0 } }]);
		expect(suite.emulator.getUser(user_id)?.client_user_id).toBe('customer-1001');
	});

	it('sends the identity fields as Plaid’s identity object, the single email, phone and address as primary', async () => {
		await suite.run({
			clientUserId: 'customer-1002',
			additionalFields: {
				givenName: 'Jane',
				familyName: 'Doe',
				dateOfBirth: '1990-04-17',
				email: 'jane@example.com',
				phoneNumber: '+14155550123',
				street: '100 Market Street',
				city: 'San Francisco',
				region: 'CA',
				postalCode: '94103',
				country: 'us',
				withUpgradedUser: true,
			},
		});

		expect(suite.emulator.requests[0].body).toEqual({
			client_user_id: 'customer-1002',
			identity: {
				name: { given_name: 'Jane', family_name: 'Doe' },
				date_of_birth: '1990-04-17',
				emails: [{ data: 'jane@example.com', primary: true }],
				phone_numbers: [{ data: '+14155550123', primary: true }],
				addresses: [{ street_1: '100 Market Street', city: 'San Francisco', region: 'CA', postal_code: '94103', country: 'US', primary: true }],
			},
			with_upgraded_user: true,
		});
	});

	it('counts the 128-character limit in characters (code points), as the spec’s maxLength does', async () => {
		const result = await suite.run({ clientUserId: '🙂'.repeat(128) });
		expect(result.status).toBe('success');
	});

	it('passes on the user_token that legacy integrations get (Plaid shows it only this once), and not their user_id as one', async () => {
		// Plaid's documented answer for integrations of the user API that predate 2025-12-10.
		const token = fakeTokens.userCreate.legacyUserToken;
		suite.emulator.injectFaults({ path: '/user/create', status: 200, body: { user_token: token, user_id: 'wz666MBjYWTp2PDzzggYhM6oWWmBb', request_id: 'x' } });

		const result = await suite.run({ clientUserId: 'customer-legacy' });

		// A legacy user_id cannot stand in for the token: it is output under a name no user operation takes.
		expect(result.output('Plaid')[0].json).toEqual({
			user_token: token,
			legacy_user_id: 'wz666MBjYWTp2PDzzggYhM6oWWmBb',
			user_api: 'legacy',
			client_user_id: 'customer-legacy',
			request_id: expect.any(String),
		});
	});

	it('creates one user per input item, each output paired to its input', async () => {
		const result = await suite.run({ clientUserId: '={{ $json.id }}' }, { startItems: [{ id: 'c-1' }, { id: 'c-2' }] });

		expect(suite.emulator.requests.map((r) => r.body.client_user_id)).toEqual(['c-1', 'c-2']);
		expect(result.output('Plaid').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('an existing client_user_id under the new user API: the same user, a success', () => {
	it.each(['always-200', '201-on-create'] as const)('created status %s: the repeat returns the same user_id and makes no second user', async (createdStatus) => {
		suite.emulator.setShapes({ createdStatus });
		const first = await suite.run({ clientUserId: 'customer-7' });

		const again = await suite.run({ clientUserId: 'customer-7' });

		expect(again.status).toBe('success');
		expect(again.output('Plaid')[0].json).toEqual({ ...first.output('Plaid')[0].json, request_id: expect.any(String) });
		expect([...suite.emulator.state.users.values()].filter((user) => user.client_user_id === 'customer-7')).toHaveLength(1);
		suite.emulator.setShapes({ createdStatus: 'always-200' });
	});
});

describe.each(['INVALID_FIELD', 'USER_ALREADY_EXISTS'] as const)('an existing client_user_id under the legacy user API (refused as %s)', (legacyRepeatAnswer) => {
	// Plaid's /user/create docs (legacy): calling it again with the same client_user_id fails "with an
	// error message indicating that the user has been created for the given client_user_id"; they name
	// no error_code, so the emulator answers in more than one shape. The node says the user exists.
	const legacy = describeOperation('user', 'create', { userApi: 'legacy', legacyRepeatAnswer });

	it('fails the second create, says the user already exists, and makes no second user', async () => {
		const first = await legacy.run({ clientUserId: 'customer-7' });
		expect(first.output('Plaid')[0].json).toMatchObject({ user_api: 'legacy', user_token: expect.stringMatching(/^user-sandbox-/) });

		const again = await legacy.run({ clientUserId: 'customer-7' }, { onError: 'continueRegularOutput' });

		expect(again.output('Plaid')[0].json).toEqual({
			error: expect.stringMatching(new RegExp(`^${legacyRepeatAnswer}: `)),
			error_code: legacyRepeatAnswer,
			error_type: expect.any(String),
			documentation_url: expect.any(String),
			request_id: expect.any(String),
			client_user_id: 'customer-7',
			user_exists: true,
		});
		const strict = await legacy.run({ clientUserId: 'customer-7' });
		expect(strict.nodeError('Plaid').description).toContain('a Plaid user already exists for client_user_id "customer-7"');
		expect([...legacy.emulator.state.users.values()].filter((user) => user.client_user_id === 'customer-7')).toHaveLength(1);
	});
});

describe('bad input fails before any request', () => {
	it.each([
		['a blank client user ID', { clientUserId: '  ' }, 'Client User ID: required'],
		['a client user ID that is a number', { clientUserId: '={{ 1001 }}' }, 'Client User ID: must be text, got a number'],
		['a 129-character client user ID', { clientUserId: 'x'.repeat(129) }, 'Client User ID: at most 128 characters, got 129'],
		['a given name without a family name', { additionalFields: { givenName: 'Jane' } }, 'Family Name: required when Given Name is given'],
		['a family name without a given name', { additionalFields: { familyName: 'Doe' } }, 'Given Name: required when Family Name is given'],
		['a date of birth that does not exist', { additionalFields: { dateOfBirth: '1990-02-30' } }, 'Date of Birth: must be a real date'],
		['a date of birth in another format', { additionalFields: { dateOfBirth: '04/17/1990' } }, 'Date of Birth: must be a real date'],
		['an address without a country', { additionalFields: { city: 'Paris' } }, 'Country: required when an address field is given'],
		['a three-letter country', { additionalFields: { country: 'USA' } }, 'Country: must be a two-letter country code'],
		['an email without @', { additionalFields: { email: 'jane.example.com' } }, 'Email: not an email address'],
		['a phone number that is a number', { additionalFields: { phoneNumber: '={{ 4155550123 }}' } }, 'Phone Number: must be text, got a number'],
		['Use New User API as text', { additionalFields: { withUpgradedUser: '={{ "yes" }}' } }, 'Use New User API: must be true or false'],
	])('%s', async (_label, parameters, message) => {
		expectInputError(await suite.run({ clientUserId: 'customer-1', ...parameters }), suite.emulator, message);
	});
});

describe('Continue On Fail (legacy user API, which refuses a repeat)', () => {
	const legacy = describeOperation('user', 'create', { userApi: 'legacy' });

	it('regular output: a bad item and a Plaid error are output in place; the rest are created', async () => {
		await legacy.run({ clientUserId: 'taken' });
		legacy.emulator.clearRequests();

		const result = await legacy.run(
			{ clientUserId: '={{ $json.id }}' },
			{ onError: 'continueRegularOutput', startItems: [{ id: 'taken' }, { id: 'x'.repeat(200) }, { id: 'fresh' }] },
		);

		const [taken, tooLong, fresh] = result.output('Plaid');
		expect([taken.json.error_code, taken.pairedItem]).toEqual(['INVALID_FIELD', { item: 0 }]);
		expect(tooLong).toEqual({ json: { error: expect.stringContaining('Client User ID: at most 128') }, pairedItem: { item: 1 } });
		expect([typeof fresh.json.user_token, fresh.pairedItem]).toEqual(['string', { item: 2 }]);
		expect(legacy.emulator.requests).toHaveLength(2);
	});

	it('error output: the failed item goes to the error output with the code leading `error`', async () => {
		await legacy.run({ clientUserId: 'taken' });

		const result = await legacy.run({ clientUserId: 'taken' }, { onError: 'continueErrorOutput' });

		expect(result.output('Plaid', 1).map((item) => [item.json.error.split(':')[0], item.pairedItem])).toEqual([
			['INVALID_FIELD', { item: 0 }],
		]);
	});
});
