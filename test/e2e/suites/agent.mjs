// The Plaid node as an AI agent's tool, in n8n 2.41.1: n8n's AI Agent, on n8n's OpenAI Chat Model
// pointed at a scripted OpenAI-compatible model on 127.0.0.1, lists a user's Items through the Plaid
// tool (User → Get Items) and removes them (User → Remove Items), the user and Item IDs coming from
// the model through $fromAI(). Run once over Chat Completions and once over the Responses API (the
// chat model node's default). The emulator must see exactly those two calls; the model must be sent
// both tool results and never the credential's keys.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { unpackCommunityPackage } from '../lib/communityPackage.mjs';
import { startFakeModel } from '../lib/fakeModel.mjs';
import { n8nCli, n8nEnvironment } from '../lib/n8n.mjs';
import { packageLoadProblems } from '../lib/packageLog.mjs';
import { freePort } from '../lib/processes.mjs';
import { assertPlaidCalls, assertTaskDataClean, plaidCalls } from '../lib/workflows.mjs';
import { LIST_TOOL, REMOVE_TOOL, agentWorkflow } from './agentWorkflow.mjs';

const ALICE = 'usr_demo_alice';
const PROMPT = `Customer ${ALICE} closed their account. Disconnect every one of their bank connections at Plaid.`;
const CREDENTIALS = { plaid: { id: 'agentPlaidCred01', name: 'Plaid (emulator)' }, openAi: { id: 'agentOpenAiCred1', name: 'OpenAI (fake model)' } };
const VARIANTS = [
	{ api: 'Chat Completions', path: '/v1/chat/completions', responsesApi: false, id: 'e2eAgentChatCmpl' },
	{ api: 'Responses API', path: '/v1/responses', responsesApi: true, id: 'e2eAgentResponse' },
];

/** Every value of `key` anywhere in a JSON value (arrays flattened). */
function valuesOf(value, key) {
	if (Array.isArray(value)) return value.flatMap((entry) => valuesOf(entry, key));
	if (value === null || typeof value !== 'object') return [];
	return Object.entries(value).flatMap(([name, entry]) => (name === key ? [entry].flat() : valuesOf(entry, key)));
}

function parseToolResult({ name, content }) {
	try {
		return JSON.parse(content);
	} catch {
		throw new Error(`${name} returned no JSON: ${content.slice(0, 300)}`);
	}
}

/** The model's side: list the user's Items, remove what the listing returned, then answer. */
function offboardingScript(userId) {
	return ({ tools, toolResults }) => {
		for (const name of [LIST_TOOL, REMOVE_TOOL]) assert.ok(tools.includes(name), `${name} was not offered (offered: ${tools.join(', ')})`);
		const [listed, removed] = toolResults;
		if (!listed) return { toolCall: { name: LIST_TOOL, arguments: { user_id: userId } } };
		assert.equal(listed.name, LIST_TOOL, 'the first tool result');
		const itemIds = valuesOf(parseToolResult(listed), 'item_id');
		if (!removed) return { toolCall: { name: REMOVE_TOOL, arguments: { user_id: userId, item_ids: itemIds } } };
		assert.equal(removed.name, REMOVE_TOOL, 'the second tool result');
		const gone = valuesOf(parseToolResult(removed), 'item_ids');
		return { text: `Disconnected ${gone.length} bank connection(s) of ${userId}: ${gone.join(', ')}.` };
	};
}

export async function agentSuite({ step, log, paths, workDir, tarball, emulator }) {
	const agentDir = path.join(workDir, 'agent');
	const userFolder = path.join(agentDir, 'user');
	await step('agent: unpack the package into a fresh n8n 2.41.1 user folder', () => unpackCommunityPackage(tarball, userFolder));
	const model = await startFakeModel(offboardingScript(ALICE));
	const outputs = [];
	try {
		const env = n8nEnvironment({ paths, userFolder, port: await freePort(), brokerPort: await freePort() });
		const cli = n8nCli({ paths, env, workDir: agentDir });
		const apiKey = `fake-model-key-${randomBytes(12).toString('hex')}`;
		await step(`agent: n8n import:credentials (plaidApi → the emulator, openAiApi → the scripted model at ${model.url})`, async () => {
			const { output } = await cli.importCredentials([
				{ ...CREDENTIALS.plaid, type: 'plaidApi', data: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret } },
				{ ...CREDENTIALS.openAi, type: 'openAiApi', data: { apiKey, url: model.url } },
			]);
			outputs.push(output);
		});
		const workflows = VARIANTS.map((variant) =>
			agentWorkflow({
				id: variant.id,
				name: `e2e: AI Agent offboards ${ALICE} (${variant.api})`,
				prompt: PROMPT,
				responsesApi: variant.responsesApi,
				plaidCredential: CREDENTIALS.plaid,
				openAiCredential: CREDENTIALS.openAi,
			}),
		);
		await step(`agent: n8n import:workflow (${VARIANTS.map((variant) => variant.api).join(', ')})`, async () =>
			outputs.push((await cli.importWorkflows(workflows)).output),
		);
		for (const [index, variant] of VARIANTS.entries()) {
			const workflow = workflows[index];
			await step(`agent (${variant.api}): n8n execute: AI Agent → Plaid tool lists, then removes ${ALICE}'s Items`, async () => {
				const { output } = await runAgent({ cli, workflow, variant, model, apiKey, emulator, log });
				outputs.push(output);
			});
		}
		await step('agent: n8n 2.41.1 logged nothing wrong with loading the package', () => {
			const problems = packageLoadProblems(outputs.join('\n'));
			assert.deepEqual(problems, [], `n8n logged problems loading the package:\n${problems.join('\n')}`);
		});
	} finally {
		await model.close();
		// What n8n sent the model, for reading after a failed run (the work folder is kept then).
		writeFileSync(path.join(agentDir, 'model-requests.json'), JSON.stringify(model.requests, null, '\t'));
	}
}

async function runAgent({ cli, workflow, variant, model, apiKey, emulator, log }) {
	const { client } = emulator;
	await client.resetToDemo();
	const before = { alice: await client.itemIdsOf(ALICE), bob: await client.itemIdsOf('usr_demo_bob') };
	const firstRequest = model.requests.length;
	const { code, run, output } = await cli.execute(workflow.id);
	const sent = model.requests.slice(firstRequest);
	const requests = await client.requests();
	const example = { file: workflow.name };

	assert.ok(run, `n8n execute printed no run JSON (exit ${code})\n${output.slice(-3000)}`);
	assert.equal(run.data.resultData.error, undefined, `the run failed: ${run.data.resultData.error?.message}`);
	assert.equal(code, 0, `n8n execute exited ${code}`);
	const { runData } = run.data.resultData;
	assertTaskDataClean(example, runData);
	for (const toolNode of ['List Items', 'Remove Items']) assert.equal(runData[toolNode]?.length, 1, `runs of the tool node "${toolNode}"`);

	assert.deepEqual(plaidCalls(requests), [
		['/user/items/get', { user_id: ALICE }],
		['/user/items/remove', { user_id: ALICE, item_ids: before.alice }],
	]);
	assertPlaidCalls(example, requests, emulator);
	const [listed, removed] = requests.map((request) => request.response.body);

	assert.deepEqual(sent.map((request) => `${request.method} ${request.path}`), Array(3).fill(`POST ${variant.path}`), 'what n8n asked the model');
	const [, second, third] = sent.map((request) => request.rawBody);
	for (const [index, request] of sent.entries()) {
		assert.equal(request.headers.authorization, `Bearer ${apiKey}`, `model request ${index + 1}: the openAiApi credential's key`);
		const everything = JSON.stringify(request.headers) + request.rawBody;
		assert.ok(!everything.includes(emulator.secret), `model request ${index + 1} holds the Plaid secret`);
		assert.ok(!everything.includes(emulator.clientId), `model request ${index + 1} holds the Plaid client ID`);
	}
	// Each tool's arguments are exactly its $fromAI() keys: nothing else of the node is the model's to set.
	const offered = toolsOffered(sent[0].body, variant);
	assert.deepEqual(
		Object.fromEntries(offered.map((tool) => [tool.name, tool.arguments])),
		{ [LIST_TOOL]: ['user_id'], [REMOVE_TOOL]: ['user_id', 'item_ids'] },
		'the tools the model was offered',
	);
	// The tool results the model was sent are the Plaid node's outputs: the request IDs prove they came from these calls.
	assert.ok(second.includes(listed.request_id) && before.alice.every((itemId) => second.includes(itemId)), 'the model was not sent the Get Items result');
	assert.ok(third.includes(removed.request_id), 'the model was not sent the Remove Items result');

	const answer = runData['AI Agent'].at(-1).data.main[0][0].json.output;
	assert.equal(answer, `Disconnected ${before.alice.length} bank connection(s) of ${ALICE}: ${before.alice.join(', ')}.`);
	assert.deepEqual(await client.itemIdsOf(ALICE), [], `${ALICE} still has Items`);
	assert.deepEqual(await client.itemIdsOf('usr_demo_bob'), before.bob, 'Bob lost Items');
	assert.ok(!output.includes(emulator.secret), "the Plaid secret appears in n8n's output");

	const described = offered.map((tool) => `${tool.name}(${tool.arguments.join(', ')}): "${tool.description}"`).join('; ');
	log(`exit ${code}; model asked ${sent.length} times over ${variant.path}, tools offered: ${described}`);
	log(`Plaid calls: ${requests.map((request) => request.path).join(', ')}; answer: ${answer}`);
	return { output };
}

/** The tools as the model saw them: name, description, argument names. */
function toolsOffered(body, variant) {
	const tools = variant.responsesApi ? body.tools : body.tools.map((tool) => tool.function);
	return tools.map((tool) => ({ name: tool.name, description: tool.description, arguments: Object.keys(tool.parameters?.properties ?? {}) }));
}
