import { defineResource } from '../operation';
import * as get from './get.operation';
import * as remove from './remove.operation';
import * as terminate from './terminate.operation';
import * as updateWebhook from './updateWebhook.operation';

export const item = defineResource({ name: 'Item', value: 'item' }, [get, remove, terminate, updateWebhook], 'get');
