import type { IExecuteFunctions } from 'n8n-workflow';

import { InvalidInputError } from '../../../shared/InvalidInputError';

/**
 * Sandbox operations make test Items and fake webhooks: refused before any request unless the
 * credential points at Plaid's Sandbox, or at a Custom URL (an emulator, or a gateway the team
 * points where it wants; Plaid itself answers SANDBOX_ONLY outside the Sandbox).
 */
export async function assertSandboxCredential(this: IExecuteFunctions): Promise<void> {
	const credentials = await this.getCredentials('plaidApi');
	const environment = String(credentials.environment ?? 'sandbox');
	if (environment === 'sandbox' || environment === 'custom') return;
	throw new InvalidInputError(
		`Environment: Sandbox operations run only with a Sandbox credential (or a Custom URL, e.g. an emulator); this credential is set to ${environment === 'production' ? 'Production' : environment}, so nothing was sent`,
	);
}
