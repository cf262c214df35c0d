// @ts-check
'use strict';

// Webhooks the endpoints send on their own (an Item's webhook URL changed, a Sandbox webhook fired):
// delivered after the answer, as Plaid does, each within the 10 seconds Plaid waits for the receiver
// (webhooks.md), and kept for tests to read.

const WEBHOOK_ANSWER_WAIT_MS = 10_000;

/**
 * @typedef {object} SentWebhook
 * @property {string} url
 * @property {Record<string, unknown>} payload
 * @property {number} [status] the receiver's HTTP answer
 * @property {string} [error] why it could not be delivered (e.g. ECONNREFUSED, TIMEOUT)
 */

/** @typedef {(url: string, payload: Record<string, unknown>) => Promise<{ status: number }>} SendSigned */

class WebhookOutbox {
	/** @param {SendSigned} send signs and POSTs one webhook */
	constructor(send) {
		this.send = send;
		/** @type {SentWebhook[]} every webhook sent, in the order their deliveries ended */
		this.sent = [];
		/** @type {Set<Promise<void>>} */
		this.pending = new Set();
	}

	/** @param {import('./routes').OutgoingWebhook[]} webhooks */
	deliver(webhooks) {
		for (const { url, payload } of webhooks) {
			/** @type {SentWebhook} */
			const sent = { url, payload };
			/** @type {NodeJS.Timeout | undefined} */
			let timer;
			const timedOut = new Promise((_resolve, reject) => {
				timer = setTimeout(() => reject(Object.assign(new Error('no answer in time'), { code: 'TIMEOUT' })), WEBHOOK_ANSWER_WAIT_MS);
			});
			const tracked = Promise.race([this.send(url, payload), timedOut])
				.then(
					(answer) => void (sent.status = /** @type {{ status: number }} */ (answer).status),
					(error) => void (sent.error = error?.code ?? String(error)),
				)
				.finally(() => {
					clearTimeout(timer);
					this.pending.delete(tracked);
					this.sent.push(sent);
				});
			this.pending.add(tracked);
		}
	}

	/** Resolves once every delivery started so far has ended. */
	async settled() {
		while (this.pending.size > 0) await Promise.all([...this.pending]);
	}

	clear() {
		this.sent.length = 0;
	}
}

module.exports = { WebhookOutbox };
