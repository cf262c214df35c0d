import type { INodeProperties } from 'n8n-workflow';

/** The panel's warning on an operation that cannot be undone; `what` says what is lost. */
export function irreversibleNotice(what: string): INodeProperties {
	return {
		displayName: `This cannot be undone: ${what} Turn on "Preview Only" under Options to see first what it would do.`,
		name: 'irreversibleNotice',
		type: 'notice',
		default: '',
	};
}
