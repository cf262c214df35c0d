/**
 * n8n names an error after its class (ExecutionBaseError defines `name` from `constructor.name`),
 * and its editor and stored executions know NodeApiError and NodeOperationError by that name. The
 * package's own error classes keep the name of the n8n class they extend, so n8n shows them as its
 * own. Guarded by: the engine tests' checks of `error.name`; the e2e suites on n8n 1.85 and 2.41.
 */
export function keepN8nErrorName(error: Error, base: { name: string }): void {
	Object.defineProperty(error, 'name', { value: base.name, writable: true, enumerable: true, configurable: true });
}
