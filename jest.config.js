/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	setupFiles: ['<rootDir>/test/harness/env.js'],
	// Fails any test after which a secret shows in an output, error or log (test/harness/secretHunt.js).
	setupFilesAfterEnv: ['<rootDir>/test/harness/secretGuard.js'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
	},
	testTimeout: 30000,
	// Jest's default on 2 cores is one worker. Each test file loads n8n's engine afresh (about 2,000
	// modules, 2 s of CPU), so files in two workers take half the time; a worker peaks near 1 GB.
	maxWorkers: 2,
	reporters: ['default', '<rootDir>/test/harness/summaryReporter.js'],
};
