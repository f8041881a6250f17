import type { OperatorRole } from './operator.entity';

/** Who is acting on the operator API or console: a named operator, or the bootstrap ADMIN_API_TOKEN. */
export interface Operator {
  /** Null for the bootstrap token, which has no row. */
  readonly id: string | null;
  readonly name: string;
  readonly role: OperatorRole;
}

/** ADMIN_API_TOKEN: the owner's token from configuration, an admin named `bootstrap`. */
export const BOOTSTRAP_OPERATOR: Operator = { id: null, name: 'bootstrap', role: 'admin' };

/** Operator tokens carry a prefix, so a leaked one is recognisable (and secret scanners can find it). */
export const OPERATOR_TOKEN_PREFIX = 'acqp_op_';

/** Names are what logs and the audit trail show: lower case, no spaces, never `bootstrap`. */
export const OPERATOR_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
