import { milestoneJsonSchema } from '../../spec/index.js';
import { printJson } from '../output.js';

export default async function schema(): Promise<number> {
  printJson(milestoneJsonSchema());
  return 0;
}
