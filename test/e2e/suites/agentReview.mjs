// The agent's Remove Items behind n8n's human review, on `n8n start`: a webhook starts the agent, the
// model lists Alice's Items and asks to remove them, and n8n mails an approver instead of calling
// Plaid. Until the approver follows a link, Plaid sees no removal and the execution waits. Declined:
// no removal ever, and the model is told the call was rejected. Approved: exactly the removal the
// model asked for, and the model gets its result.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor, stop } from '../lib/processes.mjs';
import { restClient, waitUntilServing } from '../lib/server.mjs';
import { finishedExecutions, postWebhookWhenRegistered, runDataOf } from '../lib/trigger.mjs';
import { plaidCalls } from '../lib/workflows.mjs';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';

export const REVIEW = { path: 'agent-offboarding-reviewed', approver: 'approver@n8n-nodes-plaid.test' };

export async function reviewedRemovals({ step, log, cli, paths, agentDir, workflow, port, model, smtp, emulator, alice, outputs }) {
	const baseUrl = `http://127.0.0.1:${port}`;
	const server = await step(`agent, human review: n8n start on ${baseUrl}`, async () => {
		const started = cli.startServer();
		await waitUntilServing(baseUrl, started);
		return started;
	});
	try {
		const rest = restClient(baseUrl);
		await step('agent, human review: set up the owner account (REST API)', () => rest.setUpOwner());
		const context = { rest, paths, workflow, baseUrl, model, smtp, emulator, alice, log };
		await step('agent, human review: the removal waits for the approver, who declines: Plaid never sees it', () =>
			reviewOnce({ ...context, approve: false, expect: declined }),
		);
		await step('agent, human review: the approver approves: exactly the removal the model asked for', () =>
			reviewOnce({ ...context, approve: true, expect: approved }),
		);
		assert.ok(!server.output().includes(emulator.secret), 'the credential secret appears in the n8n server log');
	} finally {
		await stop(server);
		outputs.push(server.output());
		writeFileSync(path.join(agentDir, 'n8n-server.log'), server.output());
	}
}

async function reviewOnce({ rest, paths, workflow, baseUrl, model, smtp, emulator, alice, approve, expect, log }) {
	const { client } = emulator;
	await client.resetToDemo();
	const items = await client.itemIdsOf(alice);
	const [firstRequest, firstMail] = [model.requests.length, smtp.messages.length];
	const runsBefore = (await rest.executionsOf(workflow.id)).length;

	const started = await postWebhookWhenRegistered(`${baseUrl}/webhook/${REVIEW.path}`, JSON.stringify({ customer: alice }));
	assert.equal(started.status, 200, `the webhook answered ${started.status}: ${started.text}`);
	const mail = await smtp.nth(firstMail + 1);
	const [execution] = await waitFor(
		'the execution to wait for the approver',
		async () => {
			const executions = await rest.executionsOf(workflow.id);
			return executions.length > runsBefore && executions[0].status === 'waiting' ? executions : undefined;
		},
		{ timeoutMs: 30_000, intervalMs: 300 },
	);
	// Nothing irreversible has happened: Plaid was only asked for the list.
	assert.deepEqual(plaidCalls(await client.requests()), [['/user/items/get', { user_id: alice }]], 'Plaid calls while the run waits');
	assert.ok(mail.to.some((to) => to.includes(REVIEW.approver)), `the review mail went to ${mail.to.join(', ')}`);
	for (const value of [alice, ...items]) assert.ok(mail.text.includes(value), `the review mail does not show ${value}`);

	const link = approvalLinks(mail.text)[approve ? 'approve' : 'decline'];
	// As the approver's browser: n8n ignores approval links opened by bots (link previews), and to its
	// bot check Node's own user agent is one.
	const answer = await fetch(link, { headers: { 'user-agent': BROWSER }, signal: AbortSignal.timeout(30_000) });
	assert.equal(answer.status, 200, `following the ${approve ? 'approve' : 'decline'} link: ${answer.status}`);
	const [finished] = await finishedExecutions(rest, workflow.id, runsBefore + 1);
	assert.equal(finished.id, execution.id);
	assert.equal(finished.status, 'success', `the reviewed execution ended ${finished.status}`);

	const { runData } = await runDataOf(rest, paths.e2eDir, finished.id);
	const output = runData['AI Agent'].at(-1).data.main[0][0].json.output;
	const sent = model.requests.slice(firstRequest);
	assert.equal(sent.length, 3, 'requests to the model');
	for (const request of sent) assert.ok(!(JSON.stringify(request.headers) + request.rawBody).includes(emulator.secret), 'the model was sent the Plaid secret');
	const requests = await client.requests();
	await expect({ requests, sent, items, output, client, alice });
	log(`execution ${finished.id}: waited for the approver, ${approve ? 'approved' : 'declined'}; Plaid calls: ${requests.map((request) => request.path).join(', ')}`);
	log(`answer: ${output.slice(0, 200)}`);
}

/** The approve and decline links of n8n's review mail (its buttons' hrefs, HTML-escaped). */
function approvalLinks(text) {
	const links = [...text.matchAll(/href="([^"]*\/webhook-waiting\/[^"]+)"/g)].map(([, href]) => href.replaceAll('&amp;', '&'));
	const find = (approved) => links.find((href) => new URL(href).searchParams.get('approved') === approved);
	const found = { approve: find('true'), decline: find('false') };
	assert.ok(found.approve && found.decline, `the review mail lacks its approve and decline links: ${links.join(' ')}`);
	return found;
}

async function declined({ requests, sent, items, output, client, alice }) {
	assert.deepEqual(plaidCalls(requests), [['/user/items/get', { user_id: alice }]]);
	assert.match(sent[2].rawBody, /User rejected the tool call to Remove Items/, 'the model was not told of the rejection');
	assert.match(output, /^Nothing was disconnected: /);
	assert.deepEqual(await client.itemIdsOf(alice), items, `${alice} lost Items`);
}

async function approved({ requests, sent, items, output, client, alice }) {
	assert.deepEqual(plaidCalls(requests), [
		['/user/items/get', { user_id: alice }],
		['/user/items/remove', { user_id: alice, item_ids: items }],
	]);
	assert.ok(sent[2].rawBody.includes(requests[1].response.body.request_id), 'the model was not sent the Remove Items result');
	assert.equal(output, `Disconnected ${items.length} bank connection(s) of ${alice}: ${items.join(', ')}.`);
	assert.deepEqual(await client.itemIdsOf(alice), []);
}
