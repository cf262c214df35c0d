/**
 * The plaidApi credential: its Test button (run as n8n's server runs it) and what every request
 * carries.
 */
import { startEmulator } from './emulator';
import { loadPackage, runWorkflow, testCredential } from './harness/engine';
import { emulatorCredentials, plaidWorkflow } from './harness/workflows';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Loaded = Awaited<ReturnType<typeof loadPackage>>;

let emulator: Emulator;
let loaded: Loaded;

beforeAll(async () => {
	loaded = await loadPackage();
	emulator = await startEmulator();
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

const credentialsFor = (overrides: Record<string, unknown> = {}) => emulatorCredentials(emulator, overrides).plaidApi;

describe('credential test', () => {
	it('passes with the right keys, after a real /institutions/get with count 1', async () => {
		const result = await testCredential(credentialsFor(), { loaded });

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(emulator.requests).toHaveLength(1);
		const [request] = emulator.requests;
		expect(request.path).toBe('/institutions/get');
		expect(request.body).toEqual({ count: 1, offset: 0, country_codes: ['US'] });
		expect(request.headers['plaid-client-id']).toBe(emulator.clientId);
		expect(request.headers['plaid-secret']).toBe(emulator.secret);
		expect(request.headers['plaid-version']).toBe('2020-09-14');
		expect(request.response.status).toBe(200);
	});

	it('says the keys are wrong, and that keys are per environment, on INVALID_API_KEYS', async () => {
		const result = await testCredential(credentialsFor({ secret: 'a-production-secret' }), { loaded });

		expect(result.status).toBe('Error');
		expect(result.message).toContain('INVALID_API_KEYS');
		expect(result.message).toContain('Keys are per environment');
	});

	it('says the URL is not Plaid when something else answers', async () => {
		const result = await testCredential(credentialsFor({ baseUrl: `${emulator.url}/not-plaid` }), { loaded });

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^The URL did not answer like the Plaid API/);
	});

	it('refuses a plain-HTTP URL to another machine before sending anything', async () => {
		const result = await testCredential(credentialsFor({ baseUrl: 'http://plaid-gateway.example.com' }), { loaded });

		expect(result).toEqual({
			status: 'Error',
			message: expect.stringContaining('Base URL: plain HTTP is only allowed to a loopback host'),
		});
		expect(emulator.requests).toHaveLength(0);
	});
});

describe('every request', () => {
	it('carries the keys in headers only, never in the body', async () => {
		const { user_id } = emulator.addUser({ items: ['item-a'] });

		await runWorkflow(plaidWorkflow({ resource: 'user', operation: 'removeItems', userId: user_id, itemIds: 'item-a' }), {
			credentials: emulatorCredentials(emulator),
			loaded,
		});

		const [request] = emulator.requests;
		expect(request.rawBody).not.toContain(emulator.secret);
		expect(request.rawBody).not.toContain(emulator.clientId);
		expect(Object.keys(request.body).sort()).toEqual(['item_ids', 'user_id']);
		expect(request.headers['plaid-version']).toBe('2020-09-14');
	});
});
