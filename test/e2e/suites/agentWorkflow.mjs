// The workflow the agent suite runs in n8n 2.41.1, in the shape n8n's editor saves: a manual start, n8n's
// AI Agent (version 3.1, the Tools Agent, prompt defined in the node), n8n's OpenAI Chat Model on an
// openAiApi credential, and two Plaid tools (the `usableAsTool` variant n8n registers as
// n8n-nodes-plaid.plaidTool) whose user and Item IDs the model fills in through $fromAI(). The model
// sees each tool under its node name, with n8n's automatic description for its operation.

import { FAKE_MODEL_ID } from '../lib/fakeModel.mjs';

export const LIST_TOOL = 'List_Items';
export const REMOVE_TOOL = 'Remove_Items';

const USER_ID = "={{ $fromAI('user_id', 'The Plaid user_id of the customer, e.g. usr_8c3ZbDBYjaqUXZ', 'string') }}";

export function agentWorkflow({ id, name, prompt, responsesApi, plaidCredential, openAiCredential }) {
	const tool = (toolName, position, parameters) => ({
		id: `${id}-${toolName}`,
		name: toolName.replace('_', ' '),
		type: 'n8n-nodes-plaid.plaidTool',
		typeVersion: 1,
		position,
		parameters: { resource: 'user', identifyBy: 'userId', userId: USER_ID, ...parameters },
		credentials: { plaidApi: plaidCredential },
	});
	const toAgent = (type) => ({ [type]: [[{ node: 'AI Agent', type, index: 0 }]] });
	return {
		id,
		name,
		active: false,
		nodes: [
			{ id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: `${id}-agent`,
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3.1,
				position: [240, 0],
				parameters: { promptType: 'define', text: prompt, options: {} },
			},
			{
				id: `${id}-model`,
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.3,
				position: [120, 220],
				parameters: { model: { __rl: true, mode: 'id', value: FAKE_MODEL_ID }, responsesApiEnabled: responsesApi, options: {} },
				credentials: { openAiApi: openAiCredential },
			},
			tool(LIST_TOOL, [300, 220], { operation: 'getItems', splitIntoItems: false }),
			tool(REMOVE_TOOL, [480, 220], {
				operation: 'removeItems',
				itemSelection: 'specific',
				itemIds: "={{ $fromAI('item_ids', 'The item_id of each Item to remove; every one must belong to the user', 'json') }}",
			}),
		],
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': toAgent('ai_languageModel'),
			'List Items': toAgent('ai_tool'),
			'Remove Items': toAgent('ai_tool'),
		},
		settings: { executionOrder: 'v1' },
	};
}
