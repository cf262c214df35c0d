/**
 * The plaidApi credential: its Test button (run as n8n's server runs it) and what every request
 * carries.
 */
import { runWorkflow, testCredential } from '../../harness/engine';
import { plaidSuite } from '../../harness/plaidNode';
import { emulatorCredentials, plaidWorkflow } from '../../harness/workflows';

const suite = plaidSuite();

const credentialsFor = (overrides: Record<string, unknown> = {}) => emulatorCredentials(suite.emulator, overrides).plaidApi;

describe('credential test', () => {
	it('passes with the right keys, after a real /institutions/get with count 1', async () => {
		const result = await testCredential(credentialsFor(), { loaded: suite.loaded });

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(suite.emulator.requests).toHaveLength(1);
		const [request] = suite.emulator.requests;
		expect(request.path).toBe('/institutions/get');
		expect(request.body).toEqual({ count: 1, offset: 0, country_codes: ['US'] });
		expect(request.headers['plaid-client-id']).toBe(suite.emulator.clientId);
		expect(request.headers['plaid-secret']).toBe(suite.emulator.secret);
		expect(request.headers['plaid-version']).toBe('2020-09-14');
		expect(request.response.status).toBe(200);
	});

	it('says the keys are wrong, and that keys are per environment, on INVALID_API_KEYS', async () => {
		const result = await testCredential(credentialsFor({ secret: 'a-production-secret' }), { loaded: suite.loaded });

		expect(result.status).toBe('Error');
		expect(result.message).toContain('INVALID_API_KEYS');
		expect(result.message).toContain('Keys are per environment');
	});

	it('says the URL is not Plaid when something else answers', async () => {
		const result = await testCredential(credentialsFor({ baseUrl: `${suite.emulator.url}/not-plaid` }), { loaded: suite.loaded });

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^The URL did not answer like the Plaid API/);
	});

	it('refuses a plain-HTTP URL to another machine before sending anything', async () => {
		const result = await testCredential(credentialsFor({ baseUrl: 'http://plaid-gateway.example.com' }), { loaded: suite.loaded });

		expect(result).toEqual({
			status: 'Error',
			message: expect.stringContaining('Base URL: plain HTTP is only allowed to a loopback host'),
		});
		expect(suite.emulator.requests).toHaveLength(0);
	});
});

describe('every request', () => {
	it('carries the keys in headers only, never in the body', async () => {
		const { user_id } = suite.emulator.addUser({ items: ['item-a'] });

		await runWorkflow(plaidWorkflow({ resource: 'user', operation: 'removeItems', userId: user_id, itemIds: 'item-a' }), {
			credentials: emulatorCredentials(suite.emulator),
			loaded: suite.loaded,
		});

		const [request] = suite.emulator.requests;
		expect(request.rawBody).not.toContain(suite.emulator.secret);
		expect(request.rawBody).not.toContain(suite.emulator.clientId);
		expect(Object.keys(request.body).sort()).toEqual(['item_ids', 'user_id']);
		expect(request.headers['plaid-version']).toBe('2020-09-14');
	});
});
