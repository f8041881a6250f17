/** Every TypeORM entity, listed explicitly (no globs: compiled and test code must see the same set). */
export const ENTITIES: Function[] = [];
