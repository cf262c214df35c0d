import { defineResource } from '../operation';
import * as associateItems from './associateItems.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getItems from './getItems.operation';
import * as remove from './remove.operation';
import * as removeItems from './removeItems.operation';
import * as terminateProducts from './terminateProducts.operation';

// n8n saves only parameters that differ from their default: version 1 keeps Remove Items as its
// default so that its saved workflows still remove; from 1.1 a new node opens on a read.
export const user = defineResource({ name: 'User', value: 'user' }, [removeItems, getItems, remove, create, terminateProducts, associateItems, get], [
	{ versions: [1], operation: 'removeItems' },
	{ versions: [{ _cnd: { gte: 1.1 } }], operation: 'getItems' },
]);
