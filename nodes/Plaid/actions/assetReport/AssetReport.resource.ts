import { defineResource } from '../operation';
import * as remove from './remove.operation';
import * as removeAuditCopy from './removeAuditCopy.operation';

export const assetReport = defineResource({ name: 'Asset Report', value: 'assetReport' }, [remove, removeAuditCopy], 'remove');
