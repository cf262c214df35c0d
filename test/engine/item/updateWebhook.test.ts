/**
 * Item → Update Webhook (/item/webhook/update) through n8n's engine against the emulator; Plaid's
 * WEBHOOK_UPDATE_ACKNOWLEDGED then reaches the package's Plaid Trigger at the new URL, verified.
 */
import { triggerPerFile } from '../../harness/engineFixtures';
import { describeOperation, everythingLeftBy, expectInputError, expectPlaidError, plaidFailureItem } from '../../harness/plaidNode';
import { unknownAccessToken } from '../../harness/tokens';

const suite = describeOperation('item', 'updateWebhook');
const trigger = triggerPerFile(suite);

describe('pointing an Item at a new URL', () => {
	it('sends { access_token, webhook }, outputs Plaid’s { item, request_id } without the token; the trigger gets the acknowledgement', async () => {
		const item = suite.emulator.addItem({ webhook: 'https://old.example.com/hook' });

		const result = await suite.run({ accessToken: item.access_token, webhookUrl: ` ${trigger.url} ` });

		expect(result.status).toBe('success');
		const [request] = suite.emulator.requests;
		expect([request.path, request.body]).toEqual(['/item/webhook/update', { access_token: item.access_token, webhook: trigger.url }]);
		expect(result.output('Plaid')).toEqual([{ json: request.response.body, pairedItem: { item: 0 } }]);
		expect(result.output('Plaid')[0].json.item).toMatchObject({ item_id: item.item_id, webhook: trigger.url });
		expect(everythingLeftBy(result)).not.toContain(item.access_token);

		await suite.emulator.webhooksSettled();
		expect(trigger.started.map((call) => (call.items ?? [])[0].json)).toEqual([
			expect.objectContaining({ webhook_code: 'WEBHOOK_UPDATE_ACKNOWLEDGED', item_id: item.item_id, new_webhook_url: trigger.url, verified: true }),
		]);
	});

	it.each([
		['empty', ''],
		['blank', '   '],
		['null from an expression', '={{ null }}'],
	])('%s removes the webhook: sent as null, no acknowledgement', async (_label, webhookUrl) => {
		const item = suite.emulator.addItem({ webhook: trigger.url });

		const result = await suite.run({ accessToken: item.access_token, webhookUrl });

		expect(suite.emulator.requests[0].body).toEqual({ access_token: item.access_token, webhook: null });
		expect(result.output('Plaid')[0].json.item.webhook).toBeNull();
		await suite.emulator.webhooksSettled();
		expect(trigger.calls).toEqual([]);
	});

	it('takes token and URL from each input item, outputs paired, in node version 1.1 too', async () => {
		const [first, second] = [suite.emulator.addItem(), suite.emulator.addItem()];

		const result = await suite.run(
			{ accessToken: '={{ $json.token }}', webhookUrl: '={{ $json.url }}' },
			{ typeVersion: 1.1, startItems: [{ token: first.access_token, url: 'https://a.example.com/plaid' }, { token: second.access_token, url: '' }] },
		);

		expect(suite.emulator.requests.map((request) => request.body.webhook)).toEqual(['https://a.example.com/plaid', null]);
		expect(result.output('Plaid').map((item) => [item.json.item.item_id, item.pairedItem])).toEqual([
			[first.item_id, { item: 0 }],
			[second.item_id, { item: 1 }],
		]);
	});
});

describe('errors', () => {
	it.each([
		['not a URL', 'n8n.example.com/webhook', 'Webhook URL: not an http(s) URL'],
		['another scheme', 'ftp://n8n.example.com/webhook', 'Webhook URL: not an http(s) URL'],
		['a user name and password in it', 'https://admin:hunter22@n8n.example.com/webhook', 'Webhook URL: must not contain a user name or password'],
		['a number from an expression', '={{ 8080 }}', 'Webhook URL: must be text, got a number'],
	])('bad input fails before any request: %s', async (_label, webhookUrl, message) => {
		const item = suite.emulator.addItem();

		const result = await suite.run({ accessToken: item.access_token, webhookUrl });

		expectInputError(result, suite.emulator, message);
		const { message: text, description } = result.nodeError('Plaid');
		expect(`${text} ${description ?? ''}`).not.toContain('hunter22');
	});

	it('a blank access token fails before any request', async () => {
		expectInputError(await suite.run({ accessToken: ' ', webhookUrl: trigger.url }), suite.emulator, 'Access Token: required');
	});

	it('a removed Item fails with INVALID_ACCESS_TOKEN; with Continue On Fail the others go on, paired', async () => {
		const item = suite.emulator.addItem();
		const gone = unknownAccessToken('gone');

		expectPlaidError(await suite.run({ accessToken: gone, webhookUrl: trigger.url }), 'INVALID_ACCESS_TOKEN');
		suite.emulator.clearRequests();
		const result = await suite.run(
			{ accessToken: '={{ $json.token }}', webhookUrl: trigger.url },
			{ onError: 'continueRegularOutput', startItems: [{ token: gone }, { token: item.access_token }] },
		);

		expect(result.output('Plaid')).toEqual([
			plaidFailureItem('INVALID_ACCESS_TOKEN', 'INVALID_INPUT', 0, suite.emulator.requests[0].response.body.request_id),
			{ json: { item: expect.objectContaining({ item_id: item.item_id }), request_id: expect.any(String) }, pairedItem: { item: 1 } },
		]);
	});
});
