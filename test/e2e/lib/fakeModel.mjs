// A stand-in for an OpenAI-compatible model server on 127.0.0.1, for n8n's OpenAI Chat Model node:
// it answers Chat Completions (POST /v1/chat/completions) and the Responses API (POST /v1/responses),
// both without streaming, plus GET /v1/models (the credential test and the editor's model list). A
// script decides each answer from what the model was sent (the tools offered, the tool results so
// far): a tool call, or a final text. Every request is recorded, so a test can read exactly what n8n
// sent the model. A script that throws answers 400 with the reason, which fails the agent's run.

import http from 'node:http';

export const FAKE_MODEL_ID = 'fake-tool-caller';

/**
 * @param {(turn: { tools: Record<string, object>, toolResults: { name: string, content: string }[], prompt: string }) =>
 *   { toolCall: { name: string, arguments: object } } | { text: string }} script
 *   `tools`: each offered tool's JSON schema of arguments, by name.
 */
export async function startFakeModel(script) {
	/** @type {{ method: string, path: string, headers: object, rawBody: string, body: any }[]} */
	const requests = [];
	let calls = 0;
	const server = http.createServer(async (request, response) => {
		const rawBody = await readBody(request);
		const path = new URL(request.url, 'http://fake').pathname;
		const body = rawBody ? JSON.parse(rawBody) : undefined;
		requests.push({ method: request.method, path, headers: request.headers, rawBody, body });
		const reply = (status, json) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(json));
		};
		try {
			if (request.method === 'GET' && path === '/v1/models') {
				return reply(200, { object: 'list', data: [{ id: FAKE_MODEL_ID, object: 'model', created: 0, owned_by: 'n8n-nodes-plaid-e2e' }] });
			}
			const api = request.method === 'POST' ? APIS[path] : undefined;
			if (!api) return reply(404, openAiError(`no route ${request.method} ${path}`));
			if (body.stream) throw new Error('streaming is not scripted');
			calls += 1;
			return reply(200, api.answer(script(api.turn(body)), calls, body.model));
		} catch (error) {
			return reply(400, openAiError(`fake model: ${error.message}`));
		}
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return {
		/** The base URL for an openAiApi credential, as n8n's credential form takes it. */
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

function readBody(request) {
	return new Promise((resolve, reject) => {
		let data = '';
		request.setEncoding('utf8');
		request.on('data', (chunk) => (data += chunk));
		request.on('end', () => resolve(data));
		request.on('error', reject);
	});
}

const openAiError = (message) => ({ error: { message, type: 'invalid_request_error', param: null, code: null } });

const textOf = (content) =>
	typeof content === 'string' ? content : (content ?? []).map((part) => part.text ?? '').join('');

const APIS = {
	'/v1/chat/completions': {
		/** Tool results are `tool` messages; their tool's name is on the assistant's matching tool call. */
		turn(body) {
			const toolNames = new Map();
			for (const message of body.messages) {
				for (const call of message.tool_calls ?? []) toolNames.set(call.id, call.function.name);
			}
			return {
				tools: Object.fromEntries((body.tools ?? []).map((tool) => [tool.function.name, tool.function.parameters])),
				toolResults: body.messages
					.filter((message) => message.role === 'tool')
					.map((message) => ({ name: toolNames.get(message.tool_call_id), content: textOf(message.content) })),
				prompt: textOf(body.messages.filter((message) => message.role === 'user').at(-1)?.content),
			};
		},
		answer(decision, call, model) {
			const message = decision.toolCall
				? {
						role: 'assistant',
						content: null,
						tool_calls: [
							{ id: `call_${call}`, type: 'function', function: { name: decision.toolCall.name, arguments: JSON.stringify(decision.toolCall.arguments) } },
						],
					}
				: { role: 'assistant', content: decision.text };
			return {
				id: `chatcmpl-${call}`,
				object: 'chat.completion',
				created: Math.floor(Date.now() / 1000),
				model,
				choices: [{ index: 0, message, logprobs: null, finish_reason: decision.toolCall ? 'tool_calls' : 'stop' }],
				usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
			};
		},
	},
	'/v1/responses': {
		/** Tool calls and their results are `function_call` / `function_call_output` input items. */
		turn(body) {
			const input = Array.isArray(body.input) ? body.input : [{ role: 'user', content: body.input }];
			const toolNames = new Map(input.filter((entry) => entry.type === 'function_call').map((entry) => [entry.call_id, entry.name]));
			return {
				tools: Object.fromEntries((body.tools ?? []).filter((tool) => tool.type === 'function').map((tool) => [tool.name, tool.parameters])),
				toolResults: input
					.filter((entry) => entry.type === 'function_call_output')
					.map((entry) => ({ name: toolNames.get(entry.call_id), content: textOf(entry.output) })),
				prompt: textOf(input.filter((entry) => entry.role === 'user').at(-1)?.content),
			};
		},
		answer(decision, call, model) {
			const output = decision.toolCall
				? [
						{
							type: 'function_call',
							id: `fc_${call}`,
							call_id: `call_${call}`,
							name: decision.toolCall.name,
							arguments: JSON.stringify(decision.toolCall.arguments),
							status: 'completed',
						},
					]
				: [{ type: 'message', id: `msg_${call}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: decision.text, annotations: [] }] }];
			return {
				id: `resp_${call}`,
				object: 'response',
				created_at: Math.floor(Date.now() / 1000),
				status: 'completed',
				model,
				output,
				usage: { input_tokens: 10, output_tokens: 10, total_tokens: 20 },
			};
		},
	},
};
