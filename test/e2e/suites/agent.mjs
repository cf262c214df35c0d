// The Plaid node as an AI agent's tool, in n8n 2.41.1: n8n's AI Agent, on n8n's OpenAI Chat Model
// pointed at a scripted OpenAI-compatible model on 127.0.0.1, lists a user's Items through the Plaid
// tool (User → Get Items) and removes them (User → Remove Items), the user and Item IDs coming from
// the model through $fromAI(). Over Chat Completions and over the Responses API (the chat model
// node's default), the emulator must see exactly those two calls, and the model both tool results
// and never the credential's keys. A third run has the model add another user's Item: Plaid refuses
// the whole removal, nothing is removed, and the model is told Plaid's error code. Then, on a running
// n8n, Remove Items behind n8n's human review (suites/agentReview.mjs).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { installCommunityPackage } from '../lib/communityPackage.mjs';
import { startFakeModel } from '../lib/fakeModel.mjs';
import { startFakeSmtp } from '../lib/fakeSmtp.mjs';
import { n8nCli, n8nEnvironment } from '../lib/n8n.mjs';
import { packageLoadProblems } from '../lib/packageLog.mjs';
import { freePort } from '../lib/processes.mjs';
import { assertPlaidCalls, assertTaskDataClean, plaidCalls } from '../lib/workflows.mjs';
import { REVIEW, reviewedRemovals } from './agentReview.mjs';
import { LIST_TOOL, REMOVE_TOOL, agentWorkflow } from './agentWorkflow.mjs';

const ALICE = 'usr_demo_alice';
/** One of Bob's Items in the demo seed (offboard-user removes it too), for a model that names an Item that is not Alice's. */
const BOBS_ITEM = 'psuc0Kk8NnRVTOA9PhnF1sOoF0pL2ccZaCvdg';
const PROMPT = `Customer ${ALICE} closed their account. Disconnect every one of their bank connections at Plaid.`;
const CREDENTIALS = {
	plaid: { id: 'agentPlaidCred01', name: 'Plaid (emulator)' },
	openAi: { id: 'agentOpenAiCred1', name: 'OpenAI (fake model)' },
	smtp: { id: 'agentSmtpCred001', name: 'Mail (local)' },
};
const CHAT_COMPLETIONS = { api: 'Chat Completions', path: '/v1/chat/completions', responsesApi: false };
const RESPONSES = { api: 'Responses API', path: '/v1/responses', responsesApi: true };

const CASES = [
	{ id: 'e2eAgentChatCmpl', title: `${CHAT_COMPLETIONS.api}: lists, then removes ${ALICE}'s Items`, ...CHAT_COMPLETIONS, prompt: PROMPT, expect: allRemoved },
	{ id: 'e2eAgentResponse', title: `${RESPONSES.api}: lists, then removes ${ALICE}'s Items`, ...RESPONSES, prompt: PROMPT, expect: allRemoved },
	{
		id: 'e2eAgentNotHers1',
		title: `${CHAT_COMPLETIONS.api}: the model adds one of Bob's Items; Plaid removes nothing`,
		...CHAT_COMPLETIONS,
		prompt: `${PROMPT} Their connection ${BOBS_ITEM} too.`,
		expect: noneRemoved,
	},
];
/** The workflow whose Remove Items waits for a person (suites/agentReview.mjs). */
const REVIEWED = { id: 'e2eAgentReviewed', title: `${CHAT_COMPLETIONS.api}, Remove Items behind human review`, ...CHAT_COMPLETIONS, prompt: PROMPT };

/** Every value of `key` anywhere in a JSON value (arrays flattened). */
function valuesOf(value, key) {
	if (Array.isArray(value)) return value.flatMap((entry) => valuesOf(entry, key));
	if (value === null || typeof value !== 'object') return [];
	return Object.entries(value).flatMap(([name, entry]) => (name === key ? [entry].flat() : valuesOf(entry, key)));
}

const parseJson = (text) => {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
};

/**
 * The model's side: list the user's Items, remove what the listing returned (and any Item ID the
 * prompt names), then answer with what the removal returned.
 */
function offboardingScript(userId) {
	return ({ tools, toolResults, prompt }) => {
		for (const name of [LIST_TOOL, REMOVE_TOOL]) assert.ok(tools[name], `${name} was not offered (offered: ${Object.keys(tools).join(', ')})`);
		// A tool behind n8n's human review takes its own arguments as toolParameters, the review's beside them.
		const call = (name, values) => ({
			toolCall: { name, arguments: tools[name].properties?.toolParameters ? { toolParameters: values, hitlParameters: {} } : values },
		});
		const [listed, removed] = toolResults;
		if (!listed) return call(LIST_TOOL, { user_id: userId });
		assert.equal(listed.name, LIST_TOOL, 'the first tool result');
		const listing = parseJson(listed.content);
		assert.ok(listing, `${LIST_TOOL} returned no JSON: ${listed.content.slice(0, 300)}`);
		const named = prompt.match(/\b[A-Za-z0-9]{37}\b/g) ?? [];
		const itemIds = [...valuesOf(listing, 'item_id'), ...named];
		if (!removed) return call(REMOVE_TOOL, { user_id: userId, item_ids: itemIds });
		assert.equal(removed.name, REMOVE_TOOL, 'the second tool result');
		const gone = valuesOf(parseJson(removed.content), 'item_ids');
		if (gone.length === 0) return { text: `Nothing was disconnected: ${removed.content}` };
		return { text: `Disconnected ${gone.length} bank connection(s) of ${userId}: ${gone.join(', ')}.` };
	};
}

export async function agentSuite({ step, log, paths, workDir, tarball, emulator }) {
	const agentDir = path.join(workDir, 'agent');
	const userFolder = path.join(agentDir, 'user');
	await step("agent: the README's install lines put the package into a fresh n8n 2.41.1 user folder", () => installCommunityPackage(tarball, userFolder));
	const model = await startFakeModel(offboardingScript(ALICE));
	const smtp = await startFakeSmtp();
	const outputs = [];
	try {
		const port = await freePort();
		const env = n8nEnvironment({ paths, userFolder, port, brokerPort: await freePort() });
		const cli = n8nCli({ paths, env, workDir: agentDir });
		const apiKey = `fake-model-key-${randomBytes(12).toString('hex')}`;
		await step(`agent: n8n import:credentials (plaidApi → the emulator, openAiApi → the scripted model at ${model.url}, smtp → a local mail server)`, async () => {
			const { output } = await cli.importCredentials([
				{ ...CREDENTIALS.plaid, type: 'plaidApi', data: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret } },
				{ ...CREDENTIALS.openAi, type: 'openAiApi', data: { apiKey, url: model.url } },
				{ ...CREDENTIALS.smtp, type: 'smtp', data: { host: '127.0.0.1', port: smtp.port, secure: false, disableStartTls: true, user: '', password: '' } },
			]);
			outputs.push(output);
		});
		const workflowOf = ({ id, title, prompt, responsesApi }, review) =>
			agentWorkflow({ id, name: `e2e: AI Agent, ${title}`, prompt, responsesApi, plaidCredential: CREDENTIALS.plaid, openAiCredential: CREDENTIALS.openAi, review });
		const workflows = CASES.map((agentCase) => workflowOf(agentCase));
		const reviewed = workflowOf(REVIEWED, { ...REVIEW, smtpCredential: CREDENTIALS.smtp });
		await step(`agent: n8n import:workflow (${workflows.length + 1} workflows), publish:workflow (the reviewed one)`, async () => {
			outputs.push((await cli.importWorkflows([...workflows, reviewed])).output);
			outputs.push((await cli.publishWorkflow(reviewed.id)).output);
		});
		for (const [index, agentCase] of CASES.entries()) {
			await step(`agent: n8n execute: AI Agent → Plaid tools over ${agentCase.title}`, async () => {
				const { output } = await runAgent({ cli, workflow: workflows[index], agentCase, model, apiKey, emulator, log });
				outputs.push(output);
			});
		}
		await reviewedRemovals({ step, log, cli, paths, agentDir, workflow: reviewed, port, model, smtp, emulator, alice: ALICE, outputs });
		await step('agent: n8n 2.41.1 logged nothing wrong with loading the package', () => {
			const problems = packageLoadProblems(outputs.join('\n'));
			assert.deepEqual(problems, [], `n8n logged problems loading the package:\n${problems.join('\n')}`);
		});
	} finally {
		await Promise.all([model.close(), smtp.close()]);
		// What n8n sent the model and the approver, for reading after a failed run (the work folder is kept then).
		writeFileSync(path.join(agentDir, 'model-requests.json'), JSON.stringify(model.requests, null, '\t'));
		writeFileSync(path.join(agentDir, 'mails.json'), JSON.stringify(smtp.messages, null, '\t'));
	}
}

/** Runs one case's workflow; checks what holds for every case, then the case's own expectations. */
async function runAgent({ cli, workflow, agentCase, model, apiKey, emulator, log }) {
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
	for (const toolNode of ['List Items', 'Remove Items']) assert.equal(runData[toolNode]?.length, 1, `runs of the tool node "${toolNode}"`);
	assertPlaidCalls(example, requests, emulator);

	assert.deepEqual(sent.map((request) => `${request.method} ${request.path}`), Array(3).fill(`POST ${agentCase.path}`), 'what n8n asked the model');
	for (const [index, request] of sent.entries()) {
		assert.equal(request.headers.authorization, `Bearer ${apiKey}`, `model request ${index + 1}: the openAiApi credential's key`);
		const everything = JSON.stringify(request.headers) + request.rawBody;
		assert.ok(!everything.includes(emulator.secret), `model request ${index + 1} holds the Plaid secret`);
		assert.ok(!everything.includes(emulator.clientId), `model request ${index + 1} holds the Plaid client ID`);
	}
	// Each tool's arguments are exactly its $fromAI() keys: nothing else of the node is the model's to set.
	const offered = toolsOffered(sent[0].body, agentCase);
	assert.deepEqual(
		Object.fromEntries(offered.map((tool) => [tool.name, tool.arguments])),
		{ [LIST_TOOL]: ['user_id'], [REMOVE_TOOL]: ['user_id', 'item_ids'] },
		'the tools the model was offered',
	);
	// The model is sent the Get Items result: the request ID proves it came from this call.
	const listed = requests[0].response.body;
	assert.ok(sent[1].rawBody.includes(listed.request_id) && before.alice.every((itemId) => sent[1].rawBody.includes(itemId)), 'the model was not sent the Get Items result');
	assert.ok(!output.includes(emulator.secret), "the Plaid secret appears in n8n's output");

	const answer = runData['AI Agent'].at(-1).data.main[0][0].json.output;
	await agentCase.expect({ example, runData, requests, sent, before, answer, client });
	const described = offered.map((tool) => `${tool.name}(${tool.arguments.join(', ')}): "${tool.description}"`).join('; ');
	log(`exit ${code}; model asked ${sent.length} times over ${agentCase.path}, tools offered: ${described}`);
	log(`Plaid calls: ${requests.map((request) => request.path).join(', ')}; answer: ${answer.slice(0, 300)}`);
	return { output };
}

/** Alice's Items listed, all removed in one call, the removal's result sent to the model; Bob untouched. */
async function allRemoved({ example, runData, requests, sent, before, answer, client }) {
	assertTaskDataClean(example, runData);
	assert.deepEqual(plaidCalls(requests), [
		['/user/items/get', { user_id: ALICE }],
		['/user/items/remove', { user_id: ALICE, item_ids: before.alice }],
	]);
	assert.ok(sent[2].rawBody.includes(requests[1].response.body.request_id), 'the model was not sent the Remove Items result');
	assert.equal(answer, `Disconnected ${before.alice.length} bank connection(s) of ${ALICE}: ${before.alice.join(', ')}.`);
	assert.deepEqual(await client.itemIdsOf(ALICE), [], `${ALICE} still has Items`);
	assert.deepEqual(await client.itemIdsOf('usr_demo_bob'), before.bob, 'Bob lost Items');
}

/**
 * One removal call with Alice's Items and Bob's: Plaid refuses all of it, nothing is removed from
 * either, and the model is sent Plaid's error code instead of a result.
 */
async function noneRemoved({ runData, requests, sent, before, answer, client }) {
	assert.deepEqual(plaidCalls(requests), [
		['/user/items/get', { user_id: ALICE }],
		['/user/items/remove', { user_id: ALICE, item_ids: [...before.alice, BOBS_ITEM] }],
		// After a refusal the node reads which of the Items are attached, to say so in its error.
		['/user/items/get', { user_id: ALICE }],
	]);
	const { error_code: errorCode } = requests[1].response.body;
	assert.equal(errorCode, 'ITEM_NOT_FOUND', 'what Plaid answered the removal');
	// The tool's run failed with the node's error (in the execution, for whoever reads it), and that
	// error, Plaid's code first, is the tool result the model gets; the run itself goes on.
	assert.match(runData['Remove Items'][0].error?.message ?? '', new RegExp(`^${errorCode}: `), 'the Remove Items tool run');
	assert.ok(sent[2].rawBody.includes(`${errorCode}: `), `the model was not told ${errorCode}`);
	assert.match(answer, /^Nothing was disconnected: /);
	assert.deepEqual(await client.itemIdsOf(ALICE), before.alice, `${ALICE} lost Items`);
	assert.deepEqual(await client.itemIdsOf('usr_demo_bob'), before.bob, 'Bob lost Items');
}

/** The tools as the model saw them: name, description, argument names. */
function toolsOffered(body, agentCase) {
	const tools = agentCase.responsesApi ? body.tools : body.tools.map((tool) => tool.function);
	return tools.map((tool) => ({ name: tool.name, description: tool.description, arguments: Object.keys(tool.parameters?.properties ?? {}) }));
}
