import { runContractAction } from './contract-action.js';

await runContractAction();
