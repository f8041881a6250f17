import { InitialSchema1763800000000 } from './1763800000000-InitialSchema';
import { WiderScopes1763900000000 } from './1763900000000-WiderScopes';
import { AttemptStartedIndex1764000000000 } from './1764000000000-AttemptStartedIndex';
import { OperatorsAndAudit1764100000000 } from './1764100000000-OperatorsAndAudit';
import { BindLifecycle1764200000000 } from './1764200000000-BindLifecycle';

/** Every migration, in order. Listed explicitly so compiled and ts-run code find the same set. */
export const MIGRATIONS = [
  InitialSchema1763800000000,
  WiderScopes1763900000000,
  AttemptStartedIndex1764000000000,
  OperatorsAndAudit1764100000000,
  BindLifecycle1764200000000,
];
