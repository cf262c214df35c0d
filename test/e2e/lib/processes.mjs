// Child processes for the end-to-end suite: each runs in its own process group so it can be stopped
// with everything it started (n8n starts a task-runner child), every wait has a deadline, and all
// that is still running is stopped when the suite exits, however it exits.

import { spawn } from 'node:child_process';
import net from 'node:net';

/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();

/** Sends a signal to a child's whole process group; a group that is already gone is fine. */
function signalGroup(child, signal) {
	if (!child.pid) return;
	try {
		process.kill(-child.pid, signal);
	} catch (error) {
		if (error.code !== 'ESRCH') throw error;
	}
}

/** True while anything of the child's process group is alive. */
function groupAlive(child) {
	if (!child.pid) return false;
	try {
		process.kill(-child.pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * Starts a command in its own process group, remembered until it is stopped.
 * @returns {import('node:child_process').ChildProcess & { output: () => string }}
 */
export function start(command, args, { env, cwd, label = command, uid, gid } = {}) {
	// uid/gid: a server that refuses to run as root (PostgreSQL) runs as its own OS user.
	const child = spawn(command, args, { cwd, env, uid, gid, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	for (const stream of [child.stdout, child.stderr]) {
		stream.setEncoding('utf8');
		stream.on('data', (chunk) => (output += chunk));
	}
	child.label = label;
	child.output = () => output;
	child.exited = new Promise((resolve) => {
		child.once('close', (code, signal) => resolve({ code, signal }));
		// A command that could not start at all (not found, not executable) exits with no code.
		child.once('error', (error) => resolve({ code: null, signal: null, error }));
	});
	running.add(child);
	child.exited.then(() => {
		if (!groupAlive(child)) running.delete(child);
	});
	return child;
}

/** Stops a child and its process group: SIGTERM, then SIGKILL after graceMs. */
export async function stop(child, graceMs = 10_000) {
	if (!child?.pid) return;
	signalGroup(child, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	while (groupAlive(child) && Date.now() < deadline) await sleep(100);
	if (groupAlive(child)) signalGroup(child, 'SIGKILL');
	running.delete(child);
}

/** Stops everything still running, synchronously (usable from an 'exit' handler). */
export function stopAllNow() {
	for (const child of running) signalGroup(child, 'SIGKILL');
	running.clear();
}

/**
 * Runs a command to its end within timeoutMs; returns its exit code, its stdout alone and all its
 * output. The process group is stopped afterwards: n8n's task runner can outlive the command.
 */
export async function run(command, args, { timeoutMs, ...options }) {
	const child = start(command, args, options);
	let stdout = '';
	child.stdout.on('data', (chunk) => (stdout += chunk));
	const exit = await within(timeoutMs, `${child.label} did not finish`, child.exited).catch(async (error) => {
		await stop(child, 1000);
		throw new Error(`${error.message}\n${tail(child.output())}`);
	});
	await stop(child, 5000);
	return { ...exit, stdout, output: child.output() };
}

/** Rejects with `message` (and the deadline) when the promise has not settled within ms. */
export function within(ms, message, promise) {
	let timer;
	const deadline = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${message} within ${Math.round(ms / 1000)} s`)), ms);
	});
	return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Polls check() until it returns a truthy value, or fails after timeoutMs (at once on an error marked fatal). */
export async function waitFor(description, check, { timeoutMs, intervalMs = 250 }) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	while (Date.now() < deadline) {
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			if (error.fatal) throw error;
			lastError = error;
		}
		await sleep(intervalMs);
	}
	throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${description}${lastError ? ` (last error: ${lastError.message})` : ''}`);
}

/** Resolves with the first stdout line of a running child, or fails after timeoutMs. */
export function firstLine(child, timeoutMs) {
	const line = new Promise((resolve, reject) => {
		let buffered = '';
		child.stdout.on('data', (chunk) => {
			buffered += chunk;
			const end = buffered.indexOf('\n');
			if (end >= 0) resolve(buffered.slice(0, end));
		});
		child.exited.then(({ code }) => reject(new Error(`${child.label} exited (${code}) before printing a line\n${tail(child.output())}`)));
	});
	return within(timeoutMs, `${child.label} printed no line`, line);
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The last lines of a long output, for error messages. */
export const tail = (text, lines = 40) => text.trimEnd().split('\n').slice(-lines).join('\n');
