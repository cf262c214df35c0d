/**
 * Thrown by the pure parsing helpers when a parameter's value cannot be sent to Plaid.
 * The message starts with the parameter's display name; the router turns it into a
 * NodeOperationError for the item being processed, before any request is made.
 */
export class InvalidInputError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'InvalidInputError';
	}
}
