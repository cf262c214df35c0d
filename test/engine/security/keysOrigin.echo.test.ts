/**
 * Text from the server is never passed on with the keys in it. A Base URL that writes the request
 * headers it received (PLAID-SECRET, or the gateway's Authorization) back into its answer, as a
 * Plaid-shaped error, a 2xx body or an HTML page: for every operation, stopping or continuing on
 * the failure, the credential test and the trigger's key fetch, the secret and the gateway token
 * show nowhere the secret guard looks (outputs, errors with their cause chains, what n8n reported,
 * every log line), while the server did receive them.
 */
import { startEmulator } from '../../emulator';
import fakeTokens from '../../fixtures/fakeTokens.json';
import { capturedLogs, loadPackage, runWorkflow, testCredential } from '../../harness/engine';
import { everyOperation, operationName } from '../../harness/everyOperation';
import { perFile } from '../../harness/fixtures';
import { startEchoServer } from '../../harness/hostileServers';
import { everythingLeftBy } from '../../harness/plaidNode';
import { startTriggerServer } from '../../harness/webhook';
import { gatewayCredentials, ON_ERROR_SETTINGS, plaidWorkflow } from '../../harness/workflows';

const GATEWAY_TOKEN = fakeTokens.gateway.gatewayToken;
const MODES = ['plaidError', 'success', 'html', 'html200'] as const;

const { loaded, emulator, echo } = perFile(async () => ({ loaded: await loadPackage(), emulator: await startEmulator(), echo: await startEchoServer() }));

/** Who holds what: the Plaid keys, or a gateway token in their place. */
const AUTH = {
	keys: {
		credential: () => ({ environment: 'custom', baseUrl: `${echo.url}/plaid`, clientId: emulator.clientId, secret: emulator.secret }),
		secret: () => emulator.secret,
		received: (headers: Record<string, unknown>) => headers['plaid-secret'],
	},
	gateway: {
		credential: () => gatewayCredentials(`${echo.url}/plaid`).plaidApi,
		secret: () => GATEWAY_TOKEN,
		received: (headers: Record<string, unknown>) => String(headers.authorization).replace(/^Bearer /, ''),
	},
} as const;

describe.each(everyOperation().map((operation) => [operationName(operation), operation] as const))('%s', (_name, operation) => {
	const cases = MODES.flatMap((mode) => (['keys', 'gateway'] as const).flatMap((auth) => ON_ERROR_SETTINGS.map((onError) => [mode, auth, onError] as const)));

	it.each(cases)('an echo as %s, %s, on error %s: the secret is passed on nowhere', async (mode, auth, onError) => {
		echo.echo(mode);

		const run = await runWorkflow(
			plaidWorkflow(
				// Retries are not the point here: a 502 is answered at once.
				{ resource: operation.resource, operation: operation.operation, ...operation.parameters, options: { maxRetries: 0 } },
				{ onError },
			),
			{ credentials: { plaidApi: AUTH[auth].credential() }, loaded },
		);

		expect(echo.requests.length).toBeGreaterThan(0);
		expect(AUTH[auth].received(echo.requests[0].headers)).toBe(AUTH[auth].secret());
		const left = everythingLeftBy(run);
		expect(left).not.toContain(AUTH[auth].secret());
		if (mode === 'plaidError') expect(left).toContain('INVALID_FIELD: request headers were');
		if (mode === 'plaidError' || mode === 'success') expect(left).toContain('[redacted]');
	});
});

describe('the credential test', () => {
	it.each(MODES.flatMap((mode) => (['keys', 'gateway'] as const).map((auth) => [mode, auth] as const)))(
		'an echo as %s, %s: its answer holds no secret',
		async (mode, auth) => {
			echo.echo(mode);

			const result = await testCredential(AUTH[auth].credential(), { loaded });

			expect(AUTH[auth].received(echo.requests[0].headers)).toBe(AUTH[auth].secret());
			expect(JSON.stringify(result)).not.toContain(AUTH[auth].secret());
		},
	);
});

describe('the trigger’s key fetch', () => {
	let calls = 0;

	it.each(MODES)('an echo as %s: the webhook answer and the log hold no secret', async (mode) => {
		echo.echo(mode);
		calls += 1;
		const credentials = { plaidApi: { ...AUTH.keys.credential(), clientId: `client-echo-${calls}` } };
		const trigger = await startTriggerServer({ loaded, credentials, parameters: { events: ['*'] } });
		const logsBefore = capturedLogs.length;
		try {
			const answer = await emulator.sendWebhook(trigger.url, { webhook_type: 'ITEM', webhook_code: 'ERROR', item_id: `item-echo-${calls}` });

			expect(echo.requests.length).toBeGreaterThan(0);
			for (const request of echo.requests) expect(request.url).toBe('/plaid/webhook_verification_key/get');
			expect([401, 500]).toContain(answer.status);
			expect(trigger.started).toHaveLength(0);
			expect(JSON.stringify([answer, capturedLogs.slice(logsBefore)])).not.toContain(emulator.secret);
		} finally {
			await trigger.close();
		}
	});
});
