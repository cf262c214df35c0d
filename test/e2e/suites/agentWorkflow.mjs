// The workflows the agent suite runs in n8n 2.41.1, in the shape n8n's editor saves: a start, n8n's AI
// Agent (version 3.1, the Tools Agent, prompt defined in the node), n8n's OpenAI Chat Model on an
// openAiApi credential, and two Plaid tools (the `usableAsTool` variant n8n registers as
// n8n-nodes-plaid.plaidTool) whose user and Item IDs the model fills in through $fromAI(). The model
// sees each tool under its node name, with n8n's automatic description for its operation. With
// `review`, the Remove Items tool sits behind n8n's human review (the Send Email node's review variant,
// n8n-nodes-base.emailSendHitlTool): tool → review → agent, and the workflow starts from a Webhook,
// since a run that waits for a person needs the server to resume it.

import { FAKE_MODEL_ID } from '../lib/fakeModel.mjs';

export const LIST_TOOL = 'List_Items';
export const REMOVE_TOOL = 'Remove_Items';
export const REVIEW_NODE = 'Approve removal';

/** What the approver reads: the user and every Item the model asks to remove. */
export const REVIEW_MESSAGE =
	"=The agent asks to remove these Plaid Items of user {{ $tool.parameters.user_id }}: {{ [].concat($tool.parameters.item_ids).join(', ') }}. Removal ends their billing and cannot be undone.";

const USER_ID = "={{ $fromAI('user_id', 'The Plaid user_id of the customer, e.g. usr_8c3ZbDBYjaqUXZ', 'string') }}";

export function agentWorkflow({ id, name, prompt, responsesApi, plaidCredential, openAiCredential, review }) {
	const tool = (toolName, position, parameters) => ({
		id: `${id}-${toolName}`,
		name: toolName.replace('_', ' '),
		type: 'n8n-nodes-plaid.plaidTool',
		typeVersion: 1,
		position,
		parameters: { resource: 'user', identifyBy: 'userId', userId: USER_ID, ...parameters },
		credentials: { plaidApi: plaidCredential },
	});
	const to = (node, type) => ({ [type]: [[{ node, type, index: 0 }]] });
	const start = review
		? {
				id: `${id}-start`,
				name: 'Start',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${id}-webhook`,
				parameters: { httpMethod: 'POST', path: review.path, options: {} },
			}
		: { id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const nodes = [
		start,
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
		tool(REMOVE_TOOL, [480, 380], {
			operation: 'removeItems',
			itemSelection: 'specific',
			itemIds: "={{ $fromAI('item_ids', 'The item_id of each Item to remove; every one must belong to the user', 'json') }}",
		}),
	];
	const connections = {
		Start: to('AI Agent', 'main'),
		'OpenAI Chat Model': to('AI Agent', 'ai_languageModel'),
		'List Items': to('AI Agent', 'ai_tool'),
		'Remove Items': to(review ? REVIEW_NODE : 'AI Agent', 'ai_tool'),
	};
	if (review) {
		nodes.push({
			id: `${id}-review`,
			name: REVIEW_NODE,
			type: 'n8n-nodes-base.emailSendHitlTool',
			typeVersion: 2.1,
			position: [480, 220],
			webhookId: `${id}-review`,
			parameters: {
				fromEmail: 'n8n@n8n-nodes-plaid.test',
				toEmail: review.approver,
				subject: 'Approve a Plaid removal',
				// n8n's default message prints the arguments as "[object Object]": name them for the approver.
				message: REVIEW_MESSAGE,
				approvalOptions: { values: { approvalType: 'double' } },
				options: {},
			},
			credentials: { smtp: review.smtpCredential },
		});
		connections[REVIEW_NODE] = to('AI Agent', 'ai_tool');
	}
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}
