import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { PlaidApiError, plaidApiRequest, type RequestSettings } from '../Plaid/transport';
import { processWide } from '../Plaid/runtime/processState';
import { eventOptions, isSelectedEvent } from './events';
import { AcceptedWebhooks } from './replayGuard';
import { KEY_REFUSALS, type KeyLookup, type PlaidVerificationKey, VerificationKeyStore } from './verificationKeys';
import { parseJsonObject, verifyWebhook } from './verifyWebhook';

/** Shared by every Plaid Trigger of this n8n process; kept apart per Plaid environment and client. */
const verificationKeys = processWide('plaid trigger verification keys', () => new VerificationKeyStore());
const acceptedWebhooks = processWide('plaid trigger accepted webhooks', () => new AcceptedWebhooks());

/**
 * A key fetch happens while Plaid waits for our answer, for 10 seconds at most: it must fit well
 * inside that. If it does not, the webhook is answered 500 and Plaid delivers it again later, so
 * giving up early loses nothing; a rate-limited fetch is not retried, for the same reason.
 */
const KEY_FETCH_SETTINGS: RequestSettings = {
	retry: { maxRetries: 1, baseDelayMs: 200, maxDelayMs: 500, maxTotalWaitMs: 500, maxRateLimitWaitMs: 0 },
	timeoutMs: 4_000,
};

/** What a started webhook is answered: ours, not n8n's default (the text `firstEntryJson` in n8n 2.41.1). */
const STARTED_ANSWER = { message: 'received' };
const REPLAY_ANSWER = { message: 'already received; nothing started' };
const NOT_SELECTED_ANSWER = { message: 'event not selected in the trigger; nothing started' };

/** Asks Plaid, in the credential's environment, for the key a webhook names. */
async function fetchVerificationKey(this: IWebhookFunctions, keyId: string): Promise<KeyLookup> {
	try {
		const response = await plaidApiRequest.call(this, '/webhook_verification_key/get', { key_id: keyId }, { settings: KEY_FETCH_SETTINGS });
		return { key: response.key as unknown as PlaidVerificationKey };
	} catch (error) {
		if (error instanceof PlaidApiError && error.plaid?.error_code === 'INVALID_WEBHOOK_VERIFICATION_KEY_ID') {
			return { unknownKeyId: true };
		}
		this.logger.warn(`Plaid Trigger could not fetch a webhook verification key: ${(error as Error).message}`);
		return { unavailable: true };
	}
}

/**
 * Which Plaid environment and client the keys come from, so that a Sandbox key never verifies a
 * Production call, and one client's budget of key fetches is its own. Held in memory only.
 */
async function keyScope(this: IWebhookFunctions): Promise<string | undefined> {
	try {
		const { environment, baseUrl, clientId } = await this.getCredentials('plaidApi');
		const where = environment === 'custom' ? `custom ${String(baseUrl).trim()}` : String(environment);
		return `${where}\n${String(clientId ?? '')}`;
	} catch (error) {
		this.logger.warn(`Plaid Trigger could not read its Plaid credential: ${(error as Error).message}`);
		return undefined;
	}
}

/** Writes the HTTP answer itself (Node's own response API, so it works whatever server n8n uses). */
function writeAnswer(this: IWebhookFunctions, status: number, body: IDataObject): void {
	const response = this.getResponseObject();
	response.writeHead(status, { 'Content-Type': 'application/json' });
	response.end(JSON.stringify(body));
}

/** Answers the call and tells n8n not to answer again and not to start an execution. */
function answer(this: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	writeAnswer.call(this, status, body);
	return { noWebhookResponse: true };
}

export class PlaidTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Plaid Trigger',
		name: 'plaidTrigger',
		icon: { light: 'file:../Plaid/plaid.svg', dark: 'file:../Plaid/plaid.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description: 'Starts a workflow when Plaid sends a verified webhook, e.g. when a user revokes access',
		defaults: { name: 'Plaid Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'plaidApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					'Give Plaid this node’s Production URL (under Webhook URLs) as the webhook of your Items: the <code>webhook</code> field of /link/token/create for new Items, /item/webhook/update for existing ones. Every call must carry a valid Plaid signature, checked with keys fetched through the credential’s environment; any other call gets HTTP 401 and starts nothing.',
				name: 'webhookUrlNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [],
				options: eventOptions,
				description:
					'The webhooks that start the workflow. Other verified webhooks are answered with HTTP 200 and start nothing, so Plaid does not retry them.',
			},
		],
	};

	// Plaid attaches the webhook URL to each Item (Link token `webhook`, /item/webhook/update): there
	// is no account-wide subscription to create or delete when the workflow is (de)activated.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const rawBody: unknown = request.rawBody;
		// Verifying a re-serialised body would fail (or worse, hash something Plaid never sent).
		if (!Buffer.isBuffer(rawBody)) return answer.call(this, 500, { error: 'raw request body unavailable' });
		const scope = await keyScope.call(this);
		if (scope === undefined) return answer.call(this, 500, { error: KEY_REFUSALS.unavailable });

		const verification = await verifyWebhook(
			{ headers: request.headers, rawBody },
			{
				keys: verificationKeys,
				scope,
				fetchKey: async (keyId) => await fetchVerificationKey.call(this, keyId),
				requestsPerFetch: KEY_FETCH_SETTINGS.retry.maxRetries + 1,
			},
		);
		if (!verification.ok) {
			this.logger.info(`Plaid Trigger refused a webhook: ${verification.reason}`);
			return answer.call(this, verification.status, { error: verification.reason });
		}

		const body = parseJsonObject(rawBody) as IDataObject | undefined;
		if (!body) return answer.call(this, 400, { error: 'body is not a JSON object' });
		const events = this.getNodeParameter('events', []) as string[];
		if (!isSelectedEvent(events, body)) return answer.call(this, 200, NOT_SELECTED_ANSWER);
		if (!acceptedWebhooks.accept({ scope, ...verification }, Date.now())) {
			this.logger.info('Plaid Trigger received a webhook it had already started a run for; nothing started');
			return answer.call(this, 200, REPLAY_ANSWER);
		}

		// n8n 2.41 (webhook-helpers.ts): `noWebhookResponse` with `workflowData` starts the run and
		// sends nothing itself, in `n8n start` and on a queue-mode webhook processor alike.
		writeAnswer.call(this, 200, STARTED_ANSWER);
		return {
			noWebhookResponse: true,
			workflowData: [
				this.helpers.returnJsonArray({ ...body, verified: true, verification_key_id: verification.keyId }),
			],
		};
	}
}
