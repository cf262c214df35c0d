// A mail server on 127.0.0.1 that accepts whatever n8n's Send Email node sends (plain SMTP: no TLS,
// no AUTH) and keeps each message, decoded, so a test can read the approval links n8n's human review
// mails and follow one.

import net from 'node:net';
import { waitFor } from './processes.mjs';

export async function startFakeSmtp() {
	/** @type {{ from: string, to: string[], raw: string, text: string }[]} */
	const messages = [];
	const server = net.createServer((socket) => {
		socket.setEncoding('utf8');
		const reply = (line) => socket.write(`${line}\r\n`);
		let envelope = { from: '', to: [] };
		let data; // the message being received after DATA, until a lone "."
		let buffered = '';
		reply('220 fake-smtp ready');
		socket.on('data', (chunk) => {
			buffered += chunk;
			for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
				const line = buffered.slice(0, end);
				buffered = buffered.slice(end + 2);
				if (data !== undefined) {
					if (line !== '.') {
						data.push(line.startsWith('..') ? line.slice(1) : line);
						continue;
					}
					const raw = data.join('\r\n');
					messages.push({ ...envelope, raw, text: decodeBody(raw) });
					data = undefined;
					envelope = { from: '', to: [] };
					reply('250 queued');
					continue;
				}
				const command = line.slice(0, 4).toUpperCase();
				if (command === 'EHLO' || command === 'HELO') reply('250 fake-smtp');
				else if (command === 'MAIL') (envelope.from = line.slice(10).trim()), reply('250 ok');
				else if (command === 'RCPT') envelope.to.push(line.slice(8).trim()), reply('250 ok');
				else if (command === 'DATA') (data = []), reply('354 end with <CRLF>.<CRLF>');
				else if (command === 'QUIT') reply('221 bye'), socket.end();
				else reply('250 ok');
			}
		});
		socket.on('error', () => socket.destroy());
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: server.address().port,
		messages,
		/** Waits for the count-th message (1-based) and returns it. */
		nth: (count, timeoutMs = 60_000) => waitFor(`mail number ${count}`, () => messages[count - 1], { timeoutMs }),
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

/** The message's body with quoted-printable and base64 parts decoded (enough to read its links). */
function decodeBody(raw) {
	return raw
		.split(/\r\n(?=--)/)
		.map((part) => {
			const [headers, ...rest] = part.split('\r\n\r\n');
			const body = rest.join('\r\n\r\n');
			const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
			if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
			if (encoding === 'quoted-printable') {
				const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
				return Buffer.from(bytes, 'latin1').toString('utf8');
			}
			return body;
		})
		.join('\n');
}
