// @ts-check
'use strict';

// Preloaded (node -r) into one scenario process by sendDelay.js: records when the package's pacer
// let each request go, and writes the times to SEND_DELAY_FILE when the process exits. Bench only.

const fs = require('node:fs');
const path = require('node:path');

const root = process.env.BENCH_PACKAGE_ROOT || path.join(__dirname, '..');
const { PacedCall } = require(path.join(root, 'dist/nodes/Plaid/transport/ratePacer'));

/** @type {number[]} */
const released = [];
const acquire = PacedCall.prototype.acquire;
PacedCall.prototype.acquire = async function (/** @type {any[]} */ ...args) {
	const sent = await acquire.apply(this, args);
	if (sent) released.push(performance.timeOrigin + performance.now());
	return sent;
};
process.on('exit', () => fs.writeFileSync(String(process.env.SEND_DELAY_FILE), JSON.stringify(released)));
