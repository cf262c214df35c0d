// Executions in queue mode, read where they are: n8n's PostgreSQL tables (execution_entity for
// status and times, execution_data for the run, serialized with `flatted`), and the workers' logs,
// which name each execution a worker took ("Worker started execution <id> (job <n>)").

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { waitFor } from './processes.mjs';

const UNFINISHED = new Set(['new', 'running', 'waiting']);
const WORKER_STARTED = /Worker started execution (\d+) \(job /g;

/** id, status, mode, startedAt, stoppedAt of one workflow's executions, oldest first. */
export async function executionsOf(postgres, workflowId) {
	return postgres.query(
		`SELECT id::text AS id, status, mode, "startedAt", "stoppedAt", "createdAt" FROM execution_entity WHERE "workflowId" = $1 ORDER BY id`,
		[workflowId],
	);
}

/** Waits until the workflow has at least `count` executions and none unfinished; returns them. */
export async function finishedExecutionsOf(postgres, workflowId, count, timeoutMs) {
	return waitFor(
		`${count} finished execution(s) of workflow ${workflowId}`,
		async () => {
			const executions = await executionsOf(postgres, workflowId);
			const done = executions.length >= count && !executions.some((execution) => UNFINISHED.has(execution.status));
			return done ? executions : undefined;
		},
		{ timeoutMs, intervalMs: 1000 },
	);
}

/** Each execution's runData and error (by id), parsed the way n8n stores it. */
export async function runDataOf(postgres, e2eDir, ids) {
	const { parse } = createRequire(path.join(e2eDir, 'node_modules', 'n8n', 'package.json'))('flatted');
	const rows = await postgres.query(`SELECT "executionId"::text AS id, data FROM execution_data WHERE "executionId" = ANY($1::int[])`, [ids.map(Number)]);
	assert.equal(rows.length, ids.length, `execution_data holds ${rows.length} of ${ids.length} executions' runs`);
	return new Map(
		rows.map(({ id, data }) => {
			const { resultData } = parse(data);
			return [id, { runData: resultData.runData, error: resultData.error }];
		}),
	);
}

/** Which worker started which execution, from the workers' own logs: Map id → worker role. */
export function executionsByWorker(workers) {
	const ranOn = new Map();
	for (const { role, child } of workers) {
		for (const [, id] of child.output().matchAll(WORKER_STARTED)) {
			assert.ok(!ranOn.has(id), `execution ${id} was started by ${ranOn.get(id)} and by ${role}`);
			ranOn.set(id, role);
		}
	}
	return ranOn;
}

/** Asserts that no process but a worker logged starting an execution. */
export function assertOnlyWorkersRan(processes) {
	for (const { role, child } of processes) {
		if (role.startsWith('worker-')) continue;
		assert.doesNotMatch(child.output(), new RegExp(WORKER_STARTED.source), `${role} started an execution itself`);
	}
}
