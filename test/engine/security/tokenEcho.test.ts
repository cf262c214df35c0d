/**
 * A call's own tokens are never passed on, whatever the server sends back. A Base URL that
 * quotes the request body it refuses in every text field of a Plaid error (a debugging gateway
 * does): for every operation that takes an access token, a user token (as User Token, or given
 * as User ID, which Plaid's migration path accepts) or a public token, stopping or continuing on
 * the failure, the token shows nowhere the secret guard looks (outputs, errors with their cause
 * chains, what n8n reported, every log line), while the server did receive it.
 */
import crypto from 'node:crypto';

import { Plaid } from '../../../nodes/Plaid/Plaid.node';
import { tokensOf } from '../../../nodes/shared/scrub';
import { loadPackage, runWorkflow } from '../../harness/engine';
import { everyOperation, operationName, type OperationCase } from '../../harness/everyOperation';
import { perFile } from '../../harness/fixtures';
import { startEchoServer } from '../../harness/hostileServers';
import { everythingLeftBy } from '../../harness/plaidNode';
import { unknownAccessToken } from '../../harness/tokens';
import { ON_ERROR_SETTINGS, plaidWorkflow } from '../../harness/workflows';

const { loaded, echo } = perFile(
	async () => ({ loaded: await loadPackage(), echo: await startEchoServer() }),
	({ echo }) => echo.echo('bodyError'),
);

/** Made-up tokens of Plaid's shapes, built here (the community-node lint takes literals for secrets). */
const madeUpToken = (prefix: string) => `${prefix}-sandbox-echo-${crypto.randomUUID()}`;
const newUserToken = () => madeUpToken('user');
const ECHO_CREDENTIAL = { environment: 'custom', clientId: 'echo-client', secret: madeUpToken('secret') };

/** The operations whose user may be named by a User Token, as the node's description says. */
function operationsTakingUserToken(): unknown[] {
	const identifyBy = new Plaid().description.properties.find((property) => property.name === 'identifyBy');
	return identifyBy?.displayOptions?.show?.operation ?? [];
}

interface TokenCase {
	operation: OperationCase;
	kind: string;
	/** A fresh token each run: run data and n8n's reported errors are kept across tests. */
	parameters: () => Record<string, unknown>;
	/** The token, once the request shows which one was sent (a public token is made by the server). */
	sent: (body: Record<string, unknown>) => unknown;
}

/** Every operation that sends a token, with each way it can be given one. */
function tokenCases(): TokenCase[] {
	const cases: TokenCase[] = [];
	for (const operation of everyOperation()) {
		const { parameters } = operation;
		if ('accessToken' in parameters) {
			cases.push({ operation, kind: 'access token', parameters: () => ({ ...parameters, accessToken: unknownAccessToken('echo') }), sent: (body) => body.access_token });
		}
		if ('userId' in parameters) {
			cases.push({ operation, kind: 'user token as User ID', parameters: () => ({ ...parameters, userId: newUserToken() }), sent: (body) => body.user_id });
		}
		if (operation.resource === 'user' && operationsTakingUserToken().includes(operation.operation)) {
			const others = Object.fromEntries(Object.entries(parameters).filter(([name]) => name !== 'userId'));
			cases.push({ operation, kind: 'user token', parameters: () => ({ ...others, identifyBy: 'userToken', userToken: newUserToken() }), sent: (body) => body.user_token });
		}
		if (operation.resource === 'sandbox' && operation.operation === 'createTestItem') {
			cases.push({ operation, kind: 'public token', parameters: () => parameters, sent: (body) => body.public_token });
		}
	}
	return cases;
}

const cases = tokenCases().flatMap((tokenCase) => ON_ERROR_SETTINGS.map((onError) => [operationName(tokenCase.operation), tokenCase.kind, onError, tokenCase] as const));

it('covers each kind of token', () => {
	expect(new Set(cases.map(([, kind]) => kind))).toEqual(new Set(['access token', 'user token', 'user token as User ID', 'public token']));
});

describe.each(cases)('%s, %s, on error %s', (_operation, _kind, onError, { operation, parameters, sent }) => {
	it('the token sent is passed on nowhere, and the echo is there, scrubbed', async () => {
		const run = await runWorkflow(
			plaidWorkflow(
				// Retries are not the point here: the error is answered at once.
				{ resource: operation.resource, operation: operation.operation, ...parameters(), options: { maxRetries: 0 } },
				{ onError },
			),
			{ credentials: { plaidApi: { ...ECHO_CREDENTIAL, baseUrl: `${echo.url}/plaid` } }, loaded },
		);

		const tokens = echo.requests.map((request) => sent(JSON.parse(request.rawBody) as Record<string, unknown>)).filter((token) => typeof token === 'string');
		expect(tokens.length).toBeGreaterThan(0);
		const left = everythingLeftBy(run);
		for (const token of tokens) expect(left).not.toContain(token);
		expect(left).toContain('INVALID_FIELD: request body was');
		expect(left).toContain('[redacted]');
	});
});

describe('tokensOf', () => {
	it('takes every token field of a request body, and a user token given as user_id', () => {
		const body = {
			access_token: madeUpToken('access'),
			user_token: madeUpToken('user'),
			public_token: madeUpToken('public'),
			asset_report_token: madeUpToken('assets'),
			audit_copy_token: madeUpToken('a'),
			user_id: madeUpToken('user'),
		};
		expect(tokensOf(body)).toEqual(Object.values(body));
	});

	it('leaves a plain user_id, other fields and values too short to scrub safely', () => {
		const tooShort = 'access';
		expect(tokensOf({ user_id: 'usr_8c3ZbDBYjaqUXZ', item_ids: [madeUpToken('access')], client_user_id: newUserToken(), access_token: tooShort, user_token: 42 })).toEqual([]);
	});
});
