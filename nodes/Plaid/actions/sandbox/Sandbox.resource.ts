import { defineResource } from '../operation';
import * as createTestItem from './createTestItem.operation';
import * as fireWebhook from './fireWebhook.operation';

export const sandbox = defineResource({ name: 'Sandbox', value: 'sandbox' }, [createTestItem, fireWebhook], 'createTestItem');
