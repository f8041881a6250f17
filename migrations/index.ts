import { InitialSchema1763800000000 } from './1763800000000-InitialSchema';

/** Every migration, in order. Listed explicitly so compiled and ts-run code find the same set. */
export const MIGRATIONS = [InitialSchema1763800000000];
